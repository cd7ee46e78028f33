package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/report"
)

// TestTheNightThatFindsProcessingFailuresExits3: Google takes a night's
// events and then fails every one in processing (NO_CONSENT). The night
// that first finds those failures — here read first by a `status` run in
// between — exits 3 with one line saying what failed and what hashgate
// does; the next night, finding no new failures, exits 0 again. A month
// of nights had exited 0 three times over "0 processed ok, 2 failed",
// until the setting stop exited 1.
func TestTheNightThatFindsProcessingFailuresExits3(t *testing.T) {
	clk := &simClock{t: fixedNow}
	var failing atomic.Bool
	consent := "PROCESSING_ERROR_REASON_NO_CONSENT"
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Processing: destinationtest.Processing{
		Event: func(int, map[string]any) (string, string) {
			if failing.Load() {
				return consent, ""
			}
			return "", ""
		}}}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	mURL := g.Start(t).URL
	env := uploadEnv(t)
	cfg := bothConfig(t, gURL, mURL, "")
	night := func(rows int, args ...string) result {
		t.Helper()
		clk.Advance(24 * time.Hour)
		return runAt(t, clk, env, append([]string{"upload", "--quiet", "--config", cfg}, append(args, exportFile(t, rows, ""))...)...)
	}
	if r := runAt(t, clk, env, "upload", "--config", cfg, exportFile(t, 4, "")); r.code != 0 {
		t.Fatalf("night 0: exit %d\n%s", r.code, r.stderr)
	}
	failing.Store(true)
	if r := night(6); r.code != 0 { // its 2 new events fail later
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	clk.Advance(time.Hour)
	if st := runAt(t, clk, env, "status", "--config", cfg); !strings.Contains(st.stdout, "0 processed ok, 2 failed") {
		t.Fatalf("status did not read the failures:\n%s%s", st.stdout, st.stderr)
	}
	clk.Advance(-time.Hour)
	failing.Store(false)
	rep := filepath.Join(t.TempDir(), "night2.json")
	r := night(6, "--report", rep)
	if r.code != ExitPartial || strings.Count(r.stderr, "\n") != 1 ||
		!strings.Contains(r.stderr, "2 events of earlier runs failed the platform's processing") ||
		!strings.Contains(r.stderr, "google "+consent+" 2") || !strings.Contains(r.stderr, "this upload sends them again") ||
		!strings.Contains(r.stderr, "stop Google") {
		t.Fatalf("night 2, which finds the failures: exit %d\n%s", r.code, r.stderr)
	}
	raw, err := os.ReadFile(rep)
	if err != nil {
		t.Fatal(err)
	}
	var sum report.Summary
	if err := json.Unmarshal(raw, &sum); err != nil || sum.ExitCode != ExitPartial || len(sum.FailuresFound) != 1 ||
		sum.FailuresFound[0].Events != 2 || sum.FailuresFound[0].Reason != consent || !sum.FailuresFound[0].ResentByNextUpload {
		t.Errorf("night 2's report: %v\n%s", err, raw)
	}
	if r := night(6); r.code != 0 {
		t.Fatalf("night 3, no new failures: exit %d\n%s", r.code, r.stderr)
	}
}

// googleFailsNight1 runs night 0 (fine) and night 1 (whose 2 new Google
// events fail in processing) with cfg(gURL, mURL), then a `status` that
// reads the failures, as TestTheNightThatFindsProcessingFailuresExits3
// does. It returns the clock, the env and the config for what follows.
func googleFailsNight1(t *testing.T, cfg func(gURL, mURL string) string) (*simClock, map[string]string, string) {
	t.Helper()
	clk := &simClock{t: fixedNow}
	var failing atomic.Bool
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Processing: destinationtest.Processing{
		Event: func(int, map[string]any) (string, string) {
			if failing.Load() {
				return "PROCESSING_ERROR_REASON_NO_CONSENT", ""
			}
			return "", ""
		}}}
	gURL := dm.Start(t).URL + "/"
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clk.Now}
	mURL := g.Start(t).URL
	env := uploadEnv(t)
	a := cfg(gURL, mURL)
	if r := runAt(t, clk, env, "upload", "--config", a, exportFile(t, 4, "")); r.code != 0 {
		t.Fatalf("night 0: exit %d\n%s", r.code, r.stderr)
	}
	failing.Store(true)
	clk.Advance(24 * time.Hour)
	if r := runAt(t, clk, env, "upload", "--quiet", "--config", a, exportFile(t, 6, "")); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	clk.Advance(time.Hour)
	if st := runAt(t, clk, env, "status", "--config", a); !strings.Contains(st.stdout, "0 processed ok, 2 failed") {
		t.Fatalf("status did not read the failures:\n%s%s", st.stdout, st.stderr)
	}
	failing.Store(false)
	return clk, env, a
}

// A validation between the `status` that read the failures and the next
// nightly upload says nothing of them, and so does not use them up: the
// nightly upload still exits 3 for them. They were counted from the
// newest run's start, and a validation records a run.
func TestAValidationInBetweenLeavesTheFailuresToTheNextUpload(t *testing.T) {
	clk, env, cfg := googleFailsNight1(t, func(gURL, mURL string) string { return bothConfig(t, gURL, mURL, "") })
	clk.Advance(time.Hour)
	if r := runAt(t, clk, env, "upload", "--quiet", "--validate", "--config", cfg, exportFile(t, 6, "")); r.code != 0 {
		t.Fatalf("the validation: exit %d\n%s", r.code, r.stderr)
	}
	clk.Advance(22 * time.Hour)
	r := runAt(t, clk, env, "upload", "--quiet", "--config", cfg, exportFile(t, 6, ""))
	if r.code != ExitPartial || !strings.Contains(r.stderr, "google PROCESSING_ERROR_REASON_NO_CONSENT 2") {
		t.Fatalf("night 2, after the validation: exit %d; want 3 for the 2 Google failures\n%s", r.code, r.stderr)
	}
	clk.Advance(24 * time.Hour)
	if r := runAt(t, clk, env, "upload", "--quiet", "--config", cfg, exportFile(t, 6, "")); r.code != 0 {
		t.Fatalf("night 3, which said nothing new: exit %d\n%s", r.code, r.stderr)
	}
}

// Two configs on one ledger (ledger.path): A sends to Google and Meta, B
// to Meta only. Google's failures, read by A's `status`, are not B's to
// say: B's upload exits 0, and A's next night exits 3 for them.
func TestASharedLedgerSaysEachConfigsFailuresToThatConfig(t *testing.T) {
	shared := "ledger:\n  path: " + filepath.Join(t.TempDir(), "shared.db") + "\n"
	var mURL string
	clk, env, a := googleFailsNight1(t, func(gURL, m string) string {
		mURL = m
		return bothConfig(t, gURL, m, shared)
	})
	b := metaConfig(t, mURL, shared)
	clk.Advance(time.Hour)
	if r := runAt(t, clk, env, "upload", "--quiet", "--config", b, exportFile(t, 6, "")); r.code != 0 {
		t.Fatalf("B, which sends nothing to Google: exit %d; want 0\n%s", r.code, r.stderr)
	}
	clk.Advance(22 * time.Hour)
	r := runAt(t, clk, env, "upload", "--quiet", "--config", a, exportFile(t, 6, ""))
	if r.code != ExitPartial || !strings.Contains(r.stderr, "google PROCESSING_ERROR_REASON_NO_CONSENT 2") {
		t.Fatalf("A's night 2: exit %d; want 3 for its 2 Google failures\n%s", r.code, r.stderr)
	}
}
