package spend

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

func readString(t *testing.T, in string, p platform.Platform, opt ...func(*Options)) (*File, error) {
	t.Helper()
	o := Options{Platform: p, Columns: Preset(p), Currency: "TWD"}
	for _, f := range opt {
		f(&o)
	}
	return Read(strings.NewReader(in), "s.csv", o)
}

// TestAmountsBounded: a cell of 1e308 (or any amount past MaxAmount)
// stops the read with the file, line and column, never +Inf in a sum.
func TestAmountsBounded(t *testing.T) {
	huge := "1" + strings.Repeat("0", 308)
	for _, cell := range []string{huge, `"99,999,999,999,999"`, "10000000000001"} {
		in := "Day,Campaign,Currency code,Cost\n2026-11-01,A,TWD,12\n2026-11-02,A,TWD," + cell + "\n"
		_, err := readString(t, in, platform.Google)
		if err == nil || !strings.Contains(err.Error(), "s.csv:3:4") || !strings.Contains(err.Error(), "larger") {
			t.Errorf("%.20s: %v", cell, err)
		}
	}
	// Cells under the bound whose sum would pass MaxSum: the line that
	// crossed it is named.
	var b strings.Builder
	b.WriteString("Day,Campaign,Currency code,Cost\n")
	for i := range 200 {
		fmt.Fprintf(&b, "2026-11-01,C%d,TWD,9000000000000\n", i)
	}
	_, err := readString(t, b.String(), platform.Google)
	if err == nil || !strings.Contains(err.Error(), "s.csv:113") {
		t.Errorf("sum past the bound: %v", err)
	}
}

// TestCoverage: a download covers what it declares — Google's date-range
// line, Meta's reporting range — not only the days it has rows for.
func TestCoverage(t *testing.T) {
	g := "Campaign report\n\"November 1, 2026 - November 30, 2026\"\nDay,Campaign,Currency code,Cost\n2026-11-03,A,TWD,12\n2026-11-20,A,TWD,5\n"
	f, err := readString(t, g, platform.Google)
	if err != nil {
		t.Fatal(err)
	}
	if f.CoverFrom != day(2026, 11, 1) || f.CoverTo != day(2026, 11, 30) {
		t.Errorf("google covers %v to %v", f.CoverFrom, f.CoverTo)
	}
	zh := "廣告活動報表\n2026年11月1日 - 2026年11月30日\nDay,Campaign,Currency code,Cost\n2026-11-03,A,TWD,12\n"
	if f, err = readString(t, zh, platform.Google); err != nil || f.CoverFrom != day(2026, 11, 1) || f.CoverTo != day(2026, 11, 30) {
		t.Errorf("the Chinese UI's range line: %v %v %v", f.CoverFrom, f.CoverTo, err)
	}
	// No range line: the first and last rows.
	if f, err = readString(t, "Day,Campaign,Currency code,Cost\n2026-11-03,A,TWD,12\n2026-11-20,A,TWD,5\n", platform.Google); err != nil ||
		f.CoverFrom != day(2026, 11, 3) || f.CoverTo != day(2026, 11, 20) {
		t.Errorf("undeclared: %v %v %v", f.CoverFrom, f.CoverTo, err)
	}
	// A row outside the declared range: the file contradicts itself.
	bad := "Campaign report\nNovember 1, 2026 - November 30, 2026\nDay,Campaign,Currency code,Cost\n2026-12-03,A,TWD,12\n"
	if _, err = readString(t, bad, platform.Google); err == nil || !strings.Contains(err.Error(), "outside the date range") {
		t.Errorf("a row outside the declared range: %v", err)
	}
	// Meta's totals file for November covers November only.
	m := "Campaign name,Amount spent (TWD),Results,Result indicator,Reporting starts,Reporting ends\nA,100,3,actions:lead,2026-11-01,2026-11-30\n"
	if f, err = readString(t, m, platform.Meta); err != nil || f.CoverFrom != day(2026, 11, 1) || f.CoverTo != day(2026, 11, 30) {
		t.Errorf("meta range: %v %v %v", f.CoverFrom, f.CoverTo, err)
	}
	// By day, with the reporting range of the export on every row.
	md := "Campaign name,Day,Amount spent (TWD),Reporting starts,Reporting ends\nA,2026-11-05,10,2026-11-01,2026-11-30\n"
	if f, err = readString(t, md, platform.Meta); err != nil || f.CoverFrom != day(2026, 11, 1) || f.CoverTo != day(2026, 11, 30) || f.Rows[0].From != day(2026, 11, 5) {
		t.Errorf("meta by day: %+v %v", f, err)
	}
}

// TestResultTypes: Meta's Results column adds whatever each row's
// objective counts; the indicator filters the claims, never the spend.
func TestResultTypes(t *testing.T) {
	in := "Campaign name,Day,Amount spent (TWD),Results,Result indicator\n" +
		"A,2026-11-01,100,3,actions:lead\nB,2026-11-01,50,2,offline_conversion.purchase\nC,2026-11-01,20,7,actions:onsite_conversion.messaging_conversation_started_7d\n"
	f, err := readString(t, in, platform.Meta)
	if err != nil || f.Rows[0].Conversions != 12 || len(f.ResultTypes) != 3 {
		t.Fatalf("all types: %+v %v", f, err)
	}
	f, err = readString(t, in, platform.Meta, func(o *Options) { o.ResultTypes = []string{"offline_conversion.purchase"} })
	if err != nil || f.Rows[0].Conversions != 2 || f.Rows[0].Cost != 170 || f.TypesDropped != 2 || len(f.ResultTypes) != 1 {
		t.Fatalf("purchases only: %+v %v", f, err)
	}
}

// TestSpendIsAStream: rows are summed as they are read, so a file of a
// hundred thousand campaign rows over a few days holds a few sums.
// (BenchmarkReadLargeSpend measures the memory.)
func TestSpendIsAStream(t *testing.T) {
	f, err := Read(largeSpend(30_000), "big.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rows) != 7 {
		t.Fatalf("%d sums, want one per day", len(f.Rows))
	}
}

func BenchmarkReadLargeSpend(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(largeSpend(1_000_000), "big.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)}); err != nil {
			b.Fatal(err)
		}
	}
}

// largeSpend generates a Google download of n campaign rows over a week
// without holding it.
func largeSpend(n int) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		w := bufio.NewWriterSize(pw, 64<<10)
		fmt.Fprint(w, "Day,Campaign,Currency code,Cost,Clicks\n")
		for i := range n {
			fmt.Fprintf(w, "2026-11-0%d,Campaign %d,TWD,12.50,3\n", 1+i%7, i)
		}
		w.Flush()
		pw.Close()
	}()
	return pr
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// TestErrorLineAfterTheFirstBatch: rows are unmarshalled a batch at a
// time; a bad cell deep in the file is still named by its own line.
func TestErrorLineAfterTheFirstBatch(t *testing.T) {
	var b strings.Builder
	b.WriteString("Day,Campaign,Currency code,Cost\n")
	for i := range spendBatch + 900 {
		fmt.Fprintf(&b, "2026-11-01,C%d,TWD,1\n", i)
	}
	b.WriteString("2026-11-02,Z,TWD,abc\n")
	_, err := readString(t, b.String(), platform.Google)
	if want := fmt.Sprintf("s.csv:%d:4", spendBatch+900+2); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("want %s, got %v", want, err)
	}
}
