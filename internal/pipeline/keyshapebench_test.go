package pipeline

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
)

// BenchmarkKeyShapeObserve is the patient keys' shape gate's cost per
// row (keyShapeGate.observe: the key folded, its kind noted, and judged
// against the kept shape), over a kept shape of the old form and a night
// of ordinary keys. ns/op is per row.
func BenchmarkKeyShapeObserve(b *testing.B) {
	var csv bytes.Buffer
	csv.WriteString("pid\n")
	const n = 4096
	for i := range n {
		fmt.Fprintf(&csv, "A%05d\n", 10000+i)
	}
	var spec export.Spec
	spec.Headers[export.PatientKey] = []string{"pid"}
	r, err := export.NewReader(&csv, "bench.csv", spec)
	if err != nil {
		b.Fatal(err)
	}
	var rows []export.Row
	for {
		row, err := r.Next()
		if err != nil {
			break
		}
		rows = append(rows, row.Detach())
	}
	if len(rows) != n {
		b.Fatalf("%d rows", len(rows))
	}
	var prior IDShape
	if err := prior.Keys.UnmarshalText([]byte("0:900,3,6;3:3000,5,7;6:40,6,6")); err != nil {
		b.Fatal(err)
	}
	cfg := config.Defaults()
	cfg.Input.Columns.PatientKey = "pid"
	g := keyGate(Options{Config: &cfg, PriorIDs: &prior})
	var seen KeyShape
	var long LongShape
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		g.observe(rows[i%n], &seen, &long)
	}
}
