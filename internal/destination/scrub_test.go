package destination

import (
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
