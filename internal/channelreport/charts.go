package channelreport

import (
	"bytes"
	"fmt"
	"html/template"
	"image/color"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/hashgate/hashgate/internal/channels"
)

// Charts are drawn with gonum/plot and rendered to SVG by its vgsvg
// backend, then inlined: the page needs no script, font or network. Text
// is drawn by the browser, which picks a local font for Chinese labels
// (the page's CSS lists common ones).

// palette is Okabe and Ito's colour-blind-safe set.
var palette = []color.RGBA{
	{0x00, 0x72, 0xB2, 0xff}, {0xE6, 0x9F, 0x00, 0xff}, {0x00, 0x9E, 0x73, 0xff}, {0xCC, 0x79, 0xA7, 0xff},
	{0x56, 0xB4, 0xE9, 0xff}, {0xD5, 0x5E, 0x00, 0xff}, {0x99, 0x99, 0x99, 0xff}, {0xF0, 0xE4, 0x42, 0xff},
}

const chartW, chartH = 15 * vg.Centimeter, 8.5 * vg.Centimeter

// series is one set of bars or one line: a value per group, or a mark
// where the figure is not printed.
type series struct {
	name   string
	values []float64
	marks  []string // "" where the value is printed
	// partial is true where the printed value is over part of its span
	// (the table's PartMark): drawn hollow and dashed, with the mark.
	// nil when no value is.
	partial []bool
	// texts are the values as the table prints them ("2,680†", "<5"),
	// for the chart's accessible text.
	texts []string
	color color.Color
}

// add appends a group's value, its mark ("" when printed), whether it is
// over part of its span, and its text.
func (s *series) add(v float64, mark string, part bool, text string) {
	s.values, s.marks = append(s.values, v), append(s.marks, mark)
	s.partial, s.texts = append(s.partial, part), append(s.texts, text)
}

// altText is a chart's accessible text: its title, then each series'
// figures by group as the table prints them, and what the mark of a
// figure over part of its span means when one carries it.
func altText(w *words, title string, names []string, ss []series) string {
	var b strings.Builder
	b.WriteString(title)
	for _, s := range ss {
		b.WriteString(w.stop + w.sentenceGap)
		if len(ss) > 1 {
			b.WriteString(s.name + w.colon)
		}
		for j, t := range s.texts {
			if j > 0 {
				b.WriteString(w.listSep)
			}
			if j < len(names) && names[j] != "" {
				b.WriteString(names[j] + " ")
			}
			b.WriteString(t)
		}
	}
	b.WriteString(w.stop)
	if anyPartial(ss...) {
		b.WriteString(w.sentenceGap + w.chartPartial + w.stop)
	}
	return b.String()
}

// isPartial says whether value j of s is printed and over part of its span.
func (s series) isPartial(j int) bool { return s.marks[j] == "" && j < len(s.partial) && s.partial[j] }

// anyPartial says whether a value of any of ss is over part of its span.
func anyPartial(ss ...series) bool {
	for _, s := range ss {
		for j := range s.values {
			if s.isPartial(j) {
				return true
			}
		}
	}
	return false
}

// partDash is the outline of a figure over part of its span: a reader
// tells it from a whole one on screen and on paper, in colour or not.
var partDash = []vg.Length{vg.Points(3), vg.Points(2)}

// newPlot starts a chart. Its title is the figure's heading in the page,
// so the plot itself has none and the legend takes the space above the
// bars (headroom is added by the callers).
func newPlot(ylabel string) *plot.Plot {
	p := plot.New()
	p.Y.Label.Text = ylabel
	p.Y.Min = 0
	p.Legend.Top = true
	p.Legend.Left = false
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Padding = vg.Points(2)
	p.Y.Tick.Marker = groupedTicks{}
	return p
}

// groupedTicks writes axis numbers with thousands separators.
type groupedTicks struct{}

