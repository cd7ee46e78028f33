package channelreport

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/hashgate/hashgate/internal/channels"
)

// The tests of this file answer a clinic manager's reading of the report
// in every output and language (the review of 2026-12-07): what a figure
// is named, how it is computed, what prints on paper.

func pageOf(t *testing.T, r *channels.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteHTML(&b, r); err != nil {
		t.Fatal(err)
	}
	return html.UnescapeString(b.String())
}

func terminal(t *testing.T, r *channels.Report) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteTable(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// withLTV is the sample with a 14-day value over a cohort of 3 new
// patients, and bookings made beside bookings.
func withLTV() *channels.Report {
	r := sample(false)
	r.LTVDays = 14
	r.Applicable[channels.LTV], r.Applicable[channels.LTVPatients] = true, true
	r.Applicable[channels.BookingsMade], r.Applicable[channels.BookingRate] = true, true
	r.Applicable[channels.ROAS], r.Applicable[channels.CostPerBooking] = true, true
	l := &r.Channels[0]
	l.Values[channels.LTV], l.Values[channels.LTVPatients] = shownV(2899), shownV(3)
	l.Values[channels.Bookings], l.Values[channels.BookingsMade] = shownV(63), shownV(44)
	l.Values[channels.BookingRate] = shownV(44.0 / 2825)
	l.Values[channels.ROAS] = shownV(6.08)
	r.Total.Values[channels.CAC] = shownV(3205)
	r.Total.Values[channels.ROAS] = shownV(5.93)
	return r
}

// TestLTVNamesItsHorizon: "LTV" (終身價值) was channels.ltv_days of
// revenue per new patient over a cohort that is not the new patients
// beside it; every output names the horizon, and a definition names the
// cohort.
func TestLTVNamesItsHorizon(t *testing.T) {
	r := withLTV()
	for lang, want := range map[string][]string{
		"en":      {"14-day value per new patient", "first 14 days", "ltv_patients"},
		"zh-Hant": {"每位新患者 14 天內營收", "已滿 14 天的新患者人數", "ltv_patients"},
		"zh-Hans": {"每位新患者 14 天内营收", "已满 14 天的新患者人数", "ltv_patients"},
	} {
		r.Language = lang
		p := pageOf(t, r)
		for _, w := range want {
			if !strings.Contains(p, w) {
				t.Errorf("%s: the page lacks %q", lang, w)
			}
		}
		for _, bad := range []string{"終身價值", "终身价值", ">LTV"} {
			if strings.Contains(p, bad) {
				t.Errorf("%s: the page still says %q", lang, bad)
			}
		}
	}
	tt := terminal(t, r)
	for _, w := range []string{"14d value", "14d value = the revenue of each new patient's first 14 days", "ltv_patients"} {
		if !strings.Contains(strings.Join(strings.Fields(tt), " "), w) {
			t.Errorf("the terminal lacks %q:\n%s", w, tt)
		}
	}
}

// TestBookingRateSaysWhatItDivides: Book% divided bookings made (44) by
// clicks beside a Bookings column of 63; its title now says so, and
// bookings made print beside it.
func TestBookingRateSaysWhatItDivides(t *testing.T) {
	r := withLTV()
	tt := terminal(t, r)
	if !strings.Contains(tt, "Booked/click") || !strings.Contains(tt, "Booked") || !strings.Contains(tt, " 44 ") {
		t.Errorf("the terminal does not print bookings made and their rate:\n%s", tt)
	}
	for lang, want := range map[string]string{"en": "Bookings made ÷ clicks", "zh-Hant": "期間內建立的預約 ÷ 點擊", "zh-Hans": "期间内建立的预约 ÷ 点击"} {
		r.Language = lang
		if p := pageOf(t, r); !strings.Contains(p, ">"+want+"<") {
			t.Errorf("%s: no column %q", lang, want)
		}
	}
	r = sample(false)
	r.Applicable[channels.BookingRate] = true
	if p := pageOf(t, r); !strings.Contains(p, ">Bookings ÷ clicks<") {
		t.Error("without booked_at the rate divides bookings: its title should say so")
	}
	if tt := terminal(t, r); !strings.Contains(tt, "Book/click") || strings.Contains(tt, "Booked") {
		t.Errorf("without booked_at: %s", tt)
	}
}

// TestEveryRatioIsDefined: the terminal and the page say, in the page's
// language, how each printed ratio is computed; the Total's costs and
// ROAS, which divide paid spend by every channel's patients, print "—".
func TestEveryRatioIsDefined(t *testing.T) {
	r := withLTV()
	r.Applicable[channels.Pending], r.Applicable[channels.ClaimedVsVisits] = true, true
	for lang, want := range map[string][]string{
		"en": {"Show rate = visits ÷ (visits + no-shows); pending appointments and cancellations are left out.",
			"ROAS = the revenue of every visit, new and returning patients' alike, ÷ spend.",
			"Claims per visit = the platform's claimed conversions ÷", "Cost per booking = spend ÷ bookings.",
			"Cost per new patient = spend ÷ new patients", "Pending = appointments on or after --as-of",
			"Total = every channel, walk-ins and referrals included."},
		"zh-Hant": {"到診率 = 到診 ÷（到診 + 未到）；尚未就診與取消不計入。", "廣告投資報酬率 = 所有到診的營收（新患者與回診患者都算）÷ 花費。",
			"每次預約成本 = 花費 ÷ 預約。", "每位新患者成本 = 花費 ÷ 新患者", "尚未就診 = --as-of", "全部合計 = 所有管道"},
		"zh-Hans": {"到诊率 = 到诊 ÷（到诊 + 爽约）；尚未就诊与取消不计入。", "广告投资回报率 = 所有到诊的营收（新患者与复诊患者都算）÷ 花费。",
			"每次预约成本 = 花费 ÷ 预约。", "每位新患者成本 = 花费 ÷ 新患者", "尚未就诊 = --as-of", "全部合计 = 所有渠道"},
	} {
		r.Language = lang
		p := pageOf(t, r)
		for _, w := range want {
			if !strings.Contains(p, w) {
				t.Errorf("%s: no definition %q", lang, w)
			}
		}
		if strings.Contains(p, "3,205") || strings.Contains(p, "5.93x") {
			t.Errorf("%s: the page prints the Total's blended cost or ROAS under the channels' titles", lang)
		}
	}
	tt := strings.Join(strings.Fields(terminal(t, r)), " ")
	for _, w := range []string{"Show% = visits ÷ (visits + no-shows)", "ROAS = the revenue of every visit", "CAC = spend ÷ new patients", "Cost/book = spend ÷ bookings.", "Claimed/visit = the platform's claimed conversions", "Total = every channel"} {
		if !strings.Contains(tt, w) {
			t.Errorf("terminal: no definition %q", w)
		}
	}
	if strings.Contains(tt, "3,205") || strings.Contains(tt, "5.93x") {
		t.Error("the terminal prints the Total's blended cost or ROAS")
	}
}

// TestPagePrints: on paper (browsers print no backgrounds) the banners
// keep dark text inside a border, tables fit A4 landscape, and the period
// tables are not folded in a <details> that prints closed. The exact
// report's banner and <title> mark are in the page's language.
func TestPagePrints(t *testing.T) {
	r := sample(true)
	r.NotForSharing = true
	for lang, mark := range map[string]string{"en": "NOT FOR SHARING", "zh-Hant": "不得外傳", "zh-Hans": "不得外传"} {
		r.Language = lang
		p := pageOf(t, r)
		if !strings.Contains(p, "<title>"+mark+" · ") {
			t.Errorf("%s: the <title> does not start with %q", lang, mark)
		}
		if !strings.Contains(p, `<p class="nfs" role="alert">`+mark) {
			t.Errorf("%s: the banner is not in the page's language", lang)
		}
		for _, w := range []string{"@media print", "@page { size: A4 landscape", "print-color-adjust: exact"} {
			if !strings.Contains(p, w) {
				t.Errorf("%s: no %q", lang, w)
			}
		}
		if strings.Contains(p, "<details") {
			t.Errorf("%s: period tables folded in <details> do not print", lang)
		}
		css := p[strings.Index(p, ".nfs {"):]
		css = css[:strings.Index(css, "}")]
		if strings.Contains(css, "color: #fff") || !strings.Contains(css, "border:") {
			t.Errorf("%s: the banner's style would vanish on paper: %s", lang, css)
		}
	}
	r.NotForSharing = false
	r.Weaker = []channels.Weakened{{Key: "channels.min_cell", Value: 2, Default: 5}}
	r.Language = "zh-Hant"
	if p := pageOf(t, r); !strings.Contains(p, "<title>低於預設保護 · ") {
		t.Error("a page below the default protection does not say so in its <title>")
	}
}

// TestPageSaysWhichPeriods: the window's suppression depends on its
// periods, so the page names them.
func TestPageSaysWhichPeriods(t *testing.T) {
	if p := pageOf(t, sample(false)); !strings.Contains(p, "periods: none, the whole window only") {
		t.Error("a page without periods does not say so")
	}
	r := sample(true)
	r.Language = "zh-Hant"
	if p := pageOf(t, r); !strings.Contains(p, "期間：每週") {
		t.Error("a weekly zh-Hant page does not say it is by week")
	}
}

// TestCSVMarksUTF8ForExcel: a CSV with a Chinese name starts with a UTF-8
// byte-order mark (Excel on Windows garbled it without one); an ASCII one
// has none.
func TestCSVMarksUTF8ForExcel(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, sample(false)); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "\uFEFFlevel,") {
		t.Errorf("a CSV naming Google 廣告 starts %q", b.String()[:10])
	}
	r := sample(false)
	r.Channels[0].Name = "Google Ads"
	b.Reset()
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "level,") {
		t.Errorf("an ASCII CSV starts %q", b.String()[:10])
	}
}

