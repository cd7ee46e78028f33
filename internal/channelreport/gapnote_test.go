package channelreport

import (
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/channels"
)

// withoutSpend is the sample as a report without spend (no --spend, or
// every paid platform no_download): no spend, cost or ROAS exists, over a
// window the export covers from its 10th day.
func withoutSpend() *channels.Report {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	r := sample(false)
	for _, m := range []channels.Metric{channels.Spend, channels.CostPerVisit, channels.CAC, channels.CACLow, channels.CACHigh} {
		r.Applicable[m] = false
		for _, l := range append([]*channels.Line{&r.Paid, &r.Total}, &r.Channels[0], &r.Channels[1]) {
			l.Values[m] = channels.Value{}
		}
	}
	r.ExportDaysMissing, r.ExportFrom, r.ExportTo = 9, day("2026-11-10"), day("2026-11-30")
	return r
}

// TestExportGapNoteNamesOnlyMarkedFigures: the note on days the export
// does not cover said "every cost, booking rate and ROAS … is over part of
// it (†)" on a page without spend, where no cost, booking rate or ROAS
// exists and nothing is marked; it names the figures the table marks †,
// by the page's (or the terminal's) titles, and only those.
func TestExportGapNoteNamesOnlyMarkedFigures(t *testing.T) {
	for _, lang := range []string{"en", "zh-Hant", "zh-Hans"} {
		r := withoutSpend()
		r.Language = lang
		w := wordsFor(lang)
		p := pageOf(t, r)
		for _, bad := range []string{"cost", "ROAS", "成本", "報酬率", "回报率", PartMark} {
			if i := strings.Index(p, "<ul class=\"notes\">"); i >= 0 && strings.Contains(p[i:i+strings.Index(p[i:], "</ul>")], bad) {
				t.Errorf("%s: the notes name %q on a page without spend", lang, bad)
			}
		}
		if !strings.Contains(p, strings.NewReplacer("%[1]s", "2026-11-10", "%[2]s", "2026-11-30", "%[3]d", "9", "%[4]d", "30").Replace(w.exportGap)) {
			t.Errorf("%s: the page lacks the export's note", lang)
		}
	}
	if tt := strings.Join(strings.Fields(terminal(t, withoutSpend())), " "); strings.Contains(tt, "cost") || strings.Contains(tt, "ROAS") || !strings.Contains(tt, "The export has no appointment data for 9 of the 30 day(s)") {
		t.Errorf("terminal:\n%s", tt)
	}

	// With spend, the note names what the table marks: a CAC, not ROAS.
	r := sample(false)
	r.ExportDaysMissing = 9
	r.Channels[0].Incomplete = []string{channels.CAC.Key(), channels.CACLow.Key(), channels.CACHigh.Key()}
	r.ExportFrom, r.ExportTo = time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	p := pageOf(t, r)
	if !strings.Contains(p, "9 of the 30 day(s) have no appointment data, not zero bookings; over part of the span (†): Cost per new patient.") {
		t.Errorf("the page's note does not name the marked CAC")
	}
	tt := strings.Join(strings.Fields(terminal(t, r)), " ")
	if !strings.Contains(tt, "not zero bookings; CAC is over part of the span (†).") || strings.Contains(tt, "ROAS here") {
		t.Errorf("terminal:\n%s", tt)
	}
}
