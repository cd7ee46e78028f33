package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
)

// fastNightLedger writes a ledger of three nights to Meta: one three days
// before fixedNow, one whose clock ran a year fast two days before, and
// last night's. It returns the ledger's path and the runs' ids.
func fastNightLedger(t *testing.T) (path, before, fast, last string) {
	t.Helper()
	ctx := context.Background()
	path = filepath.Join(t.TempDir(), "ledger.db")
	now := fixedNow
	l, err := ledger.Open(ctx, path, ledger.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dest := ledger.Destination{Key: ledger.DestinationKey("meta", "998877"), MaxAge: 62 * 24 * time.Hour}
	night := func(at time.Time, seed byte) string {
		now = at
		id, err := l.StartRun(ctx, ledger.RunInfo{ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		ev, _ := eventid.NewDeriver("fast-night").Derive(string(rune('a' + seed)))
		r, err := l.Sending(ctx, id, dest, []eventid.ID{ev})
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Answered(ctx, r, ledger.StateAccepted, "", "req"); err != nil {
			t.Fatal(err)
		}
		return id
	}
	before = night(fixedNow.Add(-72*time.Hour), 1)
	fast = night(fixedNow.Add(-48*time.Hour+365*24*time.Hour), 2)
	last = night(fixedNow.Add(-24*time.Hour), 3)
	return path, before, fast, last
}

// TestTheMorningReaderIsToldOfAFastNight: `ledger list` put the run of a
// night whose clock ran a year fast above every run after it (with
// --limit 1, last night's run was not shown at all), and said nothing of
// why its dates lay a year ahead; status listed it as the latest run. The
// runs go in the order they were recorded, and the fast one is named.
func TestTheMorningReaderIsToldOfAFastNight(t *testing.T) {
	path, _, fast, last := fastNightLedger(t)
	env := uploadEnv(t)
	cfg := metaConfig(t, "http://127.0.0.1:1", "ledger:\n  path: "+path+"\n")

	r := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--limit", "1", "--config", cfg)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[1], last+"\t") {
		t.Errorf("ledger list --limit 1: exit %d, want last night's run %s:\n%s%s", r.code, last, r.stdout, r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stderr, "run "+fast+" recorded a start (") || !strings.Contains(r.stderr, "that night's clock ran fast") {
		t.Errorf("ledger list does not name the fast night's run %s:\n%s", fast, r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		ID    string `json:"id"`
		Ahead bool   `json:"started_ahead_of_clock"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &runs); err != nil || len(runs) != 3 || runs[0].ID != last || runs[1].ID != fast || !runs[1].Ahead || runs[0].Ahead || runs[2].Ahead {
		t.Errorf("ledger list --json: %v, want %s first and %s second, ahead of the clock:\n%s", err, last, fast, r.stdout)
	}

	r = runWithHTTP(t, http.DefaultClient, env, "status", "--budget", "0", "--config", cfg)
	fi, li := strings.Index(r.stdout, "run "+fast+" (recorded with a time ahead of this clock"), strings.Index(r.stdout, "run "+last+"\n")
	if r.code != 0 || fi < 0 || li < fi {
		t.Errorf("status: exit %d, want the fast night %s said to be ahead and listed before last night's %s:\n%s%s", r.code, fast, last, r.stdout, r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "status", "--json", "--budget", "0", "--config", cfg)
	var st struct {
		Runs []struct {
			RunID string `json:"run_id"`
			Ahead bool   `json:"recorded_ahead_of_clock"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || len(st.Runs) != 2 || st.Runs[0].RunID != fast || !st.Runs[0].Ahead || st.Runs[1].RunID != last || st.Runs[1].Ahead {
		t.Errorf("status --json: %v, want %s (ahead of the clock) then %s:\n%s", err, fast, last, r.stdout)
	}
}
