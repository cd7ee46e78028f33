package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// outageNight is a night on which Google refuses every request (429, the
// per-minute quota) until the retry budget is spent, while Meta takes
// everything: exit 3, Google's events not sent. A refusal, not a 503: a
// 5xx does not prove the request was not processed, and its events are
// unanswered, may have arrived (TestAnEventProcessedThenAnswered5xx…).
func outageNight(t *testing.T, rows int) (clk *simClock, env map[string]string, cfg string) {
	t.Helper()
	clk = &simClock{t: fixedNow}
	dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		clk.Sleep(context.Background(), 3*time.Second)
		destinationtest.QuotaExceeded(w, 30)
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

// TestTheLedgerCallsAnOutagesEventsNotSent: the summary of a night Google
// refused says "0 rejected, 2 not sent … retry_budget_exhausted"; `ledger
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

// TestStatusSaysWhatTheLastUploadLeft: after a Google 503 night, status
// listed the run with Meta only and said nothing of the 2 events not
// sent; it now says the last upload's exit code, what was not sent and
// why, and what waits — in text and under last_upload in --json.
func TestStatusSaysWhatTheLastUploadLeft(t *testing.T) {
	clk, env, cfg := outageNight(t, 2)
	const google = "google"
	st := runOnClock(clk, env, "status", "--config", cfg)
	for _, want := range []string{"last upload ", ": exit 3\n", "  " + google + ": not sent 2 (", "  " + google + ": 2 events wait for the next upload"} {
		if !strings.Contains(st.stdout, want) {
			t.Errorf("status lacks %q:\n%s%s", want, st.stdout, st.stderr)
		}
	}
	if strings.Contains(st.stdout, "meta: not sent") || strings.Contains(st.stdout, "rejected") {
		t.Errorf("status says more than was left:\n%s", st.stdout)
	}
	js := runOnClock(clk, env, "status", "--json", "--config", cfg)
	var doc struct {
		Last *struct {
			ExitCode     int `json:"exit_code"`
			Destinations []struct {
				Destination string `json:"destination"`
				NotSent     int    `json:"not_sent"`
				Waiting     int    `json:"waiting_for_next_upload"`
				Outage      bool   `json:"stopped_by_outage"`
			} `json:"destinations"`
		} `json:"last_upload"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || doc.Last == nil || doc.Last.ExitCode != 3 || len(doc.Last.Destinations) != 1 ||
		doc.Last.Destinations[0].Destination != google || doc.Last.Destinations[0].NotSent != 2 || doc.Last.Destinations[0].Waiting != 2 || !doc.Last.Destinations[0].Outage {
		t.Errorf("status --json: %v\n%s", err, js.stdout)
	}
}

// TestAValidationDoesNotHideWhatTheLastUploadLeft: `status` describes the
// newest upload for real; a `--validate` run the morning after an outage
// delivered nothing and hid the events waiting (a review of the late
// landings).
func TestAValidationDoesNotHideWhatTheLastUploadLeft(t *testing.T) {
	clk, env, cfg := outageNight(t, 2)
	if r := runOnClock(clk, env, "upload", "--validate", "--config", cfg, exportFile(t, 2, "")); r.code == ExitUsage {
		t.Fatalf("upload --validate: exit %d\n%s", r.code, r.stderr)
	}
	st := runOnClock(clk, env, "status", "--config", cfg)
	if !strings.Contains(st.stdout, "  google: not sent 2 (") || !strings.Contains(st.stdout, ": exit 3\n") {
		t.Errorf("after a validation, status lost the outage night:\n%s%s", st.stdout, st.stderr)
	}
	// The outage night is the last upload, not an earlier one of a night
	// the validation ended: since status lists a night's unclean uploads
	// (status27), that list alone no longer told a validation taken for
	// the last upload (the closing mutant run).
	if strings.Contains(st.stdout, "earlier the same night") || !strings.Contains(st.stdout, "last upload ") {
		t.Errorf("after a validation, status says the outage night as an earlier one:\n%s%s", st.stdout, st.stderr)
	}
}
