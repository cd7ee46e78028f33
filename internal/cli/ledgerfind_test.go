package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestLedgerFindAnswersAnAccessRequest plays a privacy officer's review:
// a patient asks "did you send my data to Google or Meta — when, what, on
// what consent?". Four nights of uploads (her visits on the first two,
// her withdrawal on the third, a later visit kept out on the fourth,
// another patient's visit every night); then `ledger find` with the
// archived exports and her chart number lists exactly her sent events —
// both destinations, their event times and the nights that sent them —
// says her withdrawal and the night that first remembered it, names her
// rows never sent by file:line, and prints nothing of the other patient.
// Before it, the officer dry-ran her rows with "revoked" edited to "yes"
// against a missing ledger and grepped `ledger list --run` over every run.
func TestLedgerFindAnswersAnAccessRequest(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	nights := []string{
		twExport(t, herVisit1+otherPatient("18")),
		twExport(t, herVisit2+otherPatient("19")),
		twExport(t, herWithdraw+otherPatient("20")),
		twExport(t, herWithdraw+herLater+otherPatient("21")), // a rolling export: the withdrawal again
	}
	runs := uploadNights(t, env, cfg, nights)
	// Every event id the ledger holds, by run.
	idsOf := map[string][]string{}
	var all []string
	for _, run := range runs {
		r := runGoogle(t, env, "", true, "ledger", "list", "--config", cfg, "--run", run, "--json")
		var evs []struct {
			EventID string `json:"event_id"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &evs) != nil {
			t.Fatalf("ledger list --run: exit %d\n%s", r.code, r.stderr)
		}
		for _, e := range evs {
			idsOf[run] = append(idsOf[run], e.EventID)
			all = append(all, e.EventID)
		}
	}
	list := filepath.Join(t.TempDir(), "request-0042.txt")
	// Her chart number as the clinic system writes it, and a patient of
	// no export.
	if err := os.WriteFile(list, []byte("# access request 0042\nA007001\nZ999999\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"ledger", "find", "--config", cfg, "--patients", list}
	for _, exp := range nights {
		args = append(args, "--export", exp)
	}
	r := runGoogle(t, env, "", true, args...)
	if r.code != 0 {
		t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	t.Logf("\n%s%s", r.stdout, r.stderr)
	if strings.Contains(r.stderr, "match only when") {
		t.Errorf("rows of another patient named as matching under the fold\n%s", r.stderr)
	}
	var lines [][]string
	for _, l := range strings.Split(r.stdout, "\n") {
		if f := strings.Split(l, "\t"); len(f) == 11 && f[0] != "row" {
			lines = append(lines, f)
		}
	}
	// Her two visits, each to Google and Meta, sent by nights 1 and 2.
	if len(lines) != 4 {
		t.Fatalf("%d event lines, want 4 (2 visits × 2 destinations)\n%s", len(lines), r.stdout)
	}
	hers := map[string]bool{}
	for _, f := range lines {
		row, id, dest, kind, when, run, state := f[0], f[1], f[2], f[3], f[5], f[6], f[8]
		hers[id] = true
		night := slices.Index(runs, run)
		want := map[int]struct{ row, when string }{
			0: {nights[0] + ":2", "2026-11-18T01:00:00Z"},
			1: {nights[1] + ":2", "2026-11-19T01:00:00Z"},
		}[night]
		switch {
		case want.row == "":
			t.Errorf("an event of run %s (night %d): only nights 1 and 2 sent her visits\n%s", run, night+1, r.stdout)
		case row != want.row || when != want.when || kind != "visit" || state != "ingested":
			t.Errorf("night %d: row %s, time %s, kind %s, state %s; want %s at %s, a visit ingested", night+1, row, when, kind, state, want.row, want.when)
		case !slices.Contains(idsOf[run], id):
			t.Errorf("event id %s is not one run %s recorded", id, run)
		case !strings.HasPrefix(dest, "google:") && !strings.HasPrefix(dest, "meta:"):
			t.Errorf("destination %q", dest)
		}
	}
	if len(hers) != 2 {
		t.Errorf("%d distinct event ids, want her 2 visits'", len(hers))
	}
	// The other patient's four visits are in the ledger, and nowhere in
	// the answer.
	others := 0
	for _, id := range all {
		if !hers[id] {
			others++
			if strings.Contains(r.stdout+r.stderr, id) {
				t.Errorf("the answer prints another patient's event id %s", id)
			}
		}
	}
	if others != 8 {
		t.Errorf("%d event records of the other patient in the ledger, want 8 (4 visits × 2 destinations)", others)
	}
	for _, want := range []string{
		"# 2 listed patient(s), 1 found in the input; 5 row(s); 4 event record(s) in the ledger",
		"withdrawal: remembered since run " + runs[2] + " ",
		"; read again by run " + runs[3] + " at ",
		"(every appointment)",
		"never sent: " + nights[2] + ":2 (event id ",
		"never sent: " + nights[3] + ":2 (event id ",
		"never sent: " + nights[3] + ":3 (event id ",
	} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the answer lacks %q\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "never sent: "+nights[0]) || strings.Contains(r.stdout, "never sent: "+nights[1]) {
		t.Errorf("a sent row said never sent\n%s", r.stdout)
	}
	// Canary: no cell of either patient's rows is printed, stdout or
	// stderr, in text or JSON.
	jr := runGoogle(t, env, "", true, append(args, "--json")...)
	var js struct {
		Events      []json.RawMessage `json:"events"`
		Withdrawn   bool              `json:"withdrawn"`
		Withdrawals []struct {
			Run string `json:"run"`
		} `json:"withdrawals"`
		NeverSent []json.RawMessage `json:"never_sent"`
	}
	if jr.code != 0 || json.Unmarshal([]byte(jr.stdout), &js) != nil || len(js.Events) != 4 || !js.Withdrawn ||
		len(js.Withdrawals) != 2 || js.Withdrawals[0].Run != runs[2] || len(js.NeverSent) != 3 {
		t.Errorf("--json: exit %d\n%s%s", jr.code, jr.stdout, jr.stderr)
	}
	printed := r.stdout + r.stderr + jr.stdout + jr.stderr
	for _, raw := range []string{"A007001", "a007001", "007001", "Z999999", "00007002", "病患", "0912-700", "0912700", "912700001", "912700002", "115/11/", "上午", "撤回", "同意"} {
		if strings.Contains(printed, raw) {
			t.Errorf("ledger find printed a raw value (%q)", raw)
		}
	}
}

// TestLedgerFindRefusals: a composite order id cannot be looked up by
// order ids (the officer holds no such id), a config without a patient
// key says to find by --orders, and no refusal echoes a value.
func TestLedgerFindRefusals(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, "A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, exp); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	noKey := twComposite(t, gURL, mURL, func(s string) string { return strings.Replace(s, "    patient_key: \"病歷號碼\"\n", "", 1) })
	for _, c := range []struct {
		name, cfg, stdin, want string
		args                   []string
	}{
		{"orders with a composite order id", cfg, "A007001\n", "input.columns.order_id", []string{"--orders", "-"}},
		{"patients without a patient key", noKey, "A007001\n", "find them by --orders", []string{"--export", exp, "--patients", "-"}},
		{"an export without patients", cfg, "", "--patients FILE", []string{"--export", exp}},
		{"orders beside an export", cfg, "", "--orders is a lookup by order ids alone", []string{"--export", exp, "--orders", exp}},
		{"folded with orders", cfg, "A007001\n", "--folded", []string{"--orders", "-", "--folded"}},
		{"no secret", cfg, "A007001\n", "secret", []string{"--export", exp, "--patients", "-"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := env
			if c.name == "no secret" {
				e = map[string]string{}
				for k, v := range env {
					if k != "HASHGATE_SECRET" {
						e[k] = v
					}
				}
			}
			r := runGoogle(t, e, c.stdin, true, append([]string{"ledger", "find", "--config", c.cfg}, c.args...)...)
			if r.code == 0 || !strings.Contains(r.stderr, c.want) || strings.Contains(r.stdout+r.stderr, "A007001") {
				t.Errorf("exit %d; want a refusal naming %q, no value\n%s%s", r.code, c.want, r.stdout, r.stderr)
			}
		})
	}
}
