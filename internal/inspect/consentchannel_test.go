package inspect

import (
	"strings"
	"testing"
)

// TestChannelScopedConsentHeadersRefused: consent columns a review of
// 2026-12-07 found passing as the consent to ad measurement — a channel
// word glued to "allow" (OpenEMR's hipaa_allowsms, refused only for its
// "hipaa", as a consent to care, which these columns are not: they
// default to NO), Open Dental's SMS short code and contact preferences,
// OpenEMR's portal and health information exchange flags, PracSuite's
// Soft Opt-In — each refused, for its own reason.
func TestChannelScopedConsentHeadersRefused(t *testing.T) {
	for _, c := range []struct{ header, reason string }{
		{"allowsms", "one channel"},
		{"hipaa_allowsms", "one channel"},
		{"hipaa_allowemail", "one channel"},
		{"hipaa_voice", "one channel"},
		{"smsok", "one channel"},
		{"EmailConsent", "one channel"},
		{"ShortCodeOptIn", "one channel"},
		{"allow_patient_portal", "one channel"},
		{"PreferContactMethod", "prefers to be contacted"},
		{"PreferRecallMethod", "prefers to be contacted"},
		{"PreferConfirmMethod", "prefers to be contacted"},
		{"allow_health_info_ex", "share records"},
		{"allow_imm_reg_use", "share records"},
		{"Soft Opt-In", "soft opt-in"},
		{"Soft opt-in (marketing)", "soft opt-in"},
	} {
		why := ConsentHeaderProblem(c.header)
		if !strings.Contains(why, c.reason) {
			t.Errorf("%q: %q, want a refusal saying %q", c.header, why, c.reason)
		}
	}
	// Words that hold a channel word but name none, and consents naming
	// ads or marketing, pass as before.
	for _, h := range []string{"Consent", "Context consent", "Marketing Consent", "Ad consent", "ad_measurement_consent",
		"Marketing preferences", "Opted in", "Marketing Opt-In Status"} {
		if why := ConsentHeaderProblem(h); why != "" {
			t.Errorf("%q refused: %s", h, why)
		}
	}
}