// TestPageWordsAreThePagesLanguage: Pending is 尚未就診 (尚未到期 reads
// "not yet expired"); a note on figures over part of the span names the
// interval's ends by their figure, not cac_low; a zh page's notes and
// captions are punctuated in Chinese.
func TestPageWordsAreThePagesLanguage(t *testing.T) {
	r := sample(false)
	r.Applicable[channels.Pending] = true
	missing := 10
	r.Channels[0].SpendDaysMissing = &missing
	r.Channels[0].Incomplete = []string{channels.CAC.Key(), channels.CACLow.Key(), channels.CACHigh.Key()}
	r.Channels[0].IndistinctFrom = []string{"Meta"}
	for lang, want := range map[string][]string{
		"zh-Hant": {"尚未就診", "每位新患者成本 只涵蓋部分期間", "Google 廣告 — 每位新患者成本 1,200†（95%：720† – 2,040†）：人數太少", "。Google 廣告：人數太少"},
		"zh-Hans": {"尚未就诊", "每位新患者成本 只涵盖部分期间", "（95%：720† – 2,040†）：人数太少", "。Google 廣告：人数太少"},
		"en":      {"Pending", "over part of the span (†): Cost per new patient.", "(95%: 720† – 2,040†): too few", ". Google 廣告: too few"},
	} {
		r.Language = lang
		p := pageOf(t, r)
		for _, w := range want {
			if !strings.Contains(p, w) {
				t.Errorf("%s: no %q", lang, w)
			}
		}
		for _, bad := range []string{"cac_low", "尚未到期", "(95%: 720"} {
			if lang != "en" && strings.Contains(p, bad) || lang == "en" && bad == "cac_low" && strings.Contains(p, bad) {
				t.Errorf("%s: %q on the page", lang, bad)
			}
		}
	}
	r.Channels[0].Incomplete = []string{channels.Spend.Key(), channels.CostPerVisit.Key()}
	if tt := terminal(t, r); strings.Contains(tt, "cost_per_visit") || !strings.Contains(strings.Join(strings.Fields(tt), " "), "Spend, Cost/visit are over part of the span") {
		t.Errorf("the terminal's note names JSON keys:\n%s", tt)
	}
}

