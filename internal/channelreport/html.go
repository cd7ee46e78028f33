package channelreport

import (
	"fmt"
	"html/template"
	"image/color"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
)

// WriteHTML writes one self-contained page that answers "where does next
// month's money go": what a new patient cost per paid channel, with its
// range, first; then each paid channel's share of spend against its share
// of new patients (paid channels only), the cost per new patient per
// period (periods still in progress marked), the funnel, and the table.
// Labels are in the report's language (channels.language). It loads
// nothing: no script, stylesheet, font or image from anywhere, so it opens
// on an offline clinic PC and can be mailed as one file.
func WriteHTML(w io.Writer, r *channels.Report) error {
	page, err := buildPage(r)
	if err != nil {
		return err
	}
	return pageTemplate().Execute(w, page)
}

type kpi struct{ Label, Value, Note string }

type htmlTable struct {
	Caption string
	Head    []string
	Rows    [][]string
	Foot    [][]string
}

type page struct {
	Lang  string
	Title string
	// Mark leads the <title> of a page not for sharing or below the
	// default protection: a tab, a print header or a mailed file's
	// preview names it before anything else.
	Mark       string
	Sub        string
	KPIs       []kpi
	Charts     []chart
	TrendNote  string
	PaidTable  *htmlTable
	Table      htmlTable
	Periods    []htmlTable
	EachPeriod string
	Notes      []string
	// Definitions say how each printed ratio is computed.
	Definitions []string
	Legend      string
	Fine        []string
	// NotForSharing: exact figures (--exact), a banner says so.
	NotForSharing string
	// BelowDefault: released under a setting weaker than hashgate's
	// default, a banner names it.
	BelowDefault string
}

type chart struct {
	Title, Caption string
	SVG            template.HTML
	Legend         []legendEntry
}

type legendEntry struct {
	Name  string
	Color template.CSS
	// Partial: the entry for figures over part of their span, drawn as
	// the charts draw them — an outline, no colour of a series.
	Partial bool
}

