package inspect

import (
	"slices"
	"testing"
)

// TestHeaderScore: the headers config init used to miss are found, a
// near-miss spelling is tolerated, and the vetoes hold.
func TestHeaderScore(t *testing.T) {
	for _, c := range []struct {
		header, key string
		want        bool
	}{
		{"AdConsent (patfield)", "consent", true},
		{"行銷同意", "consent", true},
		{"营销授权", "consent", true},
		{"廣告授權", "consent", true},
		{"Marketing Opt-In", "consent", true},
		{"到诊状态", "status", true},
		{"到診狀態", "status", true},
		{"stauts", "status", true},
		{"病歷號碼", "patient_key", true},
		{"客户编号", "patient_key", true},
		{"AptNum", "order_id", true},
		{"预约单号", "order_id", true},
		{"AptDateTime", "appointment_at", true},
		// Vetoes: what a header is not, whatever it shares with a term.
		{"SMS consent", "consent", false},
		{"consent_at", "consent", false},
		{"Birthdate", "appointment_date", false},
		{"出生日期", "appointment_date", false},
		{"Patient ID", "order_id", false},
		{"付款狀態", "status", false},
		{"Notes", "consent", false},
		{"State", "status", false}, // two edits from status: an address column
		// Opt-outs: "yes" there means no (review of sixteen vendors'
		// layouts, 2026-12-06).
		{"Email Unsubscribed", "consent", false},
		{"Mass Email Unsubscribed", "consent", false},
		{"Unsubscribed", "consent", false},
		{"Marketing Opt-Out", "consent", false},
		{"Opt Out", "consent", false},
		{"Do Not Contact", "consent", false},
		{"DNC", "consent", false},
		{"No Marketing", "consent", false},
		{"拒收營銷", "consent", false},
		{"退订", "consent", false},
		{"营销退订", "consent", false},
		{"Marketing opt-in", "consent", true},
		// Subscriptions are neither addresses nor appointment statuses.
		{"Email Unsubscribed", "email", false},
		{"Email Okay", "email", false},
		{"Mail Okay", "email", false},
		{"Email Subscription Status", "status", false},
		{"SMS Status", "status", false},
		{"Email Address", "email", true},
		// "cell" inside "cancelled", "source" inside "Resource".
		{"cancelled_at", "phone", false},
		{"Cancellation reason", "phone", false},
		{"Canceled", "phone", false},
		{"Cancelled", "phone", false},
		{"Miscellaneous Note", "phone", false},
		{"Resource", "source", false},
		{"Cell Phone", "phone", true},
		{"WirelessPhone", "phone", true},
		{"APPTSTATUS", "status", true},
		// A form's submission time and time spent are no appointment time.
		{"Timestamp", "appointment_time", false},
		{"Submission Timestamp", "appointment_time", false},
		{"時間戳記", "appointment_time", false},
		{"时间戳", "appointment_time", false},
		{"所用时间", "appointment_time", false},
		{"用時", "appointment_time", false},
		{"提交答卷时间", "appointment_time", false},
		{"希望預約日期", "appointment_date", true},
		{"Preferred appointment date", "appointment_date", true},
		// A full name is no last name ("lname" inside "fullname").
		{"Full name", "last_name", false},
		{"Full name", "first_name", false},
		{"LName", "last_name", true},
	} {
		got := headerScore(c.key, c.header) >= minScore
		if got != c.want {
			t.Errorf("headerScore(%q, %q) = %.2f; proposed %v, want %v", c.key, c.header, headerScore(c.key, c.header), got, c.want)
		}
	}
}

// TestValuesDecideAmbiguousHeaders: a column named only "同意" holding
// dates is not the consent; an unnamed-looking column of 同意/不同意 is
// NOT the consent column by its values alone (a 是否初诊 first-visit flag
// is 是/否 too, and which yes/no column won depended on column order), but
// a column of status words is still the status column by its values.
func TestValuesDecideAmbiguousHeaders(t *testing.T) {
	cols := []Column{
		{Index: 1, Header: "預約編號", Filled: 10, Distinct: 10, Classes: []Share{{ClassInteger, 10}}},
		{Index: 2, Header: "同意", Filled: 10, Distinct: 3, Classes: []Share{{ClassDateISO, 10}}},
		{Index: 3, Header: "欄位七", Filled: 10, Distinct: 2, Classes: []Share{{ClassVocabulary, 10}},
			Vocabulary: []Share{{"同意", 6}, {"不同意", 4}}},
		{Index: 4, Header: "備註", Filled: 10, Distinct: 3, Classes: []Share{{ClassVocabulary, 10}},
			Vocabulary: []Share{{"已完成", 6}, {"爽約", 4}}},
	}
	got := map[string]string{}
	for _, m := range proposeMapping(cols) {
		got[m.Key] = m.Headers[0]
	}
	for key, want := range map[string]string{"order_id": "預約編號", "consent": "", "status": "備註"} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q (all: %v)", key, got[key], want, got)
		}
	}
	if got["consent"] == "同意" {
		t.Error("a column of dates was proposed as the consent column")
	}
	// Not mapped, but offered: the person answering the ASK sees it.
	if c := consentCandidates(cols, proposeMapping(cols)); !slices.Equal(c, []string{"欄位七"}) {
		t.Errorf("consent candidates = %q, want [欄位七]", c)
	}
}

