package cli

import (
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// newestRun is the id of the run `ledger list` names first (the newest).
func newestRun(t *testing.T, clock *simClock, env map[string]string, cfg string) string {
	t.Helper()
	ls := runAt(t, clock, env, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(ls.stdout), &runs); err != nil || len(runs) == 0 {
		t.Fatalf("ledger list --json: %v\n%s%s", err, ls.stdout, ls.stderr)
	}
	return runs[0].ID
}

// TestAnUnansweredValidationIsNeverTakenForARealSend: a Meta validation
// (test_event_code) whose every request was written and then lost (the
// connection reset) delivered nothing, whatever reached Meta: test events
// are never taken as delivered (docs/contract.md M9). It was recorded as a real send left unanswered: the
// summary promised a resend the platform deduplicates, `status` counted
// the events as sent and never answered, the real upload a week later
// kept them back as unconfirmed past Meta's window (exit 3) and told the
// user to `ledger confirm` the validation — which recorded test events as
// delivered, so that no upload ever sent them.
func TestAnUnansweredValidationIsNeverTakenForARealSend(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)}
	var reset atomic.Bool
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock.Now,
		Fault: func(_ int, w http.ResponseWriter, _ *http.Request) bool {
			if reset.Load() {
				destinationtest.Reset(w)
				return true
			}
			return false
		}}
	url := g.Start(t).URL
	cfg, testCfg := metaConfig(t, url, ""), metaConfig(t, url, "    test_event_code: TEST4242\n")
	env := uploadEnv(t)
	export := filepath.Join(t.TempDir(), "export.csv")
	day0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	// Night 0: a real upload, so the ledger has delivered to the dataset.
	growingExport(t, export, day0, 1, "")
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Fatalf("night 0: exit %d\n%s", r.code, r.stderr)
	}
	// Day 1: a validation of the grown export, every request lost.
	clock.Advance(24 * time.Hour)
	growingExport(t, export, day0, 2, "")
	reset.Store(true)
	v := runAt(t, clock, env, "upload", "--validate", "--config", testCfg, export)
	if v.code != ExitFailure || !strings.Contains(v.stderr, "unanswered") {
		t.Fatalf("the validation: exit %d\n%s", v.code, v.stderr)
	}
	for _, s := range []string{"resends them", "resent by the next run", "which the platform deduplicates"} {
		if strings.Contains(v.stderr, s) {
			t.Errorf("the validation's summary says %q of test events:\n%s", s, v.stderr)
		}
	}
	if !strings.Contains(v.stderr, "a validation: never counted as delivered") {
		t.Errorf("the validation's summary does not say its unanswered events are never counted:\n%s", v.stderr)
	}
	validation := newestRun(t, clock, env, cfg)
	st := runAt(t, clock, env, "status", "--config", cfg)
	if strings.Contains(st.stdout, "sent and never answered") {
		t.Errorf("status counts the validation's events as sent and never answered:\n%s", st.stdout)
	}
	c := runAt(t, clock, env, "ledger", "confirm", "--run", validation, "--config", cfg)
	if c.code != ExitUsage || !strings.Contains(c.stderr, "a validation delivers nothing") || strings.Contains(c.stderr, "recorded as delivered") {
		t.Fatalf("ledger confirm --run <the validation>: exit %d\n%s", c.code, c.stderr)
	}
	// A week later, the real upload sends the 3 new conversions.
	reset.Store(false)
	clock.Advance(7 * 24 * time.Hour)
	r := runAt(t, clock, env, "upload", "--config", cfg, export)
	// The 2 dated before the first delivery, 6 days old or older now,
	// are history a lost ledger may have sent: kept back until
	// --backfill (horizon27). The validation sent none of them.
	if r.code != ExitOK || !strings.Contains(r.stderr, "1 of 1 conversions ingested") || !strings.Contains(r.stderr, "kept back 2 conversions") || strings.Contains(r.stderr, "unconfirmed") {
		t.Fatalf("the real upload a week later: exit %d\n%s", r.code, r.stderr)
	}
	if r := runAt(t, clock, env, "upload", "--backfill", "--config", cfg, export); r.code != ExitOK || !strings.Contains(r.stderr, "2 of 2 conversions ingested") || strings.Contains(r.stderr, "unconfirmed") {
		t.Fatalf("the backfill a week later: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 6)
}

// TestAnUnansweredGoogleValidationIsNotConfirmable: the same with Google
// validate_only. Google takes a resend at any age, so the real upload
// sent them before; `status` still counted them as sent and never
// answered, and `ledger confirm` recorded them as delivered — after
// which no upload sent them.
func TestAnUnansweredGoogleValidationIsNotConfirmable(t *testing.T) {
	clock := &simClock{t: fixedNow}
	var reset atomic.Bool
	dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		if reset.Load() {
			destinationtest.Reset(w)
			return true
		}
		return false
	})
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	cfg := googleOnly(t, gURL, mURL, "")
	export := exportFile(t, 5, "")
	reset.Store(true)
	if v := runAt(t, clock, env, "upload", "--validate", "--config", cfg, export); v.code != ExitFailure || strings.Contains(v.stderr, "resent by the next run") {
		t.Fatalf("the validation: exit %d\n%s", v.code, v.stderr)
	}
	validation := newestRun(t, clock, env, cfg)
	if st := runAt(t, clock, env, "status", "--config", cfg); strings.Contains(st.stdout, "sent and never answered") {
		t.Errorf("status counts the validation's events as sent and never answered:\n%s", st.stdout)
	}
	ls := runAt(t, clock, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(ls.stdout, "sent 0,") || !strings.Contains(ls.stdout, "validated 5") {
		t.Errorf("ledger stats:\n%s%s", ls.stdout, ls.stderr)
	}
	if c := runAt(t, clock, env, "ledger", "confirm", "--run", validation, "--destination", "google", "--config", cfg); c.code != ExitUsage || !strings.Contains(c.stderr, "a validation delivers nothing") {
		t.Fatalf("ledger confirm --run <the validation>: exit %d\n%s", c.code, c.stderr)
	}
	reset.Store(false)
	clock.Advance(24 * time.Hour)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK || !strings.Contains(r.stderr, "5 of 5 conversions ingested") {
		t.Fatalf("the real upload: exit %d\n%s", r.code, r.stderr)
	}
	destinationtest.ExactlyOnce(t, dm.Accepted(), 5)
}
