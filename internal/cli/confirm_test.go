package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestUnconfirmedPastTheWindowExits3OnceAndCanBeConfirmed: a crash leaves
// three Meta events unconfirmed, and nobody runs for a week. The night
// that first keeps them back exits 3; the nights after say so and exit 0
// (they exited 3 every night until the events left the export). A person
// who finds them in Events Manager records them delivered with `ledger
// confirm`, which sends nothing: the ledger calls them confirmed_by_user,
// never ingested, and no upload reports them again.
func TestUnconfirmedPastTheWindowExits3OnceAndCanBeConfirmed(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	night := func(days int, args ...string) result {
		growingExport(t, export, day0, days, "")
		return runAt(t, clock, env, append(append([]string{"upload", "--config", cfg}, args...), export)...)
	}
	if r := night(1); r.code != ExitOK {
		t.Fatalf("night 0: exit %d\n%s", r.code, r.stderr)
	}
	clock.Advance(24 * time.Hour)
	sent := clock.Now()
	if r := night(2); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	crashAfterSending(t, env, sent)
	clock.Advance(7 * 24 * time.Hour)
	r := night(2, "--quiet")
	if r.code != ExitPartial || !strings.Contains(r.stderr, "3 conversions left unconfirmed") {
		t.Fatalf("the night that first keeps them back: exit %d\n%s", r.code, r.stderr)
	}
	requests := g.Requests()
	clock.Advance(24 * time.Hour)
	r = night(2)
	if r.code != ExitOK || !strings.Contains(r.stderr, "3 conversions were sent by a run that never learnt the answer") ||
		!strings.Contains(r.stderr, "3 of them kept back so in an earlier run too") || !strings.Contains(r.stderr, "hashgate ledger confirm --run") {
		t.Fatalf("the night after: exit %d\n%s", r.code, r.stderr)
	}
	ls := runAt(t, clock, env, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		ID     string         `json:"id"`
		Events map[string]int `json:"events"`
	}
	if err := json.Unmarshal([]byte(ls.stdout), &runs); err != nil {
		t.Fatalf("ledger list --json: %v\n%s", err, ls.stdout)
	}
	crashed := ""
	for _, x := range runs {
		if x.Events["sent"] == 3 {
			crashed = x.ID
		}
	}
	if crashed == "" {
		t.Fatalf("no run with 3 events sent:\n%s", ls.stdout)
	}
	c := runAt(t, clock, env, "ledger", "confirm", "--run", crashed, "--config", cfg)
	if c.code != 0 || !strings.Contains(c.stderr, "meta:998877: 3 events of run "+crashed+" recorded as delivered (confirmed_by_user)") {
		t.Fatalf("ledger confirm: exit %d\n%s", c.code, c.stderr)
	}
	if g.Requests() != requests {
		t.Fatalf("%d requests reached Meta", g.Requests()-requests)
	}
	st := runAt(t, clock, env, "ledger", "stats", "--config", cfg)
	if !strings.Contains(st.stdout, "meta:998877: ingested 3, confirmed by user 3, sent 0,") {
		t.Errorf("ledger stats after confirm:\n%s%s", st.stdout, st.stderr)
	}
	clock.Advance(24 * time.Hour)
	r = night(2)
	if r.code != ExitOK || strings.Contains(r.stderr, "never learnt the answer") || !strings.Contains(r.stderr, "6 already ingested") || g.Requests() != requests {
		t.Fatalf("the night after confirm: exit %d, %d requests\n%s", r.code, g.Requests()-requests, r.stderr)
	}
	if again := runAt(t, clock, env, "ledger", "confirm", "--run", crashed, "--config", cfg); again.code != 0 || !strings.Contains(again.stderr, "nothing to confirm") {
		t.Errorf("confirm again: exit %d\n%s", again.code, again.stderr)
	}
}