// TestEmptyColumnProposedForNothing: a column with no filled cell is no
// order id, however well its header fits (Square's Reference ID: every
// row was then excluded as missing_order_id).
func TestEmptyColumnProposedForNothing(t *testing.T) {
	cols := []Column{
		{Index: 1, Header: "Reference ID", Filled: 0},
		{Index: 2, Header: "Email Address", Filled: 6, Distinct: 6, Classes: []Share{{ClassEmail, 6}}},
		{Index: 3, Header: "Marketing Consent", Filled: 0},
	}
	for _, m := range proposeMapping(cols) {
		if m.Key == "order_id" || m.Key == "consent" {
			t.Errorf("%s proposed from an empty column: %v", m.Key, m.Headers)
		}
	}
	// An optional column empty on the first day is still mapped by its
	// header: the click ids and consent times of later nights are read
	// (a review: an empty gclid column left Google nothing, silently).
	cols = append(cols, Column{Index: 4, Header: "gclid", Filled: 0}, Column{Index: 5, Header: "fbclid", Filled: 0},
		Column{Index: 6, Header: "Consent Date", Filled: 0})
	got := map[string]string{}
	for _, m := range proposeMapping(cols) {
		got[m.Key] = m.Headers[0]
	}
	for key, want := range map[string]string{"gclid": "gclid", "fbclid": "fbclid", "consent_at": "Consent Date"} {
		if got[key] != want {
			t.Errorf("%s = %q, want %q (all: %v)", key, got[key], want, got)
		}
	}
}

// TestAdConsentOutranksMarketingOptIn: of a general marketing opt-in and a
// consent naming ads, the ad consent is proposed, in either column order
// ("Ads consent" scored below "Marketing opt-in": "ads" is no "ad").
func TestAdConsentOutranksMarketingOptIn(t *testing.T) {
	optIn := Column{Header: "Marketing opt-in", Filled: 4, Distinct: 1, Classes: []Share{{ClassText, 4}}}
	ads := Column{Header: "Ads consent", Filled: 5, Distinct: 2, Classes: []Share{{ClassInteger, 5}}}
	for _, cols := range [][]Column{{optIn, ads}, {ads, optIn}} {
		if got := mapped(proposeMapping(cols), "consent"); !slices.Equal(got, []string{"Ads consent"}) {
			t.Errorf("consent = %q, want [Ads consent] (columns %s, %s)", got, cols[0].Header, cols[1].Header)
		}
	}
}

// TestFlagIsNoAddress: a yes/no column whose header says e-mail, with a
// typo that slips past the vetoes ("Email Remniders"), is no e-mail column.
func TestFlagIsNoAddress(t *testing.T) {
	cols := []Column{
		{Index: 1, Header: "Email", Filled: 6, Distinct: 6, Classes: []Share{{ClassEmail, 6}}},
		{Index: 2, Header: "Email Remniders", Filled: 6, Distinct: 2, Classes: []Share{{ClassVocabulary, 6}},
			Vocabulary: []Share{{"Yes", 4}, {"No", 2}}},
	}
	if got := mapped(proposeMapping(cols), "email"); !slices.Equal(got, []string{"Email"}) {
		t.Errorf("email = %q, want [Email]", got)
	}
}

// TestOutcomeHeader: the headers a run names when no status column is
// mapped (Cliniko's did_not_arrive and cancelled_at, 爽約), and not the
// ones that say nothing of the visit's outcome.
func TestOutcomeHeader(t *testing.T) {
	for h, want := range map[string]bool{
		"did_not_arrive": true, "cancelled_at": true, "Patient Arrived": true, "爽約": true, "取消原因": true,
		"email": false, "starts_at": false, "Appointment Type": false, "ad_measurement_consent": false,
	} {
		if got := OutcomeHeader(h); got != want {
			t.Errorf("OutcomeHeader(%q) = %v, want %v", h, got, want)
		}
	}
}
