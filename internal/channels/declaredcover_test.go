package channels

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventtime"
)

// closedExport is a Google booking, visit and new patient a day from
// first to 30 November but on the days closed, under title lines.
func closedExport(title string, first int, closed ...int) string {
	var b strings.Builder
	b.WriteString(title)
	b.WriteString("id,at,status,source,gclid,fbclid,fee,chart,consent\n")
	for d := first; d <= 30; d++ {
		if !slices.Contains(closed, d) {
			fmt.Fprintf(&b, "C%02d,2026-11-%02d 10:00,completed,google,,,1000,P%02d,yes\n", d, d, d)
		}
	}
	return b.String()
}

// TestAClosedDayInsideTheExportIsZero: a day inside the export's range
// without a row — the clinic was closed on Sunday 8 November — is a day
// of zero appointments, not a day without data: no no_export_data, no
// day missing, nothing marked.
func TestAClosedDayInsideTheExportIsZero(t *testing.T) {
	rep := coverReport(t, closedExport("", 1, 8), coverSpend(1), time.Time{})
	if rep.ExportDaysMissing != 0 || len(rep.Channels[0].Incomplete) != 0 {
		t.Errorf("window: %d days missing, incomplete %v", rep.ExportDaysMissing, rep.Channels[0].Incomplete)
	}
	wk := rep.Periods[1] // 2 to 8 November
	if wk.ExportDaysMissing != 0 || wk.Channels[0].Values[Bookings] != (Value{V: 6, State: Shown}) {
		t.Errorf("week of the closed Sunday: %d days missing, bookings %+v", wk.ExportDaysMissing, wk.Channels[0].Values[Bookings])
	}
}

// TestAClosedFirstDayTheExportDeclares: the export of November whose
// first day the clinic was closed (Sunday 1 November 2026) began with
// the 2nd's rows, so the 1st read as a day the export does not cover —
// the month's every cost marked †, the page's headline withheld. An
// export that declares its range above its header (a clinic system's
// "查詢期間：…", as the Google Ads download's date-range line) covers that
// range: the 1st is a day of zero appointments. A declaration its rows
// contradict (a row outside it: the range is of something else, a
// booking date perhaps) is not taken, and a warning says so.
func TestAClosedFirstDayTheExportDeclares(t *testing.T) {
	undeclared := coverReport(t, closedExport("", 2), coverSpend(1), time.Time{})
	if undeclared.ExportDaysMissing != 1 {
		t.Fatalf("undeclared: %d days missing, want 1: its first row is all an export without a range says", undeclared.ExportDaysMissing)
	}
	for _, title := range []string{
		"○○牙醫 預約明細表\n查詢期間：2026/11/01 ~ 2026/11/30,,,,\n\n",
		"\"Appointments 2026-11-01 - 2026-11-30\"\n",
		"預約明細表\n預約日期:115/11/01至115/11/30 列印日期:115/12/01\n",
		"2026年11月1日 ～ 2026年11月30日\n",
	} {
		rep := coverReport(t, closedExport(title, 2), coverSpend(1), time.Time{})
		if rep.ExportDaysMissing != 0 || !rep.ExportFrom.Equal(day("2026-11-01")) || !rep.ExportTo.Equal(day("2026-11-30")) {
			t.Errorf("%q: %d days missing, covers %v to %v; want 0, 11-01 to 11-30", title, rep.ExportDaysMissing, rep.ExportFrom, rep.ExportTo)
		}
		if g := rep.Channels[0]; slices.Contains(g.Incomplete, "cac") {
			t.Errorf("%q: CAC marked over part of the span: %v", title, g.Incomplete)
		}
		if ws := strings.Join(rep.Warnings, "\n"); strings.Contains(ws, "the export covers") {
			t.Errorf("%q: warnings %q", title, rep.Warnings)
		}
	}
	// A row before the declared range: the declaration is not taken.
	rep := coverReport(t, closedExport("Appointments 2026-11-05 - 2026-11-30\n", 2), coverSpend(1), time.Time{})
	if rep.ExportDaysMissing != 1 || !rep.ExportFrom.Equal(day("2026-11-02")) {
		t.Errorf("contradicted: %d days missing, covers from %v; want 1, 11-02", rep.ExportDaysMissing, rep.ExportFrom)
	}
	if ws := strings.Join(rep.Warnings, "\n"); !strings.Contains(ws, "declares 2026-11-05 to 2026-11-30 above its header, but has rows outside that range") {
		t.Errorf("contradicted: warnings %q", rep.Warnings)
	}
}

// TestADeclaredOneDayRangeCoversThatDay: a report run for a single day
// states it twice ("2026-11-01 - 2026-11-01"); that is a range of one
// day, the export covering it, not a declaration to drop.
func TestADeclaredOneDayRangeCoversThatDay(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	p := eventtime.NewParser(eventtime.Options{Location: loc})
	for _, title := range []string{"Appointments 2026-11-01 - 2026-11-01", "查詢期間：2026/11/01 ~ 2026/11/01,,,,"} {
		got, ok := declaredCover([]string{"○○牙醫 預約明細表", title}, p, loc)
		if want := dayNumber(day("2026-11-01")); !ok || got != (span{want, want}) {
			t.Errorf("%q: declares %v (%v), want the 1st alone", title, got, ok)
		}
	}
}
