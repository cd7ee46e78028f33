package inspect

import (
	"runtime"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/export"
)

// allocated returns the bytes f allocates, the collector's timing aside.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// wideExport is an export of width columns — three named, the rest empty
// — and two rows, the shape a security review used: inspect made four
// maps and a token set per header cell before reading a row, a gigabyte
// for 900k columns.
func wideExport(width int) string {
	head := "Appointment ID,Email,Marketing Consent" + strings.Repeat(",", width-3)
	rows := ""
	for _, id := range []string{"A1", "A2"} {
		rows += id + ",zz" + id + "@example.com,Y" + strings.Repeat(",", width-3) + "\n"
	}
	return head + "\n" + rows
}

// A header wider than export.MaxColumns is refused before any column is
// profiled, in a few MB (the first 64 KiB are sniffed for the header).
func TestInspectRefusesAWideHeaderCheaply(t *testing.T) {
	in := wideExport(100_000)
	var err error
	n := allocated(func() { _, err = Run(strings.NewReader(in), "wide.csv", Options{}) })
	if err == nil || !strings.Contains(err.Error(), "wide.csv:1: the header line has 100000 columns") {
		t.Fatalf("inspect of 100,000 columns: %v, want the header refused", err)
	}
	if strings.Contains(err.Error(), "zz") {
		t.Errorf("the refusal quotes a cell: %v", err)
	}
	if n > 12<<20 {
		t.Errorf("inspect of 100,000 columns allocated %d MB, want under 12", n>>20)
	}
}

// At the widest header read, inspect's cost is the columns it reports,
// not a set of maps for each: empty columns make none.
func TestInspectOfAWideMostlyEmptyHeaderIsSmall(t *testing.T) {
	in := wideExport(export.MaxColumns)
	var p *Profile
	var err error
	n := allocated(func() { p, err = Run(strings.NewReader(in), "wide.csv", Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Columns) != export.MaxColumns || p.Rows != 2 || p.Columns[1].Filled != 2 {
		t.Fatalf("columns %d, rows %d: want %d and 2, the e-mail column filled twice", len(p.Columns), p.Rows, export.MaxColumns)
	}
	if n > 24<<20 {
		t.Errorf("inspect of %d columns, three filled, allocated %d MB, want under 24", export.MaxColumns, n>>20)
	}
	t.Logf("allocated %d KB", n>>10)
}
