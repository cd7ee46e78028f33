package channelreport

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/hashgate/hashgate/internal/channels"
)

// partialSample is the weekly sample whose Google line lacks 6 days of
// spend: its spend, CAC and range over the window are over part of the
// span, and so is its CAC of the second week.
func partialSample() *channels.Report {
	r := sample(true)
	for i := range r.Periods { // the periods' lines apart from the window's
		r.Periods[i].Channels = append([]channels.Line(nil), r.Periods[i].Channels...)
	}
	missing := 6
	keys := []string{channels.Spend.Key(), channels.CAC.Key(), channels.CACLow.Key(), channels.CACHigh.Key(), channels.CostPerVisit.Key()}
	r.Channels[0].SpendDaysMissing, r.Channels[0].Incomplete = &missing, keys
	r.Table.Paid.SpendDaysMissing, r.Table.Paid.Incomplete = &missing, keys
	p := &r.Periods[1]
	p.Channels[0].SpendDaysMissing, p.Channels[0].Incomplete = &missing, []string{channels.CAC.Key()}
	return r
}

// filled counts the bars of svg filled with colour c that have a height
// (a figure not printed keeps a bar of none at its place).
func filled(svg string, c string) int {
	n := 0
	for _, m := range regexp.MustCompile(`<path d="M[\d.]+,([\d.]+)L[\d.]+,([\d.]+)L[^"]*" style="fill:`+c+`" />`).FindAllStringSubmatch(svg, -1) {
		if m[1] != m[2] {
			n++
		}
	}
	return n
}

// TestChartsMarkPartialFigures: the table marks a figure over part of its
// span † and the headline never shows one, but the charts drew it as a
// bar or point like any other: a reader of the chart could not tell 24
// days' spend over 30 days' patients from a whole month's. Such a figure
// is drawn hollow with a dashed outline (a ring on the trend) and "†",
// the chart's legend says what that means, and the chart's accessible
// text names every figure as the table prints it, † included.
func TestChartsMarkPartialFigures(t *testing.T) {
	for _, lang := range []string{"en", "zh-Hant", "zh-Hans"} {
		r := partialSample()
		r.Language = lang
		w := wordsFor(lang)
		charts, _, err := buildCharts(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(charts) != 4 {
			t.Fatalf("%s: %d charts", lang, len(charts))
		}
		for i, c := range charts[:3] { // CAC, shares, trend
			svg := string(c.SVG)
			if !strings.Contains(svg, ">"+PartMark+"</text>") {
				t.Errorf("%s: chart %q draws no %s", lang, c.Title, PartMark)
			}
			if !slices.ContainsFunc(c.Legend, func(e legendEntry) bool { return e.Partial && e.Name == w.chartPartial }) {
				t.Errorf("%s: chart %q: no legend entry for %s (%+v)", lang, c.Title, PartMark, c.Legend)
			}
			title := regexp.MustCompile(`(?s)<title>(.*?)</title>`).FindStringSubmatch(svg)
			if title == nil || !strings.HasPrefix(svg, `<svg role="img"`) || strings.Index(svg, "<title>") > strings.Index(svg, "<g") {
				t.Errorf("%s: chart %q has no accessible title first in its <svg>", lang, c.Title)
				continue
			}
			alt := html.UnescapeString(title[1])
			want := map[int]string{0: "Google 廣告 1,200" + PartMark, 1: PartMark, 2: "1,200" + PartMark}[i]
			if !strings.Contains(alt, want) || !strings.Contains(alt, c.Title) || !strings.Contains(alt, w.chartPartial) {
				t.Errorf("%s: chart %q: accessible text %q lacks %q", lang, c.Title, alt, want)
			}
		}
		// The CAC bar of Google, over part of the span, is not filled.
		if n := filled(string(charts[0].SVG), "#0072B2"); n != 0 { // Meta's is withheld
			t.Errorf("%s: CAC chart fills %d bars with the series colour, want none", lang, n)
		}
		if !strings.Contains(string(charts[0].SVG), "stroke-dasharray") {
			t.Errorf("%s: CAC chart: no dashed outline", lang)
		}
		for _, e := range charts[3].Legend { // the funnel: nothing over part of the span
			if e.Partial {
				t.Errorf("%s: the funnel's legend marks %s with no such figure", lang, PartMark)
			}
		}
	}
	// Whole figures: no mark, no legend entry, bars filled.
	charts, _, err := buildCharts(sample(true))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range charts {
		if strings.Contains(string(c.SVG), ">"+PartMark+"<") || slices.ContainsFunc(c.Legend, func(e legendEntry) bool { return e.Partial }) {
			t.Errorf("chart %q marks %s on whole figures", c.Title, PartMark)
		}
	}
	if n := filled(string(charts[0].SVG), "#0072B2"); n != 1 {
		t.Errorf("whole CAC chart fills %d bars, want Google's", n)
	}
}

// TestPartialSwatchPrints: the legend's swatch for figures over part of
// the span is an outline, not a background — browsers print no
// backgrounds — and the print rules keep it.
func TestPartialSwatchPrints(t *testing.T) {
	p := pageOf(t, partialSample())
	if !strings.Contains(p, `<span class="sw part"`) {
		t.Fatal("the page's legend has no swatch for figures over part of the span")
	}
	css := p[strings.Index(p, ".legend .sw.part {"):]
	css = css[:strings.Index(css, "}")]
	if !strings.Contains(css, "dashed") || !strings.Contains(css, "background: #fff") {
		t.Errorf("the swatch %q is not an outline", css)
	}
	pr := p[strings.Index(p, "@media print"):]
	if strings.Contains(pr, ".legend {") && strings.Contains(pr, "display: none") {
		t.Error("print hides the legend")
	}
}
