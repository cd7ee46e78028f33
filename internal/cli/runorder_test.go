package cli

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/ledger"
)

// TestLedgerListAndStatsOrderRunsOfOneSecondByStart: two runs started in
// the same second, the second one's random id suffix sorting before the
// first's. `ledger list` (newest first) printed the older one first and
// `ledger stats` swapped first_run and last_run: runs were sorted by id.
func TestLedgerListAndStatsOrderRunsOfOneSecondByStart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "ledger.db")
	now := fixedNow
	l, err := ledger.Open(ctx, path, ledger.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	// A second run whose id sorts before the first's: rounds of a first
	// and up to 8 seconds (ledger's sameSecondRuns says why).
	first, second := "", ""
	for round := 0; round < 64 && second == ""; round++ {
		now = fixedNow
		if first, err = l.StartRun(ctx, ledger.RunInfo{ToolVersion: "test"}); err != nil {
			t.Fatal(err)
		}
		now = fixedNow.Add(500 * time.Millisecond)
		for range 8 {
			id, err := l.StartRun(ctx, ledger.RunInfo{ToolVersion: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if id < first {
				second = id
				break
			}
			l.DropRunIfEmpty(ctx, id)
		}
		if second == "" {
			l.DropRunIfEmpty(ctx, first)
		}
	}
	l.Close()
	if second == "" {
		t.Fatal("no second run whose id sorts before the first's in 64 tries")
	}
	env := uploadEnv(t)
	cfg := metaConfig(t, "http://127.0.0.1:1", "ledger:\n  path: "+path+"\n")

	r := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--config", cfg)
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[1], second+"\t") || !strings.HasPrefix(lines[2], first+"\t") {
		t.Errorf("ledger list: exit %d, want %s (started second) above %s:\n%s%s", r.code, second, first, r.stdout, r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &runs); err != nil || len(runs) != 2 || runs[0].ID != second || runs[1].ID != first {
		t.Errorf("ledger list --json: %v, want [%s %s]:\n%s", err, second, first, r.stdout)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "ledger", "stats", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, ": 2 runs, "+first+" … "+second+"\n") {
		t.Errorf("ledger stats: exit %d, want first %s … last %s:\n%s%s", r.code, first, second, r.stdout, r.stderr)
	}
	r = runWithHTTP(t, http.DefaultClient, env, "ledger", "stats", "--json", "--config", cfg)
	var st struct {
		FirstRun string `json:"first_run"`
		LastRun  string `json:"last_run"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &st); err != nil || st.FirstRun != first || st.LastRun != second {
		t.Errorf("ledger stats --json: first_run %s, last_run %s (%v); want %s, %s", st.FirstRun, st.LastRun, err, first, second)
	}
}
