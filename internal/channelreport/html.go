package channelreport

import (
	"html/template"
	"io"

	"github.com/hashgate/hashgate/internal/channels"
)

// WriteHTML writes one self-contained page: key figures, four charts
// (spend against visits, cost per visit, the funnel, the trend per
// period), the table, and how the figures were made. It loads nothing:
// no script, stylesheet, font or image from anywhere, so it opens on an
// offline clinic PC and can be mailed as one file.
func WriteHTML(w io.Writer, r *channels.Report) error {
	page, err := buildPage(r)
	if err != nil {
		return err
	}
	return pageTemplate.Execute(w, page)
}

type kpi struct{ Label, Value string }

type htmlTable struct {
	Caption string
	Head    []string
	Rows    [][]string
	Total   []string
}

type page struct {
	From, To   string
	Currency   string
	KPIs       []kpi
	Charts     []chart
	TrendNote  string
	Table      htmlTable
	Periods    []htmlTable
	Legend     string
	MinCell    int
	Suppressed bool
}

type chart struct {
	Title, Caption string
	SVG            template.HTML
}

func buildPage(r *channels.Report) (*page, error) {
	pg := &page{
		From: r.From.Format("2006-01-02"), To: r.To.Format("2006-01-02"), Currency: r.Currency,
		Legend: Legend(r), MinCell: r.MinCell, Suppressed: r.MinCell > 1,
	}
	t := &r.Total
	for _, k := range []struct {
		m     channels.Metric
		label string
	}{
		{channels.Spend, "Spend"}, {channels.Visits, "Visits"}, {channels.CostPerVisit, "Cost per visit"},
		{channels.Revenue, "Revenue"}, {channels.ROAS, "Return on ad spend"}, {channels.NewPatients, "New patients"},
	} {
		if r.Applicable[k.m] {
			label := k.label
			if k.m.Kind() == channels.KindMoney && r.Currency != "" {
				label += " (" + r.Currency + ")"
			}
			pg.KPIs = append(pg.KPIs, kpi{label, cellText(k.m, t.Values[k.m], r.MinCell)})
		}
	}
	charts, note, err := buildCharts(r)
	if err != nil {
		return nil, err
	}
	pg.Charts, pg.TrendNote = charts, note
	pg.Table = tableOf(r, &r.Table, "Whole window, "+pg.From+" to "+pg.To)
	for i := range r.Periods {
		pg.Periods = append(pg.Periods, tableOf(r, &r.Periods[i], PeriodLabel(r, r.Periods[i])))
	}
	return pg, nil
}

func tableOf(r *channels.Report, t *channels.Table, caption string) htmlTable {
	ms := shown(r)
	ht := htmlTable{Caption: caption, Head: []string{"Channel"}}
	for _, m := range ms {
		ht.Head = append(ht.Head, header(m, r.Currency, false))
	}
	row := func(l *channels.Line) []string {
		out := []string{l.Name}
		for _, m := range ms {
			out = append(out, cellText(m, l.Values[m], r.MinCell))
		}
		return out
	}
	for i := range t.Channels {
		ht.Rows = append(ht.Rows, row(&t.Channels[i]))
	}
	ht.Total = row(&t.Total)
	return ht
}

// buildCharts draws the four charts from printed figures only.
func buildCharts(r *channels.Report) ([]chart, string, error) {
	var out []chart
	lines := r.Channels
	names := make([]string, len(lines))
	for i, l := range lines {
		names[i] = l.Name
	}
	share := func(m channels.Metric, l channels.Line, naIsZero bool) (float64, string) {
		v, total := l.Values[m], r.Total.Values[m]
		switch {
		case v.State == channels.NotApplicable && naIsZero:
			return 0, ""
		case v.State != channels.Shown:
			return 0, markOf(v, r.MinCell)
		case total.State != channels.Shown:
			return 0, markOf(total, r.MinCell) // a share of a hidden total would give the total away
		case total.V == 0:
			return 0, ""
		}
		return v.V / total.V * 100, ""
	}
	if r.Applicable[channels.Spend] {
		sp := series{name: "Share of spend", color: palette[0]}
		vi := series{name: "Share of visits", color: palette[2]}
		for _, l := range lines {
			v, m := share(channels.Spend, l, l.Platform == "none")
			sp.values, sp.marks = append(sp.values, v), append(sp.marks, m)
			v, m = share(channels.Visits, l, false)
			vi.values, vi.marks = append(vi.values, v), append(vi.marks, m)
		}
		svg, err := barChart("% of total", names, []series{sp, vi})
		if err != nil {
			return nil, "", err
		}
		out = append(out, chart{"Spend vs visits: each channel's share", "A channel whose spend bar is taller than its visits bar costs more per visit than the clinic's average.", svg})

		cpv := series{name: "Cost per visit", color: palette[5]}
		var cnames []string
		for _, l := range append(append([]channels.Line(nil), lines...), r.Total) {
			v := l.Values[channels.CostPerVisit]
			if l.Values[channels.Spend].State == channels.NotApplicable || l.Platform == "none" {
				continue
			}
			name := l.Name
			if l.Platform == "" {
				name = "All channels"
			}
			cnames = append(cnames, name)
			cpv.values, cpv.marks = append(cpv.values, v.V), append(cpv.marks, markOf(v, r.MinCell))
		}
		svg, err = barChart(r.Currency, cnames, []series{cpv})
		if err != nil {
			return nil, "", err
		}
		out = append(out, chart{"Cost per visit", "Spend divided by the visits the channel brought; \"All channels\" divides all spend by all visits, referrals and walk-ins included.", svg})
	}
	funnel := []channels.Metric{channels.Bookings, channels.Visits}
	if r.Applicable[channels.NewPatients] {
		funnel = append(funnel, channels.NewPatients)
	}
	var fs []series
	for i, m := range funnel {
		s := series{name: titles[m], color: palette[[]int{4, 2, 1}[i]]}
		for _, l := range lines {
			v := l.Values[m]
			s.values, s.marks = append(s.values, v.V), append(s.marks, markOf(v, r.MinCell))
		}
		fs = append(fs, s)
	}
	svg, err := barChart("patients", names, fs)
	if err != nil {
		return nil, "", err
	}
	out = append(out, chart{"Funnel per channel", "Bookings (every status), the visits among them, and the patients whose first visit it was.", svg})

	if len(r.Periods) < 2 {
		return out, "No trend: the window is one period, or a spend download has no day breakdown. Run with --period month, week or day and daily downloads for the trend per period.", nil
	}
	var labels []string
	for _, p := range r.Periods {
		labels = append(labels, PeriodLabel(r, p))
	}
	var ts []series
	for i := range lines {
		s := series{name: lines[i].Name, color: palette[i%len(palette)]}
		for _, p := range r.Periods {
			v := p.Channels[i].Values[channels.Visits]
			s.values, s.marks = append(s.values, v.V), append(s.marks, markOf(v, r.MinCell))
		}
		ts = append(ts, s)
	}
	svg, err = lineChart("visits", labels, ts)
	if err != nil {
		return nil, "", err
	}
	out = append(out, chart{"Visits per " + r.Period, "A gap in a line is a period whose count is suppressed.", svg})
	return out, "", nil
}

