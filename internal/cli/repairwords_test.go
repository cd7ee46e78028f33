package cli

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestRequeueSaysTheStateOfWhatItCannotRequeue: `ledger requeue EVENT_ID`
// of an event with no final processing failure said only "nothing to
// requeue". It says the event's state at each destination and what
// sends it: not sent (an outage's) — the next upload sends it; ingested —
// nothing failed, and a changed fee is destinations.google.restate's; an
// id no upload recorded — not in the ledger.
func TestRequeueSaysTheStateOfWhatItCannotRequeue(t *testing.T) {
	clk, env, cfg := outageNight(t, 2)
	ls := runOnClock(clk, env, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(ls.stdout), &runs); err != nil || len(runs) != 1 {
		t.Fatalf("ledger list: %v\n%s", err, ls.stdout)
	}
	evs := runOnClock(clk, env, "ledger", "list", "--json", "--run", runs[0].ID, "--config", cfg)
	var events []struct {
		Destination string `json:"destination"`
		EventID     string `json:"event_id"`
		State       string `json:"state"`
	}
	if err := json.Unmarshal([]byte(evs.stdout), &events); err != nil || len(events) != 4 {
		t.Fatalf("ledger list --run: %v\n%s", err, evs.stdout)
	}
	id := events[0].EventID
	r := runOnClock(clk, env, "ledger", "requeue", "--config", cfg, id)
	for _, want := range []string{
		"event " + id + " at google:1234567890/555000111 is not_sent: the next upload sends it",
		"event " + id + " at meta:998877 is ingested: no failure recorded, nothing to requeue\n",
	} {
		if r.code != ExitFailure || !strings.Contains(r.stderr, want) {
			t.Errorf("requeue of a not-sent and ingested event does not say %q: exit %d\n%s", want, r.code, r.stderr)
		}
	}
	unknown := strings.Repeat("ab", 16)
	if r := runOnClock(clk, env, "ledger", "requeue", "--config", cfg, unknown); r.code != ExitFailure || !strings.Contains(r.stderr, "event "+unknown+" is not in the ledger") {
		t.Errorf("requeue of an id no upload recorded: exit %d\n%s", r.code, r.stderr)
	}
	// Ingested by Google, whose fees a restatement sends again.
	_, gURL := googleFake(t, nil)
	genv := googleEnv(t)
	gcfg := googleOnly(t, gURL, "http://127.0.0.1:1", "")
	if r := runGoogle(t, genv, "", true, "upload", "--config", gcfg, exportFile(t, 1, "")); r.code != ExitOK {
		t.Fatalf("google upload: exit %d\n%s", r.code, r.stderr)
	}
	gid := newestEvent(t, genv, gcfg)
	if r := runGoogle(t, genv, "", true, "ledger", "requeue", "--config", gcfg, gid); r.code != ExitFailure ||
		!strings.Contains(r.stderr, "event "+gid+" at google:1234567890/555000111 is ingested") || !strings.Contains(r.stderr, "destinations.google.restate") {
		t.Errorf("requeue of an event Google ingested: exit %d\n%s", r.code, r.stderr)
	}
}

// newestEvent is the first event id of the newest run `ledger list` names.
func newestEvent(t *testing.T, env map[string]string, cfg string) string {
	t.Helper()
	ls := runGoogle(t, env, "", true, "ledger", "list", "--json", "--config", cfg)
	var runs []struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal([]byte(ls.stdout), &runs); err != nil || len(runs) == 0 {
		t.Fatalf("ledger list: %v\n%s", err, ls.stdout)
	}
	evs := runGoogle(t, env, "", true, "ledger", "list", "--json", "--run", runs[0].ID, "--config", cfg)
	var events []struct {
		EventID string `json:"event_id"`
	}
	if err := json.Unmarshal([]byte(evs.stdout), &events); err != nil || len(events) == 0 {
		t.Fatalf("ledger list --run: %v\n%s", err, evs.stdout)
	}
	return events[0].EventID
}

// TestUnrevokeARunSaysWhoStaysWithdrawn: `ledger unrevoke --run R1` of a
// patient another run also remembers forgot R1's record and said only
// "forgot 1": the patient stays withdrawn, and it says so.
func TestUnrevokeARunSaysWhoStaysWithdrawn(t *testing.T) {
	gURL := func() string { _, u := googleFake(t, nil); return u }()
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	var ids []string
	for range 2 {
		r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, twExport(t, withdraws))
		var rep struct {
			RunID string `json:"run_id"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.RunID == "" {
			t.Fatalf("upload: exit %d %v\n%s%s", r.code, err, r.stdout, r.stderr)
		}
		ids = append(ids, rep.RunID)
	}
	r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--run", ids[0])
	if r.code != ExitOK || !strings.Contains(r.stderr, "forgot 1 withdrawn patient(s) remembered by run "+ids[0]) ||
		!strings.Contains(r.stderr, "1 of them stay withdrawn: another run remembers them too") {
		t.Fatalf("unrevoke --run of a patient another run remembers: exit %d\n%s", r.code, r.stderr)
	}
	r = runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--run", ids[1])
	if r.code != ExitOK || !strings.Contains(r.stderr, "forgot 1 withdrawn patient(s)") || strings.Contains(r.stderr, "stay withdrawn") {
		t.Fatalf("unrevoke --run of the last run that remembers: exit %d\n%s", r.code, r.stderr)
	}
}

// TestHashRefusesARegionThatIsNone: `hash --region taiwan` read every
// national number as phone_region_needed; it is a usage error naming
// --region (exit 2), as the config's region is.
func TestHashRefusesARegionThatIsNone(t *testing.T) {
	r := runGoogle(t, map[string]string{}, "", true, "hash", "--for", "meta", "--field", "phone", "--region", "taiwan", "0912-345-678")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "--region") || strings.Contains(strings.ToLower(r.stderr), "taiwan") || r.stdout != "" {
		t.Fatalf("hash --region taiwan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = runGoogle(t, map[string]string{"HASHGATE_REGION": "taiwan"}, "", true, "hash", "--for", "meta", "--field", "phone", "0912-345-678")
	if r.code != ExitUsage || !strings.Contains(r.stderr, "HASHGATE_REGION") || r.stdout != "" {
		t.Fatalf("HASHGATE_REGION=taiwan: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestValidatingNothingClaimsNoRead: `upload --validate` (with or without
// --backfill) on a Meta-only config without a test code sends nothing
// and reads no row, and said "0 rows read from export.csv" as if the
// export were empty.
func TestValidatingNothingClaimsNoRead(t *testing.T) {
	_, url := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := metaConfig(t, url, "")
	for _, args := range [][]string{{"--validate", "--backfill"}, {"--validate"}} {
		r := runWithHTTP(t, http.DefaultClient, env, append(append([]string{"upload"}, args...), "--config", cfg, exportFile(t, 3, ""))...)
		if r.code != ExitOK || strings.Contains(r.stderr, "0 rows read") || !strings.Contains(r.stderr, "rows not read: nothing to validate") {
			t.Errorf("upload %v: exit %d\n%s", args, r.code, r.stderr)
		}
	}
}
