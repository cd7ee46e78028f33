package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// A night the safety net stopped (exit 2) is dropped from the ledger as
// refused, and `status` read the last upload from the ledger's runs: the
// morning after, it printed the good night before and exited 0, no sign
// that last night sent nothing (a review with real multi-night ledgers).

// refusedNightStatus is the morning after a good night and a night the
// safety net stopped: the status run, the upload's stderr, and the
// canaries of the stopped night's export.
func refusedNightStatus(t *testing.T) (st, stopped result, clk *simClock, env map[string]string, cfg string, cs []string) {
	t.Helper()
	_, env, cfg, export := acceptNight(t)
	clk = &simClock{t: fixedNow.Add(20 * time.Hour)}
	stopped = runOnClock(clk, env, "upload", "--config", cfg, export)
	if stopped.code != 2 || !strings.Contains(stopped.stderr, "input.columns.order_id") {
		t.Fatalf("the second night: exit %d; want the safety net's stop\n%s", stopped.code, stopped.stderr)
	}
	clk.t = clk.t.Add(6 * time.Hour)
	st = runOnClock(clk, env, "status", "--config", cfg)
	for i := range 26 {
		cs = append(cs, canaryForms(fmt.Sprintf("zqclinic%d@example.com", i))...)
		cs = append(cs, fmt.Sprintf("zqcfirst%d", i), fmt.Sprintf("zqclast%d", i), fmt.Sprintf("0912-555-%03d", i), fmt.Sprintf("x%03d", i+1))
	}
	return st, stopped, clk, env, cfg, cs
}

