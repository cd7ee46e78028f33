package cli

import (
	"fmt"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// mirrorExit is the exit code of the mirror night: Google refuses the
// account (PERMISSION_DENIED) while Meta takes every event. A destination
// stopped for a permission a person must give exits as that one does —
// today 1, the setting to fix named (uploadOutcome; README, *Exit codes*
// and the Google setting stop) — whichever platform it is.
func mirrorExit(t *testing.T) int {
	t.Helper()
	dm, gURL := googleFake(t, nil)
	dm.Destinations = []string{"9999999999/555000111"}
	g, mURL := metaFake(t, nil)
	r := runGoogle(t, googleEnv(t), "", true, "upload", "--config", bothConfig(t, gURL, mURL, ""), exportFile(t, 30, ""))
	if len(g.Accepted()) != 30 || len(dm.Accepted()) != 0 || !strings.Contains(r.stderr, "PERMISSION_DENIED") {
		t.Fatalf("mirror night: exit %d, meta %d, google %d\n%s", r.code, len(g.Accepted()), len(dm.Accepted()), r.stderr)
	}
	if r.code != ExitFailure {
		t.Errorf("mirror night exits %d, want %d", r.code, ExitFailure)
	}
	return r.code
}

// TestAMetaPermissionErrorStopsMetaOnly: Meta answers code 10 or 200
// (the token's system user lacks, or lost, its permission on the dataset:
// Graph error-handling, "Permission is either not granted or has been
// removed") while Google takes every event. A permission on one Meta
// dataset says nothing of Google's credentials, so Google's conversions
// are ingested and recorded that night; Meta's are left not sent (none
// rejected, none lost), the summary names the permission and what to fix,
// and the night exits as Google's PERMISSION_DENIED beside a Meta that
// took everything does (mirrorExit). The next night, with the permission
// given back, sends Meta's events exactly once and Google's none again.
func TestAMetaPermissionErrorStopsMetaOnly(t *testing.T) {
	for _, code := range []int{200, 10} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			denied := true
			dm, gURL := googleFake(t, nil)
			g, mURL := metaFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
				if denied {
					destinationtest.GraphPermissionDenied(w, code)
				}
				return denied
			})
			env := googleEnv(t)
			// Batches of 10 on both sides: Meta is refused while Google
			// still has batches to send.
			cfg := bothConfig(t, gURL, mURL, "    batch_size: 10\n")
			os.WriteFile(cfg, []byte(strings.Replace(mustRead(t, cfg), "dataset_id: \"998877\"\n", "dataset_id: \"998877\"\n    batch_size: 10\n", 1)), 0o600)
			in := exportFile(t, 30, "")

			r := runGoogle(t, env, "", true, "upload", "--config", cfg, in)
			if want := mirrorExit(t); r.code != want || g.Requests() != 1 || len(g.Accepted()) != 0 {
				t.Fatalf("exit %d (want %d, as Google's PERMISSION_DENIED beside a Meta that took everything), meta requests %d, meta accepted %d\n%s", r.code, want, g.Requests(), len(g.Accepted()), r.stderr)
			}
			destinationtest.ExactlyOnce(t, dm.Accepted(), 30)
			for _, s := range []string{"google: 30 of 30 conversions ingested", "meta: 0 of 30 conversions ingested", fmt.Sprintf("stopped: %d (HTTP 403)", code), "destinations.meta.dataset_id", "system user", "the next run sends"} {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("summary does not say %q:\n%s", s, r.stderr)
				}
			}
			if strings.Contains(r.stderr, metaToken) || strings.Contains(r.stderr, "quarantined:") {
				t.Errorf("the token is printed, or events are blamed:\n%s", r.stderr)
			}
			st := runGoogle(t, env, "", true, "ledger", "stats", "--config", cfg)
			// The ledger holds Google's 30 ingested and none of Meta's
			// sent, rejected or quarantined: all 30 wait.
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`(?m)^\s+google:\S+: ingested 30, sent 0, rejected 0, not sent 0, quarantined 0,`),
				regexp.MustCompile(`(?m)^\s+meta:998877: ingested 0, sent 0, rejected 0, not sent \d+, quarantined 0,`),
				regexp.MustCompile(`(?m)^\s+meta: 30 events wait until the stop above is fixed$`),
			} {
				if !want.MatchString(st.stdout) {
					t.Errorf("ledger stats do not match %s:\n%s%s", want, st.stdout, st.stderr)
				}
			}

			denied = false
			if r := runGoogle(t, env, "", true, "upload", "--config", cfg, in); r.code != ExitOK {
				t.Fatalf("next night: exit %d\n%s", r.code, r.stderr)
			}
			destinationtest.ExactlyOnce(t, g.Accepted(), 30)
			destinationtest.ExactlyOnce(t, dm.Accepted(), 30)
		})
	}
}
