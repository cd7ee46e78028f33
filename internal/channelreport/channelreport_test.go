package channelreport

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/hashgate/hashgate/internal/channels"
)

func shownV(v float64) channels.Value { return channels.Value{V: v, State: channels.Shown} }

// sample is a small report built by hand: two channels, one with a small
// (suppressed) visit count, a CJK name, and a label that starts like a
// spreadsheet formula.
func sample(periods bool) *channels.Report {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	line := func(name, platform string, spend, bookings float64, visits channels.Value) channels.Line {
		l := channels.Line{Name: name, Platform: platform}
		l.Values[channels.Spend] = shownV(spend)
		l.Values[channels.Bookings] = shownV(bookings)
		l.Values[channels.Visits] = visits
		if visits.State == channels.Shown {
			l.Values[channels.CostPerVisit] = shownV(spend / visits.V)
			l.Values[channels.ShowRate] = shownV(visits.V / bookings)
			l.Values[channels.NewPatients] = shownV(visits.V / 2)
			l.Values[channels.CAC] = shownV(spend / (visits.V / 2))
			l.Values[channels.CACLow] = shownV(spend / (visits.V / 2) * 0.6)
			l.Values[channels.CACHigh] = shownV(spend / (visits.V / 2) * 1.7)
		} else {
			l.Values[channels.CostPerVisit] = channels.Value{State: channels.Hidden}
			l.Values[channels.ShowRate] = channels.Value{State: channels.Hidden}
			l.Values[channels.NewPatients] = channels.Value{State: channels.Hidden}
			l.Values[channels.CAC] = channels.Value{State: channels.Hidden}
		}
		return l
	}
	tb := channels.Table{
		From: day("2026-11-01"), To: day("2026-11-30"),
		Channels: []channels.Line{
			line("Google 廣告", "google", 12000, 30, shownV(20)),
			line("=cmd|' /C calc'!A0", "meta", 9000, 8, channels.Value{State: channels.Small}),
		},
		Paid:  line("Paid", "", 21000, 38, shownV(22)),
		Total: line("Total", "", 21000, 38, channels.Value{State: channels.Hidden}),
	}
	r := &channels.Report{Table: tb, Currency: "TWD", MinCell: 5, Period: "all"}
	for _, m := range []channels.Metric{channels.Spend, channels.Bookings, channels.Visits, channels.CostPerVisit, channels.ShowRate, channels.NewPatients, channels.CAC} {
		r.Applicable[m] = true
	}
	if periods {
		r.Period = "week"
		a, b := tb, tb
		a.To, b.From = day("2026-11-15"), day("2026-11-16")
		r.Periods = []channels.Table{a, b}
	}
	return r
}

func TestWidthCountsWideCharacters(t *testing.T) {
	for s, want := range map[string]int{"LINE": 4, "朋友介紹": 8, "Google 廣告": 11, "ＩＧ": 4, "<5": 2, "—": 1} {
		if got := Width(s); got != want {
			t.Errorf("Width(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestTableAligns(t *testing.T) {
	var b bytes.Buffer
	if err := WriteTable(&b, sample(false)); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	var rows []string
	for _, l := range lines[1:] {
		if strings.HasPrefix(l, "Channel") || strings.HasPrefix(l, "Google") || strings.HasPrefix(l, "=cmd") || strings.HasPrefix(l, "Total") && !strings.Contains(l, " = ") {
			rows = append(rows, l)
		}
	}
	if len(rows) != 4 {
		t.Fatalf("rows %q", rows)
	}
	for _, r := range rows[1:] {
		if Width(r) != Width(rows[0]) {
			t.Errorf("row %q is %d columns wide, the header %d", r, Width(r), Width(rows[0]))
		}
	}
	if !strings.Contains(b.String(), "<5") || !strings.Contains(b.String(), " *") {
		t.Errorf("marks missing:\n%s", b.String())
	}
}

func TestCSVNeutralisesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample(false)); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		for _, c := range rec {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
				t.Errorf("cell %q starts a formula", c)
			}
		}
	}
	visits := slices.Index(recs[0], "visits")
	if recs[2][3] != `'=cmd|' /C calc'!A0` || recs[2][visits] != "<5" || recs[4][visits] != "suppressed" {
		t.Errorf("row %q, total %q", recs[2], recs[3])
	}
}