func buildPage(r *channels.Report) (*page, error) {
	w := wordsFor(r.Language)
	from, to := r.From.Format("2006-01-02"), r.To.Format("2006-01-02")
	pg := &page{Lang: w.htmlLang, Title: w.title, EachPeriod: w.each, BelowDefault: w.belowDefault(r)}
	switch {
	case r.NotForSharing:
		pg.NotForSharing, pg.Mark = w.nfs, w.nfsMark+" · "
	case pg.BelowDefault != "":
		pg.Mark = w.weakMark + " · "
	}
	sub := []string{from + " " + w.to + " " + to}
	if r.Currency != "" {
		sub = append(sub, w.amountsIn+" "+r.Currency)
	}
	if r.MinCell > 1 {
		sub = append(sub, fmt.Sprintf(w.suppressedBelow, r.MinCell))
	}
	if !r.AsOf.IsZero() {
		sub = append(sub, "--as-of "+r.AsOf.Format("2006-01-02"))
	}
	if len(r.Periods) > 0 {
		sub = append(sub, fmt.Sprintf(w.periodsBy, periodWord(r.Language, r.Period)))
	} else {
		sub = append(sub, w.periodsNone) // the window table's suppression depends on the periods: say which
	}
	pg.Sub = strings.Join(sub, " · ")
	paid, total := &r.Paid, &r.Total
	add := func(label string, l *channels.Line, m channels.Metric, note string) {
		if !r.Applicable[m] {
			return
		}
		if m.Kind() == channels.KindMoney && r.Currency != "" {
			label += " (" + r.Currency + ")"
		}
		if l.Values[m].State == channels.Shown && partial(l, m) {
			// A figure over part of its span is never the page's headline
			// (chanfigures): a CAC of 24 days' spend over 30 days' new
			// patients looked better than the truth, featured with its †.
			pg.KPIs = append(pg.KPIs, kpi{label, w.kpiPartial, ""})
			return
		}
		pg.KPIs = append(pg.KPIs, kpi{label, lineCell(r, w, l, m), note})
	}
	cacNote := ""
	if lo, hi := paid.Values[channels.CACLow], paid.Values[channels.CACHigh]; lo.State == channels.Shown && hi.State == channels.Shown {
		cacNote = "95%" + w.colon + number(channels.CAC, lo.V) + " – " + number(channels.CAC, hi.V)
	}
	add(w.kpiCAC, paid, channels.CAC, cacNote)
	add(w.kpiROAS, paid, channels.ROAS, "")
	add(w.kpiSpend, paid, channels.Spend, "")
	add(w.kpiNew, paid, channels.NewPatients, "")
	add(w.kpiVisits, total, channels.Visits, "")
	add(w.kpiShow, total, channels.ShowRate, "")
	charts, note, err := buildCharts(r)
	if err != nil {
		return nil, err
	}
	pg.Charts, pg.TrendNote = charts, note
	if len(r.Periods) > 1 && r.Applicable[channels.Spend] {
		pt := periodTable(r, w)
		pg.PaidTable = &pt
	}
	pg.Table = tableOf(r, w, &r.Table, fmt.Sprintf(w.whole, from, to))
	for i := range r.Periods {
		pg.Periods = append(pg.Periods, tableOf(r, w, &r.Periods[i], periodLabel(r, w, r.Periods[i])))
	}
	for _, l := range r.Channels {
		lo, hi := l.Values[channels.CACLow], l.Values[channels.CACHigh]
		if lo.State != channels.Shown || hi.State != channels.Shown {
			continue
		}
		n := fmt.Sprintf(w.cacNote, l.Name, w.metrics[channels.CAC], markedNumber(&l, channels.CAC), markedNumber(&l, channels.CACLow), markedNumber(&l, channels.CACHigh))
		if len(l.IndistinctFrom) > 0 {
			n += w.colon + fmt.Sprintf(w.indistinct, strings.Join(l.IndistinctFrom, w.listSep))
		}
		pg.Notes = append(pg.Notes, n)
	}
	days := int(r.Table.To.Sub(r.Table.From).Hours()/24) + 1
	label := func(m channels.Metric) string { return w.label(r, m) }
	for _, l := range append(append([]channels.Line(nil), r.Channels...), r.Paid) {
		if l.SpendDaysMissing != nil && *l.SpendDaysMissing > 0 && len(l.Incomplete) > 0 {
			names := metricsNamed(l.Incomplete, label)
			pg.Notes = append(pg.Notes, fmt.Sprintf(w.spendGap, displayName(w, l.Name), *l.SpendDaysMissing, days, strings.Join(names, w.listSep)))
		}
	}
	// chanfigures
	if t := &r.Table; t.ExportDaysMissing > 0 && t.ExportDaysMissing < days && !r.ExportFrom.IsZero() {
		gap, args := w.exportGap, []any{r.ExportFrom.Format("2006-01-02"), r.ExportTo.Format("2006-01-02"), t.ExportDaysMissing, days}
		if names := exportMarked(r, t, label); len(names) > 0 {
			gap, args = w.exportGapPart, append(args, strings.Join(names, w.listSep))
		}
		pg.Notes = append(pg.Notes, fmt.Sprintf(gap, args...))
	}
	if s := unmatchedList(r); len(s) > 0 {
		pg.Notes = append(pg.Notes, fmt.Sprintf(w.unmatched, strings.Join(s, w.listSep)))
	}
	if r.MinCell <= 1 {
		pg.Legend = w.marksOff
	} else {
		pg.Legend = fmt.Sprintf(w.marks, r.MinCell, r.MinCell)
	}
	pg.Legend += w.figureMarks(r)
	if r.ConsentedOnly {
		pg.Legend += " " + w.countedConsent
	} else {
		pg.Legend += " " + w.countedAll
	}
	pg.Definitions = w.definitions(r, label, w.total, w.paid)
	pg.Fine = []string{w.attributed, w.intervals, w.attribution}
	return pg, nil
}

