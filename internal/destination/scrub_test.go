package destination

import (
	"net/url"
	"strings"
	"testing"
)

func TestScrubRemovesCredentialsAndIdentifiersButKeepsReasons(t *testing.T) {
	proof := "3f1c2b6a9e0d4c7b8a5f6e1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5e4f3"
	in := "Invalid appsecret_proof " + proof + " for token EAABsbCS1iHgBAzq9Zz, ya29.a0AfH6SM-zq, user ann@example.com phone +886 912 345 678; reason WARNING_REASON_INVALID_SHA256_FORMAT\n\tat events[0]"
	got := Scrub(in, "secret-token-value")
	for _, leak := range []string{proof, "EAABsbCS1iHgBAzq9Zz", "ya29.a0AfH6SM", "ann@example.com", "912 345 678", "\n", "\t"} {
		if strings.Contains(got, leak) {
			t.Errorf("scrubbed text still holds %q: %s", leak, got)
		}
	}
	if !strings.Contains(got, "WARNING_REASON_INVALID_SHA256_FORMAT") {
		t.Errorf("a reason code was scrubbed: %s", got)
	}
	if got := Scrub("the secret-token-value leaked", "secret-token-value"); strings.Contains(got, "secret-token-value") {
		t.Errorf("a given secret survived: %s", got)
	}
	long := Scrub(strings.Repeat("é mot ", 200))
	if len(long) > MaxMessage+len("…") || !strings.HasSuffix(long, "…") {
		t.Errorf("not truncated on a rune boundary: %d bytes", len(long))
	}
}

// TestScrubRemovesEveryHeldCredential: a credential the process holds is
// scrubbed from any text, as it is and URL-escaped, whoever calls Scrub
// and without being passed; escapes, bidi overrides, zero-width and line
// separators never pass; short values are not held (they would scrub
// words).
func TestScrubRemovesEveryHeldCredential(t *testing.T) {
	const refresh = "1//0gScrubTestRefresh-Token_value"
	const secret = "GOCSPX-scrub-test-client-secret"
	HoldSecret(refresh, secret, "short")
	in := "echo " + refresh + " and " + url.QueryEscape(refresh) + " and secret=" + secret + " short \x1b[2J\u009b31m\u202egnp.exe\u200b\u2028level=ERROR msg=forged"
	got := Scrub(in)
	for _, leak := range []string{refresh, url.QueryEscape(refresh), secret, "\x1b", "\u009b", "\u202e", "\u200b", "\u2028"} {
		if strings.Contains(got, leak) {
			t.Errorf("scrubbed text still holds %q: %q", leak, got)
		}
	}
	if !strings.Contains(got, "short") {
		t.Errorf("a value under MinHeldSecret was held: %q", got)
	}
	huge := strings.Repeat("A b ", 1<<20) + refresh
	if s := Scrub(huge); len(s) > MaxMessage+len("…") {
		t.Errorf("%d bytes", len(s))
	}
}

// TestScrubRemovesASecretStraddlingTheCut: secrets go before any cut, so
// none is cut in two and half printed; a text that ends in the first
// bytes of a held secret (an answer cut at MaxAnswer) loses them too.
func TestScrubRemovesASecretStraddlingTheCut(t *testing.T) {
	const tok = "EAATOKENabcdefghijklmnopqrstuvwxyz0123456789"
	HoldSecret(tok)
	for name, in := range map[string]string{
		"straddling the cut": strings.Repeat(" ", 4790) + tok + " is invalid",
		"text cut inside it": "Invalid OAuth access token " + tok[:10],
		"given, cut inside":  "Invalid OAuth access token " + "GIVENsecret-0123"[:9],
	} {
		got := Scrub(in, "GIVENsecret-0123")
		for n := 4; n <= len(tok); n++ {
			if strings.Contains(got, tok[:n]) {
				t.Errorf("%s: %q holds %d bytes of the token", name, got, n)
				break
			}
		}
		if strings.Contains(got, "GIVE") {
			t.Errorf("%s: %q holds part of a given secret", name, got)
		}
	}
	// Shapes of what is not held (another token, a phone number) are not
	// split by the cut either, wherever it falls in them.
	for pad := 4780; pad < 4800; pad++ {
		for _, v := range []string{"ya29.unheldAccessToken-0123", "+886 912 345 678"} {
			got := Scrub(strings.Repeat(" ", pad) + v + " end")
			if strings.Contains(got, "ya29") || strings.Contains(got, "886") || strings.Contains(got, "912") {
				t.Fatalf("%q cut after %d bytes left %q", v, pad, got[len(got)-min(len(got), 20):])
			}
		}
	}
	if got := Scrub("reason WARNING_REASON_INVALID_SHA256_FORMAT seen"); got != "reason WARNING_REASON_INVALID_SHA256_FORMAT seen" {
		t.Errorf("an ordinary text changed: %q", got)
	}
}
