package inspect

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The findings of a review (2026-12-06) that ran config init, inspect and a
// dry-run on exports built from clinic systems' public documentation. Each
// fixture in testdata is a small made-up export in one such layout; its
// source is named beside the test that reads it (and in testdata/README.md).

// profileFixture profiles testdata/name.
func profileFixture(t *testing.T, name string) *Profile {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := Run(f, name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestArrivalFlagIsTheStatusNeverTheConsent: Cliniko's patient fields and
// appointment flags (docs.api.cliniko.com/openapi/reference/tag/Patient:
// accepted_email_marketing, accepted_sms_marketing,
// accepted_privacy_policy; the appointment's patient_arrived and
// did_not_arrive), rendered as a report's headers, all true/false. config
// init offered "Patient Arrived" and "Did Not Arrive" as consent
// candidates, and left the status unmapped (true/false lowered the status
// score) while hashgate's own Cliniko preset maps patient_arrived as the
// status.
func TestArrivalFlagIsTheStatusNeverTheConsent(t *testing.T) {
	p := profileFixture(t, "cliniko-patient-flags.csv")
	if got := p.Mapped("status"); !slices.Equal(got, []string{"Patient Arrived"}) {
		t.Errorf("status = %q, want [Patient Arrived]", got)
	}
	for _, h := range []string{"Patient Arrived", "Did Not Arrive"} {
		if slices.Contains(p.ConsentCandidates, h) {
			t.Errorf("%q, an arrival flag, is offered as a consent candidate (%q)", h, p.ConsentCandidates)
		}
	}
	if got := p.Mapped("consent"); got != nil {
		t.Errorf("consent = %q, want none", got)
	}
	// The arrival flag's true is the visit; false is not.
	var chosen []string
	for _, c := range p.StatusChoices() {
		if c.Chosen {
			chosen = append(chosen, c.Value)
		}
	}
	if !slices.Equal(chosen, []string{"true"}) {
		t.Errorf("statuses chosen = %q, want [true] (%+v)", chosen, p.StatusChoices())
	}
}

// TestConsentHeaderProblem: the consent column's header rules it out when
// it names a consent to e-mail or SMS, an opt-out, a consent to care or an
// appointment status or arrival (the Cliniko layout above); a consent
// naming ads, or naming nothing else, passes.
func TestConsentHeaderProblem(t *testing.T) {
	for _, h := range []string{"Patient Arrived", "Did Not Arrive", "Accepted Email Marketing", "Accepted SMS Marketing",
		"Accepted Privacy Policy", "patient_arrived", "Unsubscribed", "Do Not Contact", "Consent to Treat", "HIPAA Consent",
		"Status", "到診狀態", "簡訊同意", "短信授权", "Marketing opt out", "No Show", "Cancelled",
		// Yes/no columns naming something else (an older config init
		// mapped the first two: testdata/exports 31 and 29).
		"是否初诊", "booked_via_api", "是否已发送提醒", "初診", "New Patient", "Reminder Sent", "预约渠道",
		"New patient consent", "初诊同意", "Reminder consent"} {
		if ConsentHeaderProblem(h) == "" {
			t.Errorf("%q passes as the consent column's header", h)
		}
	}
	for _, h := range []string{"ad_measurement_consent", "AdConsent (patfield)", "Marketing Consent", "行銷同意", "营销授权",
		"Ads consent", "廣告成效同意", "Consent", "同意", "Opted in", "是否同意将个人信息用于广告",
		"New patient ad consent", "是否同意广告追踪(初诊)", "Marketing consent (online booking)", "Online booking consent"} {
		if why := ConsentHeaderProblem(h); why != "" {
			t.Errorf("%q refused as the consent column's header: %s", h, why)
		}
	}
}

// TestConsentHeadersThatAreConsentsPass: the refusal's first version
// stopped clinics whose column is the real consent — a marketing consent
// naming the personal data it uses (個資行銷同意, a privacy word), an
// opt-in whose header ends in "Status" — every upload, with no way
// around (the session's diff review); a header naming a channel beside
// marketing stays refused.
func TestConsentHeadersThatAreConsentsPass(t *testing.T) {
	for _, h := range []string{"個資行銷同意", "同意使用個人資料於行銷", "個人資料使用同意(行銷)", "隱私權政策及行銷同意",
		"个人信息营销同意", "隐私与营销授权", "个人信息处理同意(营销)",
		"Marketing Opt-In Status", "Opt-in Status", "Privacy & marketing consent", "Data privacy consent (marketing)"} {
		if why := ConsentHeaderProblem(h); why != "" {
			t.Errorf("%q refused as the consent column's header: %s", h, why)
		}
	}
	for _, h := range []string{"SMS marketing consent", "Email marketing opt-in", "Accepted Email Marketing", "簡訊行銷同意",
		"Privacy Policy", "Appointment Status", "Marketing opt out"} {
		if ConsentHeaderProblem(h) == "" {
			t.Errorf("%q passes as the consent column's header", h)
		}
	}
}

// TestGroupIDIsNoOrderID: Zenoti's appointments data model
// (help.zenoti.com/en/analytics/zenoti-analytics-plus/appointments-data-model.html;
// docs.zenoti.com/reference/appointment-group-created): one row per service,
// "appointment pk" unique per row, "appointment group id" shared by the
// services booked together — 7 values over 14 rows. config init proposed
// the group id as the order id, and the dry-run dropped the group's other
// visits as duplicate_order (and one guest's refusal withdrew the group's
// visits: consent_refused_order). The row's own key is the order id.
func TestGroupIDIsNoOrderID(t *testing.T) {
	p := profileFixture(t, "zenoti-appointments.tsv")
	if got := p.Mapped("order_id"); !slices.Equal(got, []string{"appointment pk"}) {
		t.Errorf("order_id = %q, want [appointment pk]", got)
	}
}

// TestRepeatedOrderIDAsked: a column named like an order id whose values
// repeat (not nearly one per row) is no order id: every repeat would be
// dropped as duplicate_order. config init asks instead — over a small
// export and over one with more distinct values than the profile counts.
func TestRepeatedOrderIDAsked(t *testing.T) {
	for _, rows := range []int{14, 3000} {
		var b strings.Builder
		b.WriteString("Booking ID,Appointment Time,Email,Status\n")
		for i := range rows {
			fmt.Fprintf(&b, "B%05d,2026-11-%02d 09:30,canary.b%d@example.com,Completed\n", 10000+i/2, 1+i%28, i)
		}
		p, err := Run(strings.NewReader(b.String()), "repeated.csv", Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Mapped("order_id"); got != nil {
			t.Errorf("%d rows, each id twice: order_id = %q, want none (asked)", rows, got)
		}
		// The same ids once each are the order id.
		b.Reset()
		b.WriteString("Booking ID,Appointment Time,Email,Status\n")
		for i := range rows {
			fmt.Fprintf(&b, "B%05d,2026-11-%02d 09:30,canary.b%d@example.com,Completed\n", 10000+i, 1+i%28, i)
		}
		if p, err = Run(strings.NewReader(b.String()), "unique.csv", Options{}); err != nil {
			t.Fatal(err)
		}
		if got := p.Mapped("order_id"); !slices.Equal(got, []string{"Booking ID"}) {
			t.Errorf("%d rows, ids unique: order_id = %q, want [Booking ID]", rows, got)
		}
	}
}

// TestOptInWordsAndTicksShown: Phorest's marketing-consent answers
// (support.phorest.com/hc/en-us/articles/360017457239: Opt in, Opt out,
// Not now; "Opted in"/"Opted out" in an export, as the review found in
// Pabau's too) and a spreadsheet's ✓ (U+2713, where only √ was known) were
// no words of hashgate's: config init hid every value and proposed
// nothing. They are now: "Opted in" and ✓ proposed, "Opted out" offered as
// a refusal; "Not now" — no answer yet — stays unknown, counted.
func TestOptInWordsAndTicksShown(t *testing.T) {
	p := profileFixture(t, "phorest-opt-in-words.csv")
	chosen, offered := choices(p.GrantedChoices())
	if !slices.Equal(chosen, []string{"opted in"}) || !slices.Equal(offered, []string{"opted out"}) {
		t.Errorf("granted chosen %q offered %q, want [opted in] and [opted out]", chosen, offered)
	}
	if n := p.Unshown("consent"); n != 2 {
		t.Errorf("%d consent values unshown, want 2 (Not now)", n)
	}
	p = profileFixture(t, "checkmark-consent.csv")
	if chosen, _ := choices(p.GrantedChoices()); !slices.Equal(chosen, []string{"✓"}) {
		t.Errorf("granted chosen %q, want [✓]", chosen)
	}
}

// choices splits config init's consent words into those proposed and
// those offered, folded.
func choices(cs []Choice) (chosen, offered []string) {
	for _, c := range cs {
		if c.Chosen {
			chosen = append(chosen, strings.ToLower(c.Value))
		} else {
			offered = append(offered, strings.ToLower(c.Value))
		}
	}
	return chosen, offered
}

// TestArrivalsListSourceAndVisitKinds: 维乐口腔's 到诊明细表, an arrivals
// list (his.wellekq.com/article/255: 日期 … 病历号 姓名 … 一级来源 二级来源
// 三级来源 介绍人 … 状态 营业收入 … 实收 …). config init proposed the
// introducer 介绍人 — a person, empty in every row — as the source, and
// ignored the filled 一级来源. Its 状态 holds 复诊/初诊, kinds of visit: init
// showed only 复诊 (a channel word) as "not a word hashgate knows", and
// choosing it dropped every first visit. The source is a filled 来源; 状态 is
// set aside as kinds of visit, both words shown, and no status mapped:
// every row of an arrivals list is a visit. Of the filled 一级来源 and
// 二级来源, the source is 二级来源: more of its rows are channel words (百度,
// 转介绍; preferChannelSources).
func TestArrivalsListSourceAndVisitKinds(t *testing.T) {
	p := profileFixture(t, "wellekq-arrivals.csv")
	if got := p.Mapped("source"); !slices.Equal(got, []string{"二级来源"}) {
		t.Errorf("source = %q, want [二级来源]", got)
	}
	if got := p.Mapped("status"); got != nil {
		t.Errorf("status = %q, want none: 状态 holds kinds of visit", got)
	}
	var why string
	for _, s := range p.SetAside {
		if s.Header == "状态" {
			why = s.Why
		}
	}
	if why != WhyVisitKind {
		t.Errorf("状态 set aside as %q, want %q (%+v)", why, WhyVisitKind, p.SetAside)
	}
	var words []string
	for _, c := range p.Columns {
		if c.Header == "状态" {
			for _, v := range c.Vocabulary {
				words = append(words, v.Name)
			}
		}
	}
	slices.Sort(words)
	if !slices.Equal(words, []string{"初诊", "复诊"}) {
		t.Errorf("状态's words shown: %q, want [初诊 复诊]", words)
	}
}

// TestSourceIsNoPersonAndAFilledColumnWins: the introducer (介绍人, 推荐人)
// is a person, no channel, filled or not; and a column empty in every row
// loses its key to a filled one, however well its header fits ("来源"
// empty beside a filled 一级来源).
func TestSourceIsNoPersonAndAFilledColumnWins(t *testing.T) {
	filled := func(h string) Column {
		return Column{Header: h, Filled: 14, Distinct: 3, Classes: []Share{{ClassText, 14}}}
	}
	for _, cols := range [][]Column{
		{filled("一级来源"), filled("介绍人")},
		{filled("推荐人"), filled("一级来源")},
		{{Header: "来源", Filled: 0}, filled("一级来源")},
	} {
		if got := mapped(proposeMapping(cols), "source"); !slices.Equal(got, []string{"一级来源"}) {
			t.Errorf("columns %q, %q: source = %q, want [一级来源]", cols[0].Header, cols[1].Header, got)
		}
	}
}

// TestSevenDigitIDsAreNoROCDates: seven-digit patient ids (7731001…, as a
// review found in a Centaur Dental4Windows export) were profiled as ROC
// dates yyymmdd — year 773 — since the date check had no year bound while
// the phone check's did (< 200). ROC 115 (2026) still reads as a date.
func TestSevenDigitIDsAreNoROCDates(t *testing.T) {
	for in, want := range map[string]string{
		"7731001": ClassInteger, "7731231": ClassInteger, "2001010": ClassInteger,
		"1151102": ClassDateROCCompact, "0990101": ClassDateROCCompact, "1151102093000": ClassDateTimeROC,
	} {
		if got, _ := Classify(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// TestDecimalCommaFeesFound: an export written where the comma marks
// decimals, which Excel saves with semicolons (de_DE: decimal comma, list
// separator semicolon; mail-archive.com/dev@sc.openoffice.org/msg01565.html).
// Its fees "150,00" and "1.250,00" profiled as text, and config init did
// not propose input.decimal_comma. They are amounts with a decimal comma,
// and the profile says so for the value column.
func TestDecimalCommaFeesFound(t *testing.T) {
	for in, want := range map[string]string{"150,00": ClassAmountDecimalComma, "1.250,00": ClassAmountDecimalComma, "€ 80,50": ClassAmountDecimalComma,
		"1,250.00": ClassAmount, "1,250": ClassAmount, "150.00": ClassAmount} {
		if got, _ := Classify(in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	p := profileFixture(t, "semicolon-decimal-comma.csv")
	if got := p.Mapped("value"); !slices.Equal(got, []string{"Price"}) || !p.DecimalComma {
		t.Errorf("value %q, decimal comma %v; want [Price] and true", got, p.DecimalComma)
	}
	// Dots for decimals: no decimal comma.
	if p := profileFixture(t, "d4w-blank-consent.csv"); p.DecimalComma {
		t.Error("decimal comma proposed for an export without one")
	}
}