// TestHTMLIsSelfContained parses the page: it must load nothing from
// anywhere (no script, no stylesheet or font link, no external image or
// frame), hold its charts as inline SVG, and print the table with its
// suppression marks.
func TestHTMLIsSelfContained(t *testing.T) {
	for _, periods := range []bool{false, true} {
		var b bytes.Buffer
		if err := WriteHTML(&b, sample(periods)); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(bytes.NewReader(b.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		var svgs, rows int
		var cells []string
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode {
				switch n.Data {
				case "script", "iframe", "object", "embed", "link", "base":
					t.Errorf("<%s> in a self-contained page", n.Data)
				case "svg":
					svgs++
				case "tr":
					rows++
				case "td", "th":
					if n.FirstChild != nil {
						cells = append(cells, n.FirstChild.Data)
					}
				}
				for _, a := range n.Attr {
					k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
					if (k == "src" || k == "href" || strings.HasSuffix(k, ":href")) && !strings.HasPrefix(v, "data:") && !strings.HasPrefix(v, "#") {
						t.Errorf("<%s %s=%q> loads from outside the page", n.Data, a.Key, a.Val)
					}
					if strings.HasPrefix(k, "on") {
						t.Errorf("<%s %s>: an event handler", n.Data, a.Key)
					}
				}
			}
			if n.Type == html.ElementNode && n.Data == "style" && n.FirstChild != nil {
				if css := n.FirstChild.Data; strings.Contains(css, "@import") || strings.Contains(css, "url(") {
					t.Error("the stylesheet loads something")
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		want := 3
		if periods {
			want = 4
		}
		if svgs != want {
			t.Errorf("periods %v: %d charts, want %d", periods, svgs, want)
		}
		if rows < 4 {
			t.Errorf("%d table rows", rows)
		}
		joined := strings.Join(cells, "|")
		for _, w := range []string{"Google 廣告", "=cmd|' /C calc'!A0", "<5", "*", "12,000"} {
			if !strings.Contains(joined, w) {
				t.Errorf("periods %v: table lacks %q: %s", periods, w, joined)
			}
		}
	}
}

// TestHTMLChartsDrawOnlyPrintedFigures: a suppressed count leaves no bar
// whose height would give it away; its mark is drawn instead.
func TestHTMLChartsDrawOnlyPrintedFigures(t *testing.T) {
	r := sample(false)
	charts, _, err := buildCharts(r)
	if err != nil {
		t.Fatal(err)
	}
	funnel := string(charts[len(charts)-1].SVG)
	if !strings.Contains(funnel, "&lt;5") {
		t.Error("the suppressed visit count is not marked in the funnel chart")
	}
}

// TestHTMLSpeaksTheReportLanguage: labels follow channels.language (the
// html lang attribute too); figures and channel names do not change.
func TestHTMLSpeaksTheReportLanguage(t *testing.T) {
	for lang, want := range map[string][]string{
		"en":      {`lang="en"`, "Cost per new patient", "Paid channels", "too few to tell apart from"},
		"zh-Hant": {`lang="zh-Hant"`, "每位新患者成本", "付費廣告合計", "到診", "無法與"},
		"zh-Hans": {`lang="zh-Hans"`, "每位新患者成本", "付费广告合计", "到诊", "无法与"},
	} {
		r := sample(false)
		r.Language = lang
		r.Channels[0].IndistinctFrom = []string{"Meta"}
		var b bytes.Buffer
		if err := WriteHTML(&b, r); err != nil {
			t.Fatal(err)
		}
		for _, w := range append(want, "Google 廣告", "12,000") {
			if !strings.Contains(b.String(), w) {
				t.Errorf("%s: no %q", lang, w)
			}
		}
		if lang != "en" && strings.Contains(b.String(), "Bookings, visits and new patients") {
			t.Errorf("%s: English chart titles", lang)
		}
	}
}

// TestSpendThatBoughtNothing: a channel that spent and got no booking
// says so, in the page's language as in the terminal; it is not a missing
// figure ("—"), which a figure that does not exist still is.
func TestSpendThatBoughtNothing(t *testing.T) {
	r := sample(false)
	l := &r.Channels[0]
	l.Values[channels.Bookings] = shownV(0)
	l.Values[channels.CostPerBooking] = channels.Value{Why: channels.NoBookings}
	r.Applicable[channels.CostPerBooking] = true
	for lang, want := range map[string]string{"en": "no bookings", "zh-Hant": "沒有預約", "zh-Hans": "没有预约"} {
		if got := lineCell(r, wordsFor(lang), l, channels.CostPerBooking); got != want {
			t.Errorf("%s: cost per booking of a channel with spend and no booking: %q", lang, got)
		}
	}
	if got := cellText(channels.CostPerBooking, l.Values[channels.CostPerBooking], r.MinCell); got != "no bookings" {
		t.Errorf("terminal: %q", got)
	}
	l.Values[channels.CostPerBooking] = channels.Value{}
	if got := lineCell(r, wordsFor("en"), l, channels.CostPerBooking); got != MarkNA {
		t.Fatalf("a figure that does not exist: %q", got)
	}
}

// TestShareAmongPaidChannels: the share chart compares each paid channel
// with the paid channels together, not with every visit of the clinic.
func TestShareAmongPaidChannels(t *testing.T) {
	r := sample(false)
	r.Paid.Values[channels.NewPatients] = shownV(20)
	r.Paid.Values[channels.Spend] = shownV(24000)
	charts, _, err := buildCharts(r)
	if err != nil {
		t.Fatal(err)
	}
	var share string
	for _, c := range charts {
		if strings.Contains(c.Title, "share of spend") {
			share = string(c.SVG)
		}
	}
	if share == "" {
		t.Fatal("no share chart")
	}
	// Google: 12,000 of 24,000 paid spend, 10 of 20 paid new patients.
	if v, _ := paidShare(r, channels.Spend, r.Channels[0]); v != 50 {
		t.Errorf("spend share %v, want 50", v)
	}
	if v, _ := paidShare(r, channels.NewPatients, r.Channels[0]); v != 50 {
		t.Errorf("new-patient share %v, want 50", v)
	}
	r.Paid.Values[channels.NewPatients] = channels.Value{State: channels.Hidden}
	if _, m := paidShare(r, channels.NewPatients, r.Channels[0]); m != MarkHidden {
		t.Errorf("a share of a hidden paid total: mark %q", m)
	}
	if len(charts[0].Legend) != 0 || len(charts[1].Legend) != 2 {
		t.Errorf("legends: %v, %v", charts[0].Legend, charts[1].Legend)
	}
}

// TestPeriodLabelsThin: fourteen week labels never sit side by side.
func TestPeriodLabelsThin(t *testing.T) {
	var labels []string
	for i := range 14 {
		labels = append(labels, time.Date(2026, 9, 7+7*i, 0, 0, 0, 0, time.UTC).Format("01-02"))
	}
	got := thin(labels, 8)
	n := 0
	for _, l := range got {
		if l != "" {
			n++
		}
	}
	if n > 8 || got[len(got)-1] == "" || n < 5 {
		t.Fatalf("%d labels kept: %q", n, got)
	}
}

// TestPageSaysHowCloseTheFiguresAre: the page is what leaves the clinic,
// so its foot says, in the report's language, that released figures are
// perturbed and how far (the release rule of README "Small cells": a
// count within 2, 3 across a new year; each visit's amount by 3–10% of
// itself), and that totals need not add up — the terminal's
// Legend says the same. An exact report says nothing of the kind.
func TestPageSaysHowCloseTheFiguresAre(t *testing.T) {
	for lang, want := range map[string][]string{
		"en":      {"within 2 of the truth (3 across a new year)", "3–10% of itself, so an amount by at most 10%", "totals need not equal the sum"},
		"zh-Hant": {"不超過 2（跨年不超過 3）", "各自上下移動 3–10%，所以金額整體不超過 10%", "合計不一定等於各管道之和"},
		"zh-Hans": {"不超过 2（跨年不超过 3）", "各自上下浮动 3–10%，所以金额整体不超过 10%", "合计不一定等于各渠道之和"},
	} {
		for _, exact := range []bool{false, true} {
			r := sample(false)
			r.Language = lang
			if exact {
				r.MinCell = 1
			}
			var b bytes.Buffer
			if err := WriteHTML(&b, r); err != nil {
				t.Fatal(err)
			}
			page := html.UnescapeString(b.String())
			if strings.Contains(page, "%!") {
				t.Errorf("%s: a formatting verb went wrong: %q", lang, page[strings.Index(page, "%!"):][:40])
			}
			for _, w := range want {
				if got := strings.Contains(page, w); got == exact {
					t.Errorf("%s, exact %v: %q on the page: %v", lang, exact, w, got)
				}
			}
		}
	}
}

// TestPageNotesSpendOverPartOfTheSpan: a channel whose spend downloads
// miss some days has a note on the page, in the page's language, naming
// the figures marked † by their names there (the note was English, with
// the JSON keys, on a zh-Hant page: a review of the partial-spend mark).
func TestPageNotesSpendOverPartOfTheSpan(t *testing.T) {
	for lang, want := range map[string]string{
		"en":      "no spend data for 10 of the 30 day(s): its spend, clicks and claims are the other days' only; over part of the span (†): Spend, Cost per visit.",
		"zh-Hant": "30 天中有 10 天沒有花費資料：花費、點擊與宣稱的轉換只是其他天的，花費、每次到診成本 只涵蓋部分期間（†）",
		"zh-Hans": "30 天中有 10 天没有花费数据：花费、点击与声称的转化只是其他天的，花费、每次到诊成本 只涵盖部分期间（†）",
	} {
		r := sample(false)
		r.Language = lang
		missing := 10
		r.Channels[0].SpendDaysMissing = &missing
		r.Channels[0].Incomplete = []string{channels.Spend.Key(), channels.CostPerVisit.Key()}
		var b bytes.Buffer
		if err := WriteHTML(&b, r); err != nil {
			t.Fatal(err)
		}
		page := html.UnescapeString(b.String())
		if !strings.Contains(page, want) {
			t.Errorf("%s: no note %q", lang, want)
		}
		if strings.Contains(page, "%!") {
			t.Errorf("%s: a formatting verb went wrong", lang)
		}
	}
}

// TestPartialCACIsMarkedOutsideTheTable: a CAC over part of its span
// carries its † (and its range theirs) wherever it is printed: the note
// under the terminal's table and the page's line per channel printed it
// unmarked (2,932 for July 15 to August 15 on the English fixture) while
// the table said 2,932† and the page's headline "not shown: over part of
// the span" right above it.
func TestPartialCACIsMarkedOutsideTheTable(t *testing.T) {
	for _, part := range []bool{false, true} {
		r := sample(false)
		if part {
			missing := 10
			r.Channels[0].SpendDaysMissing = &missing
			r.Channels[0].Incomplete = []string{channels.CAC.Key(), channels.CACLow.Key(), channels.CACHigh.Key()}
		}
		mark := map[bool]string{false: "", true: PartMark}[part]
		note := "CAC of Google 廣告: 1,200" + mark + ", 95% range 720" + mark + " to 2,040" + mark + "."
		if notes := Notes(r, &r.Table); !slices.Contains(notes, note) {
			t.Errorf("over part of the span %v: notes %q, want %q", part, notes, note)
		}
		var b bytes.Buffer
		if err := WriteHTML(&b, r); err != nil {
			t.Fatal(err)
		}
		line := "Google 廣告 — Cost per new patient 1,200" + mark + " (95%: 720" + mark + " – 2,040" + mark + ")"
		if page := html.UnescapeString(b.String()); !strings.Contains(page, line) {
			t.Errorf("over part of the span %v: no line %q on the page", part, line)
		}
	}
}