var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="hashgate channels">
<title>Channels {{.From}} to {{.To}}</title>
<style>
:root { --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --bg: #f7f9fb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; background: var(--bg); color: var(--ink);
  font: 15px/1.5 "Segoe UI", "Helvetica Neue", Arial, "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 4px; }
.sub { color: var(--muted); margin: 0 0 20px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin-bottom: 20px; }
.kpi { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 150px; }
.kpi .v { font-size: 22px; font-weight: 600; }
.kpi .l { color: var(--muted); font-size: 13px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; }
figure svg { width: 100%; height: auto; display: block; }
figure svg text { font-family: "Liberation Sans", Arial, "Helvetica Neue", "Noto Sans CJK TC", "Microsoft JhengHei", "PingFang TC", "Noto Sans CJK SC", sans-serif !important; }
figcaption { color: var(--muted); font-size: 13px; }
table { border-collapse: collapse; background: #fff; margin-top: 8px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 10px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
tfoot td { font-weight: 600; border-top: 2px solid var(--ink); }
.wrap { overflow-x: auto; margin-top: 24px; }
.note { color: var(--muted); font-size: 13px; max-width: 900px; }
details { margin-top: 12px; }
</style>
</head>
<body>
<h1>Which channel brings patients who show up</h1>
<p class="sub">{{.From}} to {{.To}}{{if .Currency}} · amounts in {{.Currency}}{{end}}{{if .Suppressed}} · counts below {{.MinCell}} suppressed{{end}}</p>
<section class="kpis">{{range .KPIs}}
<div class="kpi"><div class="v">{{.Value}}</div><div class="l">{{.Label}}</div></div>{{end}}
</section>
<section class="charts">{{range .Charts}}
<figure>
<h2>{{.Title}}</h2>
{{.SVG}}
<figcaption>{{.Caption}}</figcaption>
</figure>{{end}}
</section>
{{with .TrendNote}}<p class="note">{{.}}</p>{{end}}
{{define "table"}}<table>
<caption>{{.Caption}}</caption>
<thead><tr>{{range .Head}}<th scope="col">{{.}}</th>{{end}}</tr></thead>
<tbody>{{range .Rows}}<tr>{{range $i, $c := .}}{{if eq $i 0}}<th scope="row">{{$c}}</th>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr>
{{end}}</tbody>
<tfoot><tr>{{range $i, $c := .Total}}{{if eq $i 0}}<td>Total</td>{{else}}<td>{{$c}}</td>{{end}}{{end}}</tr></tfoot>
</table>{{end}}
<div class="wrap">{{template "table" .Table}}</div>
{{if .Periods}}<details><summary>Each period</summary>{{range .Periods}}<div class="wrap">{{template "table" .}}</div>{{end}}</details>{{end}}
<p class="note">{{.Legend}}</p>
<p class="note">How appointments are attributed: a Google click id (gclid, gbraid, wbraid) puts an appointment in the Google channel and an fbclid in the Meta channel, whatever the source column says; otherwise the source column's value picks the first channel that lists it; otherwise it is Unattributed. Spend, clicks and claimed conversions are the platforms' own figures from their downloads; bookings, visits and new patients are the clinic's.</p>
</body>
</html>
`))
