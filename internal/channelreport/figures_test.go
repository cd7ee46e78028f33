package channelreport

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/hashgate/hashgate/internal/channels"
)

// TestHeadlineIsNeverAPartialFigure: a paid CAC over part of its span's
// spend (†) is not the page's headline — 24 days' spend over 30 days' new
// patients looked better than the truth, featured first with its mark.
func TestHeadlineIsNeverAPartialFigure(t *testing.T) {
	for _, lang := range []string{"en", "zh-Hant", "zh-Hans"} {
		r := sample(false)
		r.Language = lang
		missing := 6
		r.Paid.SpendDaysMissing = &missing
		r.Paid.Incomplete = []string{channels.Spend.Key(), channels.CAC.Key()}
		pg, err := buildPage(r)
		if err != nil {
			t.Fatal(err)
		}
		w := wordsFor(lang)
		for _, k := range pg.KPIs {
			if strings.Contains(k.Value, PartMark) && k.Value != w.kpiPartial {
				t.Errorf("%s: headline %q = %q, a figure over part of the span", lang, k.Label, k.Value)
			}
			if strings.HasPrefix(k.Label, w.kpiCAC) && (k.Value != w.kpiPartial || k.Note != "") {
				t.Errorf("%s: CAC headline %q (%q), want %q", lang, k.Value, k.Note, w.kpiPartial)
			}
		}
		if pg.KPIs[0].Value != w.kpiPartial {
			t.Errorf("%s: first headline %+v", lang, pg.KPIs[0])
		}
	}
}

// TestFiguresNotKnownSayWhy: no export data, no fees and not yet print as
// words in every language, the legend says what each means, and the
// export's gap has a note — in the terminal too.
func TestFiguresNotKnownSayWhy(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	for _, lang := range []string{"en", "zh-Hant", "zh-Hans"} {
		r := sample(false)
		r.Language = lang
		r.Applicable[channels.Revenue], r.Applicable[channels.ROAS] = true, true
		r.Channels[0].Values[channels.Revenue] = channels.Value{Why: channels.NoValues}
		r.Channels[0].Values[channels.ROAS] = channels.Value{Why: channels.NoValues}
		r.Paid.Values[channels.NewPatients] = channels.Value{Why: channels.NotYet}
		r.Total.Values[channels.Bookings] = channels.Value{Why: channels.NoExportData}
		r.ExportDaysMissing, r.ExportFrom, r.ExportTo = 9, day("2026-11-10"), day("2026-11-30")
		r.Channels[0].Incomplete = []string{channels.CAC.Key()}
		w := wordsFor(lang)
		var b bytes.Buffer
		if err := WriteHTML(&b, r); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(b.String())
		for _, s := range []string{w.noValues, w.notYet, w.noExport, w.noValuesMark, w.notYetMark, w.noExportMark, w.exportPartMark,
			strings.NewReplacer("%[1]s", "2026-11-10", "%[2]s", "2026-11-30", "%[3]d", "9", "%[4]d", "30", "%[5]s", w.metrics[channels.CAC]).Replace(w.exportGapPart)} {
			if !strings.Contains(page, s) {
				t.Errorf("%s: page lacks %q", lang, s)
			}
		}
		if strings.Contains(page, w.uncomputed) {
			t.Errorf("%s: the legend calls missing data a division by zero", lang)
		}
	}
	r := sample(false)
	r.Channels[0].Values[channels.Visits] = channels.Value{Why: channels.NotYet}
	r.ExportDaysMissing = 9
	var b bytes.Buffer
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	flat := strings.Join(strings.Fields(b.String()), " ")
	if !strings.Contains(flat, "The export has no appointment data for 9 of the 30 day(s)") {
		t.Errorf("terminal lacks the export's note:\n%s", b.String())
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "Google") && !strings.Contains(l, "not yet") {
			t.Errorf("terminal row %q: visits not yet known, not said", l)
		}
	}
}

// TestUnmatchedSourcesAreNoted: the source words no channel lists,
// counted under Unattributed, are named with their bookings in the
// terminal and on the page — README promises a spelling the config lacks
// is seen, not lost, and they reached only the JSON.
func TestUnmatchedSourcesAreNoted(t *testing.T) {
	r := sample(false)
	r.Unmatched = []channels.SourceWord{{Word: "walk-in", Bookings: shownV(12)}, {Word: "路過", Bookings: channels.Value{State: channels.Small}}}
	var b bytes.Buffer
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	if flat := strings.Join(strings.Fields(b.String()), " "); !strings.Contains(flat, "counted under Unattributed (add them to channels.list): walk-in (12), 路過 (<5).") {
		t.Errorf("terminal:\n%s", b.String())
	}
	r.Language = "zh-Hant"
	b.Reset()
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	if page := html.UnescapeString(b.String()); !strings.Contains(page, "計入未歸因（可加進 channels.list）：walk-in (12)、路過 (<5)。") {
		t.Errorf("page lacks the unmatched words")
	}
}