func (groupedTicks) Ticks(min, max float64) []plot.Tick {
	ts := plot.DefaultTicks{}.Ticks(min, max)
	for i := range ts {
		if ts[i].Label != "" {
			ts[i].Label = group(strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.2f", ts[i].Value), "0"), "."))
		}
	}
	return ts
}

// barChart draws grouped bars, one group per name; unprinted figures get
// their mark ("<5", "*") at the foot of the bar's place instead of a bar,
// and a figure over part of its span is an outline, dashed, under "†".
// With lows and highs (one series), each printed bar gets a whisker from
// low to high: its 95% range. The legend is the page's, not the SVG's;
// alt is the chart's accessible text (its <title>).
func barChart(ylabel string, names []string, ss []series, lows, highs []float64, alt string) (template.HTML, error) {
	p := newPlot(ylabel)
	w := vg.Points(min(28, 180/float64(max(1, len(names)*len(ss)))))
	top := 0.0
	for i, s := range ss {
		vals := make(plotter.Values, len(s.values))
		hollow := hollowBars{width: w, offset: w * vg.Length(float64(i)-float64(len(ss)-1)/2), color: s.color}
		var daggers plotter.XYs
		for j, v := range s.values {
			if s.marks[j] == "" {
				top = max(top, v)
				if s.isPartial(j) {
					hollow.bars = append(hollow.bars, plotter.XY{X: float64(j), Y: v})
					y := v
					if lows != nil && len(ss) == 1 {
						y = max(y, highs[j])
					}
					daggers = append(daggers, plotter.XY{X: float64(j), Y: y})
					continue
				}
				vals[j] = v
			}
		}
		b, err := plotter.NewBarChart(vals, w)
		if err != nil {
			return "", err
		}
		b.Color = s.color
		b.LineStyle.Width = 0
		b.Offset = hollow.offset
		p.Add(b)
		if len(hollow.bars) > 0 {
			p.Add(hollow)
			if err := addDaggers(p, daggers, s.color, hollow.offset); err != nil {
				return "", err
			}
		}
		if err := addMarks(p, s, float64(i)-float64(len(ss)-1)/2, w); err != nil {
			return "", err
		}
		if lows != nil && len(ss) == 1 {
			var e whiskers
			for j, v := range s.values {
				if s.marks[j] == "" && highs[j] > lows[j] {
					e = append(e, whisker{x: float64(j), y: v, low: v - lows[j], high: highs[j] - v})
					top = max(top, highs[j])
				}
			}
			if len(e) > 0 {
				eb, err := plotter.NewYErrorBars(e)
				if err != nil {
					return "", err
				}
				eb.LineStyle.Width = vg.Points(1.5)
				eb.LineStyle.Color = color.RGBA{0x1f, 0x29, 0x33, 0xff}
				eb.CapWidth = w * 0.6
				p.Add(eb)
			}
		}
	}
	p.Y.Max = headroom(top, 1)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.4 // room for the outer labels
	p.NominalX(names...)
	return render(p, alt)
}

// hollowBars draws the bars of figures over part of their span as
// outlines, dashed, filled white: where BarChart's bars are, by the same
// geometry (centred on the category, moved by offset).
type hollowBars struct {
	bars          plotter.XYs
	width, offset vg.Length
	color         color.Color
}

func (h hollowBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	sty := draw.LineStyle{Color: h.color, Width: vg.Points(1.5), Dashes: partDash}
	for _, b := range h.bars {
		x0 := trX(b.X) - h.width/2 + h.offset
		x1, y0, y1 := x0+h.width, trY(0), trY(b.Y)
		pts := []vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}
		c.FillPolygon(color.White, c.ClipPolygonY(pts))
		c.StrokeLines(sty, c.ClipLinesY(append(pts, pts[0]))...)
	}
}

// addDaggers writes PartMark above each point of at, in the series'
// colour, moved by shift as its bars are.
func addDaggers(p *plot.Plot, at plotter.XYs, c color.Color, shift vg.Length) error {
	labels := make([]string, len(at))
	for i := range labels {
		labels[i] = PartMark
	}
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: at, Labels: labels})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = draw.XCenter
		l.TextStyle[i].Color = c
		l.TextStyle[i].Font.Size = vg.Points(12)
	}
	l.Offset = vg.Point{X: shift, Y: vg.Points(4)}
	p.Add(l)
	return nil
}

// addMarks labels the places of unprinted bars.
func addMarks(p *plot.Plot, s series, shift float64, w vg.Length) error {
	var xys plotter.XYLabels
	for j, m := range s.marks {
		if m != "" {
			xys.XYs = append(xys.XYs, plotter.XY{X: float64(j), Y: 0})
			xys.Labels = append(xys.Labels, m)
		}
	}
	if len(xys.Labels) == 0 {
		return nil
	}
	l, err := plotter.NewLabels(xys)
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = draw.XCenter
		l.TextStyle[i].Color = s.color
	}
	l.Offset = vg.Point{X: w * vg.Length(shift), Y: vg.Points(3)}
	p.Add(l)
	return nil
}

