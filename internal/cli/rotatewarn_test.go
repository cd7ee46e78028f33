package cli

import (
	"strings"
	"testing"
)

// TestARefusedSecondRotationDoesNotSayItKeepsTheNewFingerprint: the
// rotation B→C while withdrawals wait under A stops (exit 2) whatever
// --accept-new-ids says, so the ledger keeps no new fingerprint; the
// secret stop's "going on (--accept-new-ids), and the ledger keeps the new
// one's fingerprint" line, printed before the stop, told the person the
// opposite of what happened (a documentation review).
func TestARefusedSecondRotationDoesNotSayItKeepsTheNewFingerprint(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret, prevNewSecret
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2]))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "older secret") {
		t.Fatalf("night 3 (rotation B→C): exit %d; want the second-rotation stop, exit 2\n%s", r.code, r.stderr)
	}
	for _, lie := range []string{"keeps the new one's fingerprint", "going on (--accept-new-ids)"} {
		if strings.Contains(r.stderr, lie) {
			t.Errorf("a refused night says %q, though it stopped and kept nothing:\n%s", lie, r.stderr)
		}
	}
}
