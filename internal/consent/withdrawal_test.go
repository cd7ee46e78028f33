package consent

import (
	"testing"
	"time"
)

// annotatedWithdrawals are consent cells that record a withdrawal written
// beside or after the grant it ends, as clinic staff annotate a cell
// rather than overwrite it: each is a withdrawal, consent_revoked, as a
// plain "revoked" is. Before, a revocation had to start the cell, and
// these read as words nobody knows (consent_not_granted): the row alone
// was excluded, and the patient's earlier consented visits were sent (a
// review, session 29).
var annotatedWithdrawals = []string{
	"yes (revoked)", "yes - revoked", "Y (撤回)", "同意(已撤回)", "同意撤回", "不再同意", "withdrew consent", "Withdrew",
	"unsubscribed", "opted-out", "Opted Out", "opt-out", "OPT_OUT", "optout", "yes – opted out", "Ｙｅｓ（ＲＥＶＯＫＥＤ）",
	"consent revocation received", "yes, withdrawn 2024-06-01", "同意（已撤銷）", "同意-已撤销", "已退訂", "退订", "拒收广告",
	"取消同意", "同意後取消授權", "Soft Opt-Out", "yes - sms only (revoked)", "No longer: withdrawal", "y/unsub",
	"Y撤回", "ok已退订", "opt–out", "opt−out",
}

// TestAWithdrawalAnywhereInTheCellIsAWithdrawal: a withdrawal marker
// anywhere in the cell — after folding case, width, punctuation and
// hyphens — makes it consent_revoked, whatever else the cell says, in
// English, 繁體 and 简体; and a value mentioning one is never granted,
// even listed in consent.granted (config validation refuses it,
// GrantedConflicts; the channel report's config is not asked).
func TestAWithdrawalAnywhereInTheCellIsAWithdrawal(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes", "y", "同意"}})
	for _, v := range annotatedWithdrawals {
		if got := p.Screen(v); got != ReasonRevoked {
			t.Errorf("%q: Screen %q, want %q", v, got, ReasonRevoked)
		}
	}
	granting := NewPolicy(Options{Granted: annotatedWithdrawals})
	for _, v := range annotatedWithdrawals {
		if got := granting.Screen(v); got != ReasonRevoked {
			t.Errorf("%q listed as granted: Screen %q, want %q", v, got, ReasonRevoked)
		}
	}
	if got := GrantedConflicts(Options{Granted: annotatedWithdrawals}); len(got) != len(annotatedWithdrawals) {
		t.Errorf("GrantedConflicts found %d of the %d withdrawals: %v", len(got), len(annotatedWithdrawals), got)
	}
	// A word a clinic adds to consent.revoked is read anywhere too.
	own := NewPolicy(Options{Granted: []string{"yes"}, Revoked: []string{"zq-stopped"}})
	for _, v := range []string{"zq-stopped", "yes (ZQ stopped)", "yes, zqstopped"} {
		if got := own.Screen(v); got != ReasonRevoked {
			t.Errorf("configured %q: Screen %q, want %q", v, got, ReasonRevoked)
		}
	}
}

// TestWordsThatOnlyContainAWithdrawalAreNone: a marker counts where a
// word begins, so words that merely hold one ("unrevoked",
// "irrevocable", "adopt out") are not withdrawals — still never granted
// unless listed; a negation is not parsed ("not revoked" is a withdrawal:
// withholding needlessly, never sending wrongly).
func TestWordsThatOnlyContainAWithdrawalAreNone(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes", "unrevoked", "irrevocable consent"}})
	for v, want := range map[string]string{
		"unrevoked":           "",
		"irrevocable consent": "",
		"zqadopt out":         ReasonNotGranted,
		"optimal":             ReasonNotGranted,
		"not revoked":         ReasonRevoked,
		"yes (not opted out)": ReasonRevoked,
		"yes - sms only":      ReasonScoped,
		"no":                  ReasonDenied,
		"取消":                  ReasonNotGranted, // an appointment's "cancelled" is no withdrawal of consent
	} {
		if got := p.Screen(v); got != want {
			t.Errorf("%q: Screen %q, want %q", v, got, want)
		}
	}
}

// TestADatedWithdrawalIsReadOnlyAtTheStart: under RevokedAllowsEarlier a
// cell that starts with the withdrawal keeps its date (the rows before it
// may pass); one that mentions it later is read undated — every
// appointment withdrawn — since where its date is, and which it dates, is
// not certain.
func TestADatedWithdrawalIsReadOnlyAtTheStart(t *testing.T) {
	p := NewPolicy(Options{Granted: []string{"yes"}, RevokedAllowsEarlier: true, Location: time.UTC})
	day := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		v      string
		reason string
		day    time.Time
	}{
		{"revoked 2024-06-01", "", day},
		{"opted out 2024-06-01", "", day},
		{"yes (revoked 2024-06-01)", ReasonRevoked, time.Time{}},
		{"同意(撤回 113/06/01)", ReasonRevoked, time.Time{}},
	} {
		reason, got := p.ScreenDated(c.v)
		if reason != c.reason || !got.Equal(c.day) {
			t.Errorf("%q: ScreenDated %q %v, want %q %v", c.v, reason, got, c.reason, c.day)
		}
	}
}

// TestEveryRevocationKeywordIsAMarker: a cell that starts with a built-in
// revocation keyword mentions a withdrawal marker, so the word read at the
// start (for its date) is never missed elsewhere in a cell.
func TestEveryRevocationKeywordIsAMarker(t *testing.T) {
	ms := newMarkers(withdrawalMarkers)
	for _, w := range builtinRevoked {
		if !mentionsWithdrawal(fold("yes ("+w+")"), ms) {
			t.Errorf("%q is a revocation keyword and no withdrawal marker", w)
		}
	}
}
