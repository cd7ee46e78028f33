package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestALedgerDeletedMidRunStopsTheRun (review of OS failures): the state
// directory removed while an upload waits for its first answer went
// unnoticed — exit 0, and the next night a new ledger resent everything
// and forgot the withdrawals. The run stops sending at its next batch and,
// when there is none, before it reports success: exit 1 naming the
// ledger and what happened.
func TestALedgerDeletedMidRunStopsTheRun(t *testing.T) {
	for name, rows := range map[string]int{"at the first of three requests": 2500, "at its only request": 20} {
		t.Run(name, func(t *testing.T) {
			env := uploadEnv(t)
			state := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
			g, url := metaFake(t, func(n int, _ http.ResponseWriter, _ *http.Request) bool {
				if n == 1 {
					if err := os.RemoveAll(state); err != nil {
						t.Error(err)
					}
				}
				return false
			})
			r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, url, ""), exportFile(t, rows, ""))
			ledger := filepath.Join(state, "ledger.db")
			if r.code != ExitFailure || !strings.Contains(r.stderr, "hashgate/ledger.db was deleted while this run had it open") || !strings.Contains(r.stderr, "recorded nowhere") {
				t.Fatalf("exit %d, want 1 naming %s and what happened\n%s", r.code, ledger, r.stderr)
			}
			if n := len(g.Accepted()); n > 1000 {
				t.Errorf("Meta took %d events: the run went on sending after its ledger was gone", n)
			}
		})
	}
}