// TestStatusSaysALastNightRefusedBeforeSending: the morning after a night
// the safety net stopped, status names that night — its exit 2, that it
// was refused before sending, the stop's words — and exits 1 so that a
// morning alert fires; --json says the same under last_upload; no value
// of the export is in either.
func TestStatusSaysALastNightRefusedBeforeSending(t *testing.T) {
	st, stopped, clk, env, cfg, cs := refusedNightStatus(t)
	if st.code != ExitFailure {
		t.Errorf("status after a refused night: exit %d, want 1\n%s%s", st.code, st.stdout, st.stderr)
	}
	for _, want := range []string{"last upload ", ": exit 2, refused before sending: ", "input.columns.order_id", "nothing was sent by it"} {
		if !strings.Contains(st.stdout, want) {
			t.Errorf("status lacks %q:\n%s%s", want, st.stdout, st.stderr)
		}
	}
	if !strings.Contains(st.stderr, "refused before sending") {
		t.Errorf("status's error does not say why it exits 1:\n%s", st.stderr)
	}
	js := runOnClock(clk, env, "status", "--json", "--config", cfg)
	var doc struct {
		Last *struct {
			ExitCode int       `json:"exit_code"`
			Refused  bool      `json:"refused_before_sending"`
			Cause    string    `json:"cause"`
			Started  time.Time `json:"started_at"`
		} `json:"last_upload"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || doc.Last == nil || doc.Last.ExitCode != 2 || !doc.Last.Refused ||
		!strings.Contains(doc.Last.Cause, "input.columns.order_id") || !doc.Last.Started.Equal(fixedNow.Add(20*time.Hour)) || js.code != ExitFailure {
		t.Errorf("status --json: exit %d, %v\n%s", js.code, err, js.stdout)
	}
	ls := runOnClock(clk, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(ls.stdout, ": exit 2, refused before sending: ") {
		t.Errorf("ledger stats does not say the refused night:\n%s%s", ls.stdout, ls.stderr)
	}
	for _, r := range []result{st, js, ls, stopped} {
		assertNoCanary(t, "the refused night's outputs", r.stdout+r.stderr, cs)
	}
}

// TestARefusedNightBelongsToItsConfig: the state directory is one per
// user, its reports every config's: another config's status does not
// call this config's refused night its own.
func TestARefusedNightBelongsToItsConfig(t *testing.T) {
	_, _, clk, env, cfg, _ := refusedNightStatus(t)
	other := filepath.Join(t.TempDir(), "other.yaml")
	if err := os.WriteFile(other, []byte(mustRead(t, cfg)), 0o600); err != nil {
		t.Fatal(err)
	}
	st := runOnClock(clk, env, "status", "--config", other)
	if st.code != 0 || strings.Contains(st.stdout, "refused") {
		t.Errorf("another config's status: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
}

// TestAGoodNightAfterARefusedOneClearsStatus: the next night that goes
// through is the last upload; the refused one is no longer said.
func TestAGoodNightAfterARefusedOneClearsStatus(t *testing.T) {
	_, _, clk, env, cfg, _ := refusedNightStatus(t)
	clk.t = clk.t.Add(18 * time.Hour)
	if r := runOnClock(clk, env, "upload", "--config", cfg, writeClinic(t, clinicDays("V", 10, 4))); r.code != 0 {
		t.Fatalf("the third night: exit %d\n%s", r.code, r.stderr)
	}
	clk.t = clk.t.Add(6 * time.Hour)
	st := runOnClock(clk, env, "status", "--config", cfg)
	if st.code != 0 || strings.Contains(st.stdout, "refused") || strings.Contains(st.stdout, "last upload") {
		t.Errorf("status after a good night: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
}

// TestStatusDoesNotHideTheNightsEarlierExit: a night of two exports, the
// first cut short by a Google outage (exit 3), the second clean: status
// described the clean one only, and said nothing.
func TestStatusDoesNotHideTheNightsEarlierExit(t *testing.T) {
	clk := &simClock{t: fixedNow}
	var failing atomic.Bool
	failing.Store(true)
	dm, gURL := googleFake(t, func(_ int, w http.ResponseWriter, _ *http.Request) bool {
		if !failing.Load() {
			return false
		}
		clk.Sleep(context.Background(), 3*time.Second)
		destinationtest.QuotaExceeded(w, 30)
		return true
	})
	dm.Now = func() time.Time { return fixedNow }
	_, mURL := metaFake(t, nil)
	env := googleEnv(t)
	cfg := bothConfig(t, gURL, mURL, "    retry_budget_minutes: 1\n")
	if r := runOnClock(clk, env, "upload", "--config", cfg, exportFile(t, 2, "")); r.code != ExitPartial {
		t.Fatalf("the first file: exit %d\n%s", r.code, r.stderr)
	}
	failing.Store(false)
	clk.t = clk.t.Add(10 * time.Minute)
	second := "B00001,2026-11-20 10:00,completed,zqother1@example.com,0912-777-001,Zqo,Zqp,yes\n"
	if r := runOnClock(clk, env, "upload", "--config", cfg, exportFile(t, 0, second)); r.code != 0 {
		t.Fatalf("the second file: exit %d\n%s", r.code, r.stderr)
	}
	clk.t = clk.t.Add(6 * time.Hour)
	st := runOnClock(clk, env, "status", "--config", cfg)
	for _, want := range []string{": exit 3\n", "  google: not sent 2 ("} {
		if !strings.Contains(st.stdout, want) {
			t.Errorf("status hides the night's exit 3, lacks %q:\n%s%s", want, st.stdout, st.stderr)
		}
	}
	if st.code != 0 {
		t.Errorf("status: exit %d, want 0 (nothing refused)\n%s", st.code, st.stderr)
	}
	js := runOnClock(clk, env, "status", "--json", "--config", cfg)
	var doc struct {
		Last *struct {
			ExitCode int `json:"exit_code"`
			Earlier  []struct {
				ExitCode int `json:"exit_code"`
			} `json:"earlier_the_same_night"`
		} `json:"last_upload"`
	}
	if err := json.Unmarshal([]byte(js.stdout), &doc); err != nil || doc.Last == nil || doc.Last.ExitCode != 0 || len(doc.Last.Earlier) != 1 || doc.Last.Earlier[0].ExitCode != 3 {
		t.Errorf("status --json: %v\n%s", err, js.stdout)
	}
	// The night before is not this night: a day later, the next night's
	// clean run alone is the last upload.
	clk.t = clk.t.Add(18 * time.Hour)
	if r := runOnClock(clk, env, "upload", "--config", cfg, exportFile(t, 0, second)); r.code != 0 {
		t.Fatalf("the next night: exit %d\n%s", r.code, r.stderr)
	}
	clk.t = clk.t.Add(10 * time.Minute)
	if r := runOnClock(clk, env, "upload", "--config", cfg, exportFile(t, 0, second)); r.code != 0 {
		t.Fatalf("the next night's second run: exit %d\n%s", r.code, r.stderr)
	}
	// Two clean runs: nothing to say.
	if st := runOnClock(clk, env, "status", "--config", cfg); strings.Contains(st.stdout, "exit 3") || strings.Contains(st.stdout, "upload ") {
		t.Errorf("status of the next night says more than nothing:\n%s", st.stdout)
	}
}

// TestARefusedValidationIsNoNight: an `upload --validate` stopped before
// sending (broken quoting in its export) is a person trying the config,
// not the night's upload; the same stop without --validate is.
func TestARefusedValidationIsNoNight(t *testing.T) {
	_, env, cfg, _ := acceptNight(t)
	clk := &simClock{t: fixedNow.Add(time.Hour)}
	broken := exportFile(t, 3, "B00001,2026-11-20 10:00,completed,\"zqbroken@example.com,0912-777-001,Zqo,Zqp,yes\n")
	if r := runOnClock(clk, env, "upload", "--validate", "--config", cfg, broken); r.code == 0 {
		t.Fatalf("the validation: exit %d; want a stop\n%s", r.code, r.stderr)
	}
	if st := runOnClock(clk, env, "status", "--config", cfg); st.code != 0 || strings.Contains(st.stdout, "refused") {
		t.Errorf("status after a refused validation: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	clk.t = clk.t.Add(time.Hour)
	if r := runOnClock(clk, env, "upload", "--config", cfg, broken); r.code == 0 {
		t.Fatalf("the upload: exit %d; want a stop\n%s", r.code, r.stderr)
	}
	if st := runOnClock(clk, env, "status", "--config", cfg); st.code != ExitFailure || !strings.Contains(st.stdout, "refused before sending") {
		t.Errorf("status after the same stop without --validate: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
}