// TestTrendSaysWhyItIsMissing: each reason for no trend is its own
// sentence (a zh-Hans report with --period month and no spend blamed a
// single period), and a trend whose every point is withheld is not drawn
// as an empty 0–1 axis.
func TestTrendSaysWhyItIsMissing(t *testing.T) {
	r := sample(true)
	r.Language = "zh-Hans"
	r.Applicable[channels.Spend], r.Applicable[channels.CAC] = false, false
	if _, note, _ := buildCharts(r); !strings.HasPrefix(note, "没有趋势图：报表没有花费数据") {
		t.Errorf("no spend: %q", note)
	}
	r = sample(false)
	if _, note, _ := buildCharts(r); !strings.HasPrefix(note, "No trend: the report has no periods.") {
		t.Errorf("no periods: %q", note)
	}
	r = sample(true)
	charts, note, err := buildCharts(r)
	if err != nil || note != "" || len(charts) != 4 {
		t.Fatalf("a drawable trend: %d charts, note %q, %v", len(charts), note, err)
	}
	for i := range r.Periods {
		for j := range r.Periods[i].Channels {
			r.Periods[i].Channels[j].Values[channels.CAC] = channels.Value{State: channels.Hidden}
		}
	}
	charts, note, _ = buildCharts(r)
	if !strings.HasPrefix(note, "No trend: in every period each paid channel") || len(charts) != 3 {
		t.Errorf("every point withheld: %d charts, note %q", len(charts), note)
	}
}
