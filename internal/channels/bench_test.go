package channels

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// BenchmarkBuild reads a 20,000-row export into a report: the per-row cost
// of attribution, the two order sets and the per-day counts.
func BenchmarkBuild(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("id,at,status,source,gclid,fbclid,fee,chart,consent\n")
	sources := []string{"google", "facebook", "line", "", "walk-in"}
	for i := range 20000 {
		fmt.Fprintf(&buf, "A%d,2026-%02d-%02d 10:00,completed,%s,,,1500,P%d,yes\n", i, 1+i%12, 1+i%28, sources[i%len(sources)], i%7000)
	}
	data := buf.Bytes()
	cfg := testConfig()
	cfg.Channels.MinCell = 5
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := Build(context.Background(), Options{Config: cfg, Input: bytes.NewReader(data), InputName: "bench.csv", Period: "month", Key: testKey}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRecordKey: the record key an upload's identifier coverage
// takes for every event it sends (diagnostics.Coverage).
func BenchmarkRecordKey(b *testing.B) {
	r := NewReleaser([]byte("0123456789abcdef0123456789abcdef"))
	b.ReportAllocs()
	for b.Loop() {
		r.RecordKey("d5037398b5f7ac69eac21a6d70190675")
	}
}
