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

// TestAMetaPermissionErrorStopsMetaOnly: Meta answers code 10 or 200
// (the token's system user lacks, or lost, its permission on the dataset:
// Graph error-handling, "Permission is either not granted or has been
// removed") while Google takes every event. A permission on one Meta
// dataset says nothing of Google's credentials, so Google's conversions
// are ingested and recorded that night; Meta's are left not sent (none
// rejected, none lost), the summary names the permission and what to fix,
// and the night exits 3 (partial). The next night, with the permission
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
			if r.code != ExitPartial || g.Requests() != 1 || len(g.Accepted()) != 0 {
				t.Fatalf("exit %d (want %d), meta requests %d, meta accepted %d\n%s", r.code, ExitPartial, g.Requests(), len(g.Accepted()), r.stderr)
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
			for _, want := range []*regexp.Regexp{
				regexp.MustCompile(`(?m)^google:\S+: ingested 30, sent 0, rejected 0, not sent 0, quarantined 0,`),
				regexp.MustCompile(`(?m)^meta:998877: ingested 0, sent 0, rejected 0, not sent 30, quarantined 0,`),
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
