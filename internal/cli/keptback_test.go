package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestFirstUploadHoldsAreKeptBackInLedgerStatsAndList: a fresh state
// directory, a 12-row export whose visits are 1 to 12 days old, a plain
// upload to Meta. The summary says 5 of 12 ingested, 0 quarantined, 7
// kept back (6 days old or older, before_first_upload); `ledger stats`
// and `ledger list` said "quarantined 7", which an analyst reads as
// failures. They show them kept back, with the reason, and quarantined 0.
func TestFirstUploadHoldsAreKeptBackInLedgerStatsAndList(t *testing.T) {
	g, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	var b strings.Builder
	b.WriteString("id,at,status,email,phone,first,last,consent\n")
	for i := 1; i <= 12; i++ { // fixedNow is 2026-11-23 17:00 in Taipei: day 23-i is i days old
		fmt.Fprintf(&b, "K%02d,2026-11-%02d 10:00,completed,zqkept%d@example.com,0912-000-%03d,Zqfirst%d,Zqlast%d,yes\n", i, 23-i, i, i, i, i)
	}
	export := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(export, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	up := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export)
	if up.code != ExitOK || !strings.Contains(up.stderr, "meta: 5 of 5 conversions ingested") || !strings.Contains(up.stderr, "kept back 7") {
		t.Fatalf("upload: exit %d\n%s", up.code, up.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 5)
	const dest = "meta:998877"

	st := runWithHTTP(t, http.DefaultClient, env, "ledger", "stats", "--config", cfg)
	if st.code != 0 || !strings.Contains(st.stdout, dest+": ingested 5, sent 0, rejected 0, not sent 0, quarantined 0, kept back 7 (before_first_upload), validated 0, restated 0\n") {
		t.Errorf("ledger stats: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	st = runWithHTTP(t, http.DefaultClient, env, "ledger", "stats", "--json", "--config", cfg)
	var stats struct {
		Events map[string]map[string]int `json:"events"`
	}
	if err := json.Unmarshal([]byte(st.stdout), &stats); err != nil {
		t.Fatal(err, st.stdout)
	}
	if e, ok := stats.Events[dest]; !ok || e["ingested"] != 5 || e["quarantined"] != 0 || e["kept_back"] != 7 {
		t.Errorf("ledger stats --json events %v: want ingested 5, quarantined 0, kept_back 7", stats.Events)
	}

	ls := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--config", cfg)
	lines := strings.Split(strings.TrimSpace(ls.stdout), "\n")
	if ls.code != 0 || len(lines) != 2 {
		t.Fatalf("ledger list: exit %d\n%s%s", ls.code, ls.stdout, ls.stderr)
	}
	head, row := strings.Split(lines[0], "\t"), strings.Split(lines[1], "\t")
	col := map[string]string{}
	for i, h := range head {
		if i < len(row) {
			col[h] = row[i]
		}
	}
	if len(head) != len(row) || col["ingested"] != "5" || col["quarantined"] != "0" || col["kept_back"] != "7" {
		t.Errorf("ledger list: want ingested 5, quarantined 0, kept_back 7:\n%s", ls.stdout)
	}
	runID := row[0]
	ls = runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		Events map[string]int `json:"events"`
	}
	if err := json.Unmarshal([]byte(ls.stdout), &runs); err != nil || len(runs) != 1 || runs[0].Events["quarantined"] != 0 || runs[0].Events["kept_back"] != 7 {
		t.Errorf("ledger list --json (%v): want quarantined 0, kept_back 7:\n%s", err, ls.stdout)
	}

	ev := runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--run", runID, "--config", cfg)
	if ev.code != 0 || strings.Count(ev.stdout, "\tkept_back\tbefore_first_upload\t") != 7 || strings.Contains(ev.stdout, "\tquarantined\t") {
		t.Errorf("ledger list --run: want 7 events kept_back, before_first_upload, none quarantined:\n%s%s", ev.stdout, ev.stderr)
	}
	ev = runWithHTTP(t, http.DefaultClient, env, "ledger", "list", "--run", runID, "--json", "--config", cfg)
	var evs []struct {
		State  string `json:"state"`
		Reason string `json:"reason"`
	}
	if err := json.Unmarshal([]byte(ev.stdout), &evs); err != nil {
		t.Fatal(err, ev.stdout)
	}
	kept := 0
	for _, e := range evs {
		if e.State == "kept_back" && e.Reason == "before_first_upload" {
			kept++
		}
	}
	if len(evs) != 12 || kept != 7 {
		t.Errorf("ledger list --run --json: %d events, %d kept_back before_first_upload; want 12, 7:\n%s", len(evs), kept, ev.stdout)
	}

	// The next night holds them back again, as before: nothing more reaches Meta.
	again := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", cfg, export)
	if again.code != ExitOK || len(g.Accepted()) != 5 {
		t.Errorf("rerun: exit %d, Meta holds %d events (want 5)\n%s", again.code, len(g.Accepted()), again.stderr)
	}
}