// displayName localises the report's own line names.
func displayName(w *words, name string) string {
	switch name {
	case "Paid":
		return w.paid
	case "Total":
		return w.total
	case config.Unattributed:
		return w.unattributed
	}
	return name
}

// lineCell is a figure of a line for people, with "no bookings" (or
// visits, or new patients) where spend bought none: a cost that cannot be
// divided because nothing came of the money is not a missing figure.
func lineCell(r *channels.Report, w *words, l *channels.Line, m channels.Metric) string {
	v := l.Values[m]
	if t := w.reason(v.Why); v.Uncomputed() && t != "" {
		return t
	}
	if v.State == channels.Shown && partial(l, m) {
		return cellText(m, v, r.MinCell) + PartMark
	}
	return cellText(m, v, r.MinCell)
}

// periodLabel names a period for people: its first day (a month as
// 2026-11), and "…" when it reaches --as-of.
func periodLabel(r *channels.Report, w *words, t channels.Table) string {
	l := PeriodLabel(r, t)
	if r.Period == "week" || r.Period == "day" {
		l = t.From.Format("01-02") // a week by its Monday: short enough to sit side by side
	}
	if t.IncompletePeriod {
		l += w.partial
	}
	return l
}

func tableOf(r *channels.Report, w *words, t *channels.Table, caption string) htmlTable {
	ms := shown(r)
	ht := htmlTable{Caption: caption, Head: []string{w.channel}}
	for _, m := range ms {
		h := w.label(r, m)
		if m.Kind() == channels.KindMoney && r.Currency != "" {
			h += " (" + r.Currency + ")"
		}
		ht.Head = append(ht.Head, h)
	}
	row := func(l *channels.Line, total bool) []string {
		out := []string{displayName(w, l.Name)}
		for _, m := range ms {
			if total && blended(m) {
				out = append(out, MarkNA)
				continue
			}
			out = append(out, lineCell(r, w, l, m))
		}
		return out
	}
	for i := range t.Channels {
		ht.Rows = append(ht.Rows, row(&t.Channels[i], false))
	}
	ht.Foot = [][]string{row(&t.Paid, false), row(&t.Total, true)}
	return ht
}

// periodTable is the paid channels per period: spend, new patients, CAC.
func periodTable(r *channels.Report, w *words) htmlTable {
	word := periodWord(r.Language, r.Period)
	ht := htmlTable{Caption: fmt.Sprintf(w.periodTitle, word), Head: []string{w.period}}
	ms := []channels.Metric{channels.Spend, channels.NewPatients, channels.CAC}
	for _, m := range ms {
		if !r.Applicable[m] {
			continue
		}
		h := w.label(r, m)
		if m.Kind() == channels.KindMoney && r.Currency != "" {
			h += " (" + r.Currency + ")"
		}
		ht.Head = append(ht.Head, h)
	}
	for _, p := range r.Periods {
		row := []string{periodLabel(r, w, p)}
		for _, m := range ms {
			if r.Applicable[m] {
				row = append(row, lineCell(r, w, &p.Paid, m))
			}
		}
		ht.Rows = append(ht.Rows, row)
	}
	return ht
}

