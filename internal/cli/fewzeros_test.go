package cli

import (
	"strings"
	"testing"
)

// TestAFewTrimmedIDsStop: a clinic whose chart numbers are padded uploads
// its export; the next night's has 2 of its 10 rows pasted in from a copy
// a spreadsheet re-saved, their zeros gone, the other 8 still padded.
// Before, only a night with no zero left stopped: the 2 visits went again
// under new event ids, exit 0 (too few for the safety net), and the mixed
// shape kept turned the check off. Now the night stops before sending,
// naming the first trimmed row; --accept-new-ids passes it.
func TestAFewTrimmedIDsStop(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, zeroIDs(t, false, 48)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	sentG, sentM := len(dm.Accepted()), len(g.Accepted())
	n := 0
	night2 := chartIDs(t, 0, 10, func(padded string) string {
		n++
		if n == 4 || n == 7 {
			return strings.TrimLeft(padded, "0")
		}
		return padded
	})
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, night2)
	if r.code != 2 || len(dm.Accepted()) != sentG || len(g.Accepted()) != sentM {
		t.Fatalf("night 2: exit %d, google %d → %d, meta %d → %d (want exit 2, nothing sent)\n%s",
			r.code, sentG, len(dm.Accepted()), sentM, len(g.Accepted()), r.stderr)
	}
	for _, want := range []string{"input.columns.order_id", "some order ids", ":5:1", "--accept-new-ids", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, night2); r.code != 0 || !strings.Contains(r.stderr, "order_id_leading_zeros") {
		t.Fatalf("--accept-new-ids: exit %d\n%s", r.code, r.stderr)
	}
}
