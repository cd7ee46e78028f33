package channels

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// coverExport is an export whose dated rows run from 10 to 30 November: a
// Google booking, visit and new patient a day, with a fee.
func coverExport() string {
	var b strings.Builder
	b.WriteString("id,at,status,source,gclid,fbclid,fee,chart,consent\n")
	for d := 10; d <= 30; d++ {
		fmt.Fprintf(&b, "C%02d,2026-11-%02d 10:00,completed,google,,,1000,P%02d,yes\n", d, d, d)
	}
	return b.String()
}

// coverSpend is a Google download declaring 1 to 30 November, with a row
// on each day from first to 30.
func coverSpend(first int) string {
	var b strings.Builder
	b.WriteString("Campaign report\r\n\"November 1, 2026 - November 30, 2026\"\r\nDay,Campaign,Currency code,Cost,Clicks\r\n")
	for d := first; d <= 30; d++ {
		fmt.Fprintf(&b, "2026-11-%02d,Brand,TWD,%d.00,%d\r\n", d, 500+d, 20+d)
	}
	return b.String()
}

func coverReport(t *testing.T, export, google string, asOf time.Time) *Report {
	t.Helper()
	rep, _, err := Build(context.Background(), Options{
		Config: testConfig(), Input: strings.NewReader(export), InputName: "export.csv",
		Spend: []SpendInput{{Platform: platform.Google, Name: "g.csv", R: strings.NewReader(google)}},
		From:  day("2026-11-01"), To: day("2026-11-30"), AsOf: asOf, Period: "week",
	})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestDaysTheExportDoesNotCover: the export covers its first to its last
// dated row. A span none of whose days it covers prints the clinic's
// figures as not computed (no_export_data), never 0; a span it covers in
// part lists what sets spend against them as incomplete; a warning names
// the uncovered days. A review found August's spend beside 0 new
// patients and a headline CAC of four months' spend over seven weeks'
// patients.
func TestDaysTheExportDoesNotCover(t *testing.T) {
	rep := coverReport(t, coverExport(), coverSpend(1), time.Time{})
	if rep.ExportDaysMissing != 9 || !rep.ExportFrom.Equal(day("2026-11-10")) || !rep.ExportTo.Equal(day("2026-11-30")) {
		t.Errorf("window: export days missing %d, covers %v to %v; want 9, 11-10 to 11-30", rep.ExportDaysMissing, rep.ExportFrom, rep.ExportTo)
	}
	// The ISO week of 2 to 8 November: no appointment data.
	wk := rep.Periods[1]
	if !wk.From.Equal(day("2026-11-02")) || wk.ExportDaysMissing != 7 {
		t.Fatalf("period %v: export days missing %d, want 7", wk.From, wk.ExportDaysMissing)
	}
	// (Paid and Total have no spend data: no Meta download.)
	for _, l := range []Line{wk.Channels[0], wk.Paid, wk.Total} {
		for _, m := range []Metric{Bookings, Visits, NewPatients, Revenue, CAC, CostPerVisit, ROAS} {
			if v := l.Values[m]; v.Why == NoSpendData && l.Platform == "" {
				continue
			} else if v.State != NotApplicable || v.Why != NoExportData {
				t.Errorf("week of 11-02 %s %s = %+v, want no_export_data", l.Name, m.Key(), v)
			}
		}
	}
	if v := wk.Channels[0].Values[Spend]; v.State != Shown || v.V == 0 {
		t.Errorf("week of 11-02 spend %+v: the download covers it", v)
	}
	// The week of 9 to 15 November, covered but for the 9th, and the window.
	for _, tb := range []Table{rep.Periods[2], rep.Table} {
		g := tb.Channels[0]
		for _, k := range []string{"cac", "roas", "cost_per_visit", "cost_per_booking", "booking_rate"} {
			if !slices.Contains(g.Incomplete, k) {
				t.Errorf("%v: %s not listed incomplete: %v", tb.From, k, g.Incomplete)
			}
		}
		if slices.Contains(g.Incomplete, "spend") || slices.Contains(g.Incomplete, "new_patients") {
			t.Errorf("%v: incomplete %v: spend and new patients are whole", tb.From, g.Incomplete)
		}
	}
	if g := rep.Periods[3].Channels[0]; rep.Periods[3].ExportDaysMissing != 0 || len(g.Incomplete) != 0 {
		t.Errorf("covered week: missing %d, incomplete %v", rep.Periods[3].ExportDaysMissing, g.Incomplete)
	}
	ws := strings.Join(rep.Warnings, "\n")
	if !strings.Contains(ws, "the export covers 2026-11-10 to 2026-11-30") || !strings.Contains(ws, "the window starts 9 day(s) earlier (2026-11-01 to 2026-11-09)") {
		t.Errorf("warnings %q", rep.Warnings)
	}

	// Days on or after --as-of are pending, never missing: an export that
	// ends on the 20th lacks the 21st to the 24th under --as-of the 25th.
	short := strings.Split(coverExport(), "\n")
	rep = coverReport(t, strings.Join(short[:12], "\n")+"\n", coverSpend(1), day("2026-11-25"))
	if rep.ExportDaysMissing != 9+4 {
		t.Errorf("export to 11-20, as of 11-25: %d days missing, want 13", rep.ExportDaysMissing)
	}
	if ws := strings.Join(rep.Warnings, "\n"); !strings.Contains(ws, "(2026-11-21 to 2026-11-24)") {
		t.Errorf("warnings %q", rep.Warnings)
	}
	if last := rep.Periods[len(rep.Periods)-1]; last.ExportDaysMissing != 0 {
		t.Errorf("the week of --as-of: %d days missing, want 0", last.ExportDaysMissing)
	}
}

// TestSpendOutsideTheExportChangesNoUnmarkedRatio: spend on days the
// export does not cover must not move a figure printed unmarked — adding
// spend rows for the 1st to the 9th, before the export's first row,
// changes only spend and what is listed as incomplete.
func TestSpendOutsideTheExportChangesNoUnmarkedRatio(t *testing.T) {
	a := coverReport(t, coverExport(), coverSpend(10), time.Time{})
	b := coverReport(t, coverExport(), coverSpend(1), time.Time{})
	unmarked := 0
	for i, ta := range append([]Table{a.Table}, a.Periods...) {
		tb := append([]Table{b.Table}, b.Periods...)[i]
		la := append(append([]Line(nil), ta.Channels...), ta.Paid, ta.Total)
		lb := append(append([]Line(nil), tb.Channels...), tb.Paid, tb.Total)
		for j := range la {
			for m := Metric(0); m < NumMetrics; m++ {
				if !m.SpendAgainstClinic() {
					continue
				}
				va, vb := la[j].Values[m], lb[j].Values[m]
				printedA := va.State == Shown && !slices.Contains(la[j].Incomplete, m.Key())
				printedB := vb.State == Shown && !slices.Contains(lb[j].Incomplete, m.Key())
				if printedA || printedB {
					unmarked++
				}
				if (printedA || printedB) && va != vb {
					t.Errorf("%v %s %s: %+v unmarked without the spend of days the export lacks, %+v with it", ta.From.Format("01-02"), la[j].Name, m.Key(), va, vb)
				}
			}
		}
	}
	if unmarked == 0 {
		t.Fatal("no ratio printed unmarked: the test compares nothing")
	}
}