// buildCharts draws the charts from printed figures only.
func buildCharts(r *channels.Report) ([]chart, string, error) {
	w := wordsFor(r.Language)
	var out []chart
	var paid []channels.Line
	for _, l := range r.Channels {
		if l.Platform != config.PlatformNone {
			paid = append(paid, l)
		}
	}
	if r.Applicable[channels.CAC] && len(paid) > 0 {
		var names []string
		s := series{name: w.metrics[channels.CAC], color: palette[0]}
		var lows, highs []float64
		for _, l := range paid {
			names = append(names, l.Name)
			v, lo, hi := l.Values[channels.CAC], l.Values[channels.CACLow], l.Values[channels.CACHigh]
			mark := markOf(v, r.MinCell)
			if v.State == channels.NotApplicable {
				mark = lineCell(r, w, &l, channels.CAC)
			}
			text := lineCell(r, w, &l, channels.CAC)
			if lo.State == channels.Shown && hi.State == channels.Shown {
				lows, highs = append(lows, lo.V), append(highs, hi.V)
				text += " (95%" + w.colon + markedNumber(&l, channels.CACLow) + " – " + markedNumber(&l, channels.CACHigh) + ")"
			} else {
				lows, highs = append(lows, v.V), append(highs, v.V)
			}
			s.add(v.V, mark, partial(&l, channels.CAC), text)
		}
		svg, err := barChart(w.cacAxis, names, []series{s}, lows, highs, altText(w, w.cacTitle, names, []series{s}))
		if err != nil {
			return nil, "", err
		}
		caption := w.cacCaption
		for _, l := range paid {
			if len(l.IndistinctFrom) > 0 {
				caption += w.sentenceGap + l.Name + w.colon + fmt.Sprintf(w.indistinct, strings.Join(l.IndistinctFrom, w.listSep)) + w.stop
			}
		}
		out = append(out, chart{Title: w.cacTitle, Caption: caption, SVG: svg, Legend: partialLegend(w, s)})
	}
	if r.Applicable[channels.Spend] && r.Applicable[channels.NewPatients] && len(paid) > 0 {
		sp := series{name: w.shareSpend, color: palette[0]}
		np := series{name: w.shareNP, color: palette[2]}
		var names []string
		// A share of spend over part of its span — the channel's or the
		// paid channels' — is itself over part of it.
		add := func(s *series, m channels.Metric, l channels.Line) {
			v, mark := paidShare(r, m, l)
			part := partial(&l, m) || partial(&r.Paid, m)
			text := mark
			if mark == "" {
				text = strconv.FormatFloat(v, 'f', 0, 64) + "%"
				if part {
					text += PartMark
				}
			}
			s.add(v, mark, part, text)
		}
		for _, l := range paid {
			names = append(names, l.Name)
			add(&sp, channels.Spend, l)
			add(&np, channels.NewPatients, l)
		}
		svg, err := barChart(w.shareAxis, names, []series{sp, np}, nil, nil, altText(w, w.shareTitle, names, []series{sp, np}))
		if err != nil {
			return nil, "", err
		}
		out = append(out, chart{Title: w.shareTitle, Caption: w.shareCaption, SVG: svg, Legend: append(legendOf(sp, np), partialLegend(w, sp, np)...)})
	}
	trendNote := w.noTrend(r, len(paid))
	if trendNote == "" {
		var labels []string
		for _, p := range r.Periods {
			labels = append(labels, periodLabel(r, w, p))
		}
		var ts []series
		var idx []int
		for i, l := range r.Channels {
			if l.Platform != config.PlatformNone {
				idx = append(idx, i)
			}
		}
		for n, i := range idx {
			s := series{name: r.Channels[i].Name, color: palette[n%len(palette)]}
			for _, p := range r.Periods {
				l := &p.Channels[i]
				v := l.Values[channels.CAC]
				s.add(v.V, markOf(v, r.MinCell), partial(l, channels.CAC), lineCell(r, w, l, channels.CAC))
			}
			ts = append(ts, s)
		}
		if !slices.ContainsFunc(ts, func(s series) bool { return slices.Contains(s.marks, "") }) {
			trendNote = w.trendHidden // not an empty 0–1 axis
		} else {
			title := fmt.Sprintf(w.trendTitle, periodWord(r.Language, r.Period))
			svg, err := lineChart(w.cacAxis, labels, ts, altText(w, title, labels, ts))
			if err != nil {
				return nil, "", err
			}
			out = append(out, chart{Title: title, Caption: w.trendCaption, SVG: svg, Legend: append(legendOf(ts...), partialLegend(w, ts...)...)})
		}
	}
	funnel := []channels.Metric{channels.Bookings, channels.Visits}
	if r.Applicable[channels.NewPatients] {
		funnel = append(funnel, channels.NewPatients)
	}
	var fs []series
	var names []string
	for _, l := range r.Channels {
		names = append(names, displayName(w, l.Name))
	}
	for i, m := range funnel {
		s := series{name: w.metrics[m], color: palette[[]int{4, 2, 1}[i]]}
		for _, l := range r.Channels {
			v := l.Values[m]
			s.add(v.V, markOf(v, r.MinCell), partial(&l, m), lineCell(r, w, &l, m))
		}
		fs = append(fs, s)
	}
	svg, err := barChart(w.patients, names, fs, nil, nil, altText(w, w.funnelTitle, names, fs))
	if err != nil {
		return nil, "", err
	}
	out = append(out, chart{Title: w.funnelTitle, Caption: w.funnelCaption, SVG: svg, Legend: append(legendOf(fs...), partialLegend(w, fs...)...)})
	return out, trendNote, nil
}

