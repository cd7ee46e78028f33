package cli

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// outageNight is a night on which Google answers 503 until the retry
// budget is spent, while Meta takes everything: exit 3, Google's events
// not sent.
func outageNight(t *testing.T, rows int) (clk *simClock, env map[string]string, cfg string) {
	t.Helper()
	clk = &simClock{t: fixedNow}
	dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		clk.Sleep(context.Background(), 3*time.Second)
		destinationtest.Unavailable(w)
		return true
	})
	dm.Now = func() time.Time { return fixedNow }
	_, mURL := metaFake(t, nil)
	env = googleEnv(t)
	cfg = bothConfig(t, gURL, mURL, "    retry_budget_minutes: 1\n")
	r := runOnClock(clk, env, "upload", "--config", cfg, exportFile(t, rows, ""))
	if r.code != ExitPartial || !strings.Contains(r.stderr, "0 rejected, 2 not sent") || !strings.Contains(r.stderr, "retry_budget_exhausted") {
		t.Fatalf("outage night: exit %d\n%s", r.code, r.stderr)
	}
	return clk, env, cfg
}

// TestTheLedgerCallsAnOutagesEventsNotSent: the summary of a Google 503
// night says "0 rejected, 2 not sent … retry_budget_exhausted"; `ledger
// stats` and `ledger list` said "rejected 2" of the same events, which
// Google never refused.
func TestTheLedgerCallsAnOutagesEventsNotSent(t *testing.T) {
	clk, env, cfg := outageNight(t, 2)
	st := runOnClock(clk, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(st.stdout, "google:1234567890/555000111: ingested 0, sent 0, rejected 0, not sent 2,") {
		t.Errorf("ledger stats:\n%s%s", st.stdout, st.stderr)
	}
	js := runOnClock(clk, env, "ledger", "stats", "--json", "--config", cfg)
	if !strings.Contains(js.stdout, `"not_sent": 2`) {
		t.Errorf("ledger stats --json:\n%s", js.stdout)
	}
	ls := runOnClock(clk, env, "ledger", "list", "--config", cfg)
	lines := strings.Split(strings.TrimSpace(ls.stdout), "\n")
	if len(lines) != 2 || !strings.HasSuffix(lines[0], "\tnot_sent\tconfirmed_by_user") || !strings.HasSuffix(lines[1], "\t2\t0") {
		t.Errorf("ledger list:\n%s%s", ls.stdout, ls.stderr)
	}
}

// TestUnansweredEventsHaveTheirOwnHeading: events whose requests went
// unanswered were listed under "meta rejected:", which reads as Meta's
// refusal; they may have arrived.
func TestUnansweredEventsHaveTheirOwnHeading(t *testing.T) {
	_, url := metaFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		destinationtest.Reset(w)
		return true
	})
	up := runWithHTTP(t, http.DefaultClient, uploadEnv(t), "upload", "--config", metaConfig(t, url, ""), exportFile(t, 3, ""))
	if strings.Contains(up.stderr, "meta rejected:") || !strings.Contains(up.stderr, "meta unanswered (may have arrived; resent by the next run under the same event ids):\n    unanswered_may_have_arrived 3") {
		t.Errorf("upload: exit %d\n%s", up.code, up.stderr)
	}
}