// lineChart draws one line per series over the periods; an unprinted
// point breaks its line, and a point over part of its span is a ring
// under "†".
func lineChart(ylabel string, periods []string, ss []series, alt string) (template.HTML, error) {
	p := newPlot(ylabel)
	top := 0.0
	for _, s := range ss {
		var seg, rings plotter.XYs
		flush := func() error {
			if len(seg) == 0 {
				return nil
			}
			l, pts, err := plotter.NewLinePoints(seg)
			if err != nil {
				return err
			}
			l.Color, pts.Color = s.color, s.color
			l.Width = vg.Points(2)
			pts.Shape = draw.CircleGlyph{}
			p.Add(l, pts)
			seg = nil
			return nil
		}
		for j, v := range s.values {
			if s.marks[j] != "" {
				if err := flush(); err != nil {
					return "", err
				}
				continue
			}
			seg = append(seg, plotter.XY{X: float64(j), Y: v})
			top = max(top, v)
			if s.isPartial(j) {
				rings = append(rings, plotter.XY{X: float64(j), Y: v})
			}
		}
		if err := flush(); err != nil {
			return "", err
		}
		if len(rings) > 0 {
			// A white disc covers the line and the filled point, and a
			// ring of the series' colour is drawn over it: hollow.
			for _, g := range []draw.GlyphStyle{
				{Shape: draw.CircleGlyph{}, Color: color.White, Radius: vg.Points(4.5)},
				{Shape: draw.RingGlyph{}, Color: s.color, Radius: vg.Points(4)},
			} {
				sc, err := plotter.NewScatter(rings)
				if err != nil {
					return "", err
				}
				sc.GlyphStyle = g
				p.Add(sc)
			}
			if err := addDaggers(p, rings, s.color, vg.Points(0)); err != nil {
				return "", err
			}
		}
	}
	p.Y.Max = headroom(top, 1)
	p.X.Min, p.X.Max = -0.5, float64(len(periods))-0.5
	p.NominalX(thin(periods, 8)...)
	return render(p, alt)
}

// headroom is the top of the Y axis: above the highest value, with a line
// of room per legend entry.
func headroom(top float64, entries int) float64 {
	if top <= 0 {
		top = 1
	}
	if entries <= 1 {
		return top * 1.1
	}
	return top * (1.1 + 0.09*float64(entries))
}

// thin keeps at most n of the labels, evenly spaced (the last always):
// fourteen week labels side by side overprint each other.
func thin(labels []string, n int) []string {
	if len(labels) <= n {
		return labels
	}
	step := (len(labels) + n - 1) / n
	out := make([]string, len(labels))
	for i := range labels {
		if (len(labels)-1-i)%step == 0 {
			out[i] = labels[i]
		}
	}
	return out
}

// whisker is one bar's 95% range, as gonum's error bars take it.
type whisker struct{ x, y, low, high float64 }

type whiskers []whisker

func (w whiskers) Len() int                    { return len(w) }
func (w whiskers) XY(i int) (float64, float64) { return w[i].x, w[i].y }
func (w whiskers) YError(i int) (float64, float64) {
	return w[i].low, w[i].high
}

// render draws p to SVG and returns the <svg> element alone, for
// inlining in HTML (the XML declaration and comment are dropped), with
// alt as its <title>: the accessible name of an image (role="img") and a
// tooltip, which says every figure as the table prints it — a screen
// reader heard nothing of a chart, and a figure over part of its span
// needs its "†" there too.
func render(p *plot.Plot, alt string) (template.HTML, error) {
	c := vgsvg.New(chartW, chartH)
	p.Draw(draw.New(c))
	var b bytes.Buffer
	if _, err := c.WriteTo(&b); err != nil {
		return "", err
	}
	s := b.String()
	if i := strings.Index(s, "<svg"); i >= 0 {
		s = s[i:]
	}
	s = strings.Replace(s, "<svg ", `<svg role="img" `, 1)
	if i := strings.Index(s, ">"); i >= 0 && alt != "" {
		s = s[:i+1] + "\n<title>" + template.HTMLEscapeString(alt) + "</title>" + s[i+1:]
	}
	return template.HTML(s), nil // gonum escapes every text it draws, and alt is escaped here
}

// markOf is the chart mark of a figure that is not printed.
func markOf(v channels.Value, minCell int) string {
	switch v.State {
	case channels.Shown:
		return ""
	case channels.Small:
		return fmt.Sprintf("<%d", minCell)
	case channels.Hidden:
		return MarkHidden
	}
	return MarkNA
}