// partialLegend is the legend entry for figures over part of their span,
// when a value of ss is one: the chart draws it hollow, dashed, under
// PartMark, and says so beside the chart as the table's notes do.
func partialLegend(w *words, ss ...series) []legendEntry {
	if !anyPartial(ss...) {
		return nil
	}
	return []legendEntry{{Name: w.chartPartial, Partial: true}}
}

// paidShare is a paid channel's share of the paid channels' m, in
// percent, or the mark of a figure not printed.
func paidShare(r *channels.Report, m channels.Metric, l channels.Line) (float64, string) {
	v, tot := l.Values[m], r.Paid.Values[m]
	switch {
	case v.State != channels.Shown:
		return 0, markOf(v, r.MinCell)
	case tot.State != channels.Shown:
		return 0, markOf(tot, r.MinCell) // a share of a hidden total would give the total away
	case tot.V == 0:
		return 0, ""
	}
	return v.V / tot.V * 100, ""
}

// legendOf is a chart's legend, drawn by the page beside the chart rather
// than inside the SVG: the browser measures its own fonts, so no label
// runs into its swatch whatever the language.
func legendOf(ss ...series) []legendEntry {
	var out []legendEntry
	for _, s := range ss {
		c := color.RGBAModel.Convert(s.color).(color.RGBA)
		out = append(out, legendEntry{Name: s.name, Color: template.CSS(fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B))})
	}
	return out
}

// pageTemplate is parsed on first use, not at package initialisation,
// which every hashgate command pays (docs/performance.md, Start-up).
var pageTemplate = sync.OnceValue(func() *template.Template { return template.Must(template.New("page").Parse(pageHTML)) })

const pageHTML = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hashgate channels">
<title>{{.Mark}}{{.Title}} · {{.Sub}}</title>
<style>
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --bg: #f7f9fb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--ink); max-width: 1440px;
  font: 15px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
:lang(zh-Hans) body, body:lang(zh-Hans) { font-family: "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 20px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 20px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 170px; }
.kpi:first-child { border: 2px solid #0072b2; }
.kpi .v { font-size: 22px; font-weight: 600; }
.kpi .l, .kpi .n { color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
figure svg { width: 100%; height: auto; display: block; }
figure svg text { font-family: "Liberation Sans", Arial, "Helvetica Neue", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK SC", sans-serif !important; }
figcaption { color: var(--muted); font-size: 13px; }
.legend { list-style: none; margin: 4px 0; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; }
.legend li { display: flex; align-items: center; gap: 6px; }
.legend .sw { width: 14px; height: 14px; border-radius: 3px; flex: none; border: 1px solid var(--ink); -webkit-print-color-adjust: exact; print-color-adjust: exact; }
/* A figure over part of its span is drawn hollow and dashed: its swatch
   is an outline, which prints where backgrounds do not. */
.legend .sw.part { background: #fff; border: 2px dashed var(--ink); }
table { border-collapse: collapse; background: #fff; margin-top: 8px; font-variant-numeric: tabular-nums; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; font-size: 15px; }
th, td { border-bottom: 1px solid var(--line); padding: 5px 7px; text-align: right; white-space: nowrap; }
thead th { white-space: normal; vertical-align: bottom; min-width: 52px; max-width: 92px; }
th:first-child, td:first-child { text-align: left; }
tfoot tr:first-child td { border-top: 2px solid var(--ink); }
tfoot td { font-weight: 600; }
.wrap { overflow-x: auto; margin-top: 24px; }
.note { color: var(--muted); font-size: 13px; max-width: 960px; }
.notes { font-size: 14px; max-width: 960px; padding-left: 18px; }
.periods h2 { margin-top: 24px; }
.defs { font-size: 13px; max-width: 960px; padding-left: 18px; color: var(--ink); }
/* Dark text on a light ground inside a heavy border: browsers print no
   backgrounds by default, and white text on one vanished on paper. */
.nfs { background: #fde8e7; color: #7a1209; border: 3px solid #b42318; font-weight: 700; padding: 10px 16px; border-radius: 6px; margin: 0 0 16px; }
@page { size: A4 landscape; margin: 10mm; }
@media print {
  body { background: #fff; padding: 0; max-width: none; font-size: 10px; }
  h1 { font-size: 18px; }
  .charts { display: block; }
  figure { break-inside: avoid; margin-bottom: 8px; border: 0; padding: 0; }
  figure svg { width: 60%; }
  .wrap { overflow: visible; margin-top: 12px; }
  table { font-size: 8px; width: 100%; break-inside: auto; }
  th, td { white-space: normal; padding: 2px 3px; }
  thead th { min-width: 0; max-width: none; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .nfs { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
</style>
</head>
<body>
{{with .NotForSharing}}<p class="nfs" role="alert">{{.}}</p>{{end}}
{{with .BelowDefault}}<p class="nfs weak" role="alert">{{.}}</p>{{end}}
<h1>{{.Title}}</h1>
<p class="sub">{{.Sub}}</p>
<section class="kpis">{{range .KPIs}}
<div class="kpi"><div class="v">{{.Value}}</div><div class="l">{{.Label}}</div>{{with .Note}}<div class="n">{{.}}</div>{{end}}</div>{{end}}
</section>
{{with .Notes}}<ul class="notes">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<section class="charts">{{range .Charts}}
<figure>
<h2>{{.Title}}</h2>
{{with .Legend}}<ul class="legend">{{range .}}<li>{{if .Partial}}<span class="sw part"></span>{{else}}<span class="sw" style="background: {{.Color}}"></span>{{end}}{{.Name}}</li>{{end}}</ul>{{end}}
{{.SVG}}
<figcaption>{{.Caption}}</figcaption>
</figure>{{end}}
</section>
{{with .TrendNote}}<p class="note">{{.}}</p>{{end}}
{{define "table"}}<table>
<caption>{{.Caption}}</caption>
<thead><tr>{{range .Head}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody>{{with .Foot}}
<tfoot>{{range .}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>{{end}}</tfoot>{{end}}
</table>{{end}}
{{with .PaidTable}}<div class="wrap">{{template "table" .}}</div>{{end}}
<div class="wrap">{{template "table" .Table}}</div>
{{if .Periods}}<section class="periods"><h2>{{.EachPeriod}}</h2>{{range .Periods}}<div class="wrap">{{template "table" .}}</div>{{end}}</section>{{end}}
{{with .Definitions}}<ul class="defs">{{range .}}<li>{{.}}</li>{{end}}</ul>{{end}}
<p class="note">{{.Legend}}</p>
{{range .Fine}}<p class="note">{{.}}</p>
{{end}}</body>
</html>
`
