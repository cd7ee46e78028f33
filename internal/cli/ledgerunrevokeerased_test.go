package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// sentRows is how many of the export's rows `ledger find` finds sent for
// the patient key.
func sentRows(t *testing.T, env map[string]string, cfg, exp, key string) int {
	t.Helper()
	r := runGoogle(t, env, key+"\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", exp)
	var out struct {
		Events []struct {
			Row  string `json:"row"`
			Sent bool   `json:"sent"`
		} `json:"events"`
	}
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil {
		t.Fatalf("ledger find: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	rows := map[string]bool{}
	for _, e := range out.Events {
		if e.Sent {
			rows[e.Row] = true
		}
	}
	return len(rows)
}

// TestUnrevokeKeepsAnErasureUnlessErased (a review, 2026-12-07): chart
// 84731 withdrew and chart 0084731 — another patient in a clinic system
// that keeps leading zeros — asked to be erased. 84731 then gave consent
// again, and `ledger unrevoke --patients 84731` forgot the erasure's
// withdrawal with his: the ledger keeps withdrawals under the folded key
// alone, one digest for both, and said nothing; the next upload sent her
// later visit ticked "yes" by mistake. An erasure's withdrawal is now
// kept unless --erased is given, and stderr says so — without a key.
func TestUnrevokeKeepsAnErasureUnlessErased(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	night1 := twExport(t, zeroVisit1+"84731,病患p,115/11/18,上午 10:00,已完成,0912-731-002,撤回,1500\n")
	uploadNights(t, env, cfg, []string{night1})
	if r := runGoogle(t, env, "0084731\n", true, "ledger", "erase", "--config", cfg, "--patients", "-", night1); r.code != 0 {
		t.Fatalf("erase: exit %d\n%s", r.code, r.stderr)
	}
	unrevoke := func(extra ...string) result {
		t.Helper()
		r := runGoogle(t, env, "84731\n", true, append([]string{"ledger", "unrevoke", "--config", cfg, "--patients", "-"}, extra...)...)
		t.Logf("\n%s", r.stderr)
		if r.code != 0 {
			t.Fatalf("unrevoke: exit %d\n%s", r.code, r.stderr)
		}
		if strings.Contains(r.stderr, "84731") {
			t.Errorf("unrevoke printed a patient key\n%s", r.stderr)
		}
		return r
	}
	r := unrevoke()
	want := "1 listed patient(s) matched a withdrawal an erasure keeps ('ledger erase')"
	if !strings.Contains(r.stderr, want) || !strings.Contains(r.stderr, "--erased") {
		t.Errorf("unrevoke does not say the erasure was kept (%q, --erased)\n%s", want, r.stderr)
	}
	night2 := twExport(t, "0084731,病患z,115/11/21,上午 09:00,已完成,0912-731-001,同意,1500\n")
	uploadNights(t, env, cfg, []string{night2})
	if n := sentRows(t, env, cfg, night2, "0084731"); n != 0 {
		t.Errorf("the erased patient's later visit was sent after another patient's unrevoke (%d row(s))", n)
	}
	r = unrevoke("--erased")
	if !strings.Contains(r.stderr, "forgot the withdrawal of 1 of the 1 listed patient(s)") || !strings.Contains(r.stderr, "an erasure's withdrawal among them, forgotten by --erased: 1 patient(s)") {
		t.Errorf("unrevoke --erased: want the erasure's withdrawal forgotten and said\n%s", r.stderr)
	}
	night3 := twExport(t, "0084731,病患z,115/11/22,上午 09:00,已完成,0912-731-001,同意,1500\n")
	uploadNights(t, env, cfg, []string{night3})
	if n := sentRows(t, env, cfg, night3, "0084731"); n != 1 {
		t.Errorf("after unrevoke --erased, her visit ticked yes: %d row(s) sent, want 1", n)
	}
}

// TestUnrevokeRunKeepsAnErasuresIdentifiers: `ledger erase` keeps a
// patient's withdrawal and the e-mail and phone remembered with it, which
// keep her out under a new chart number. `unrevoke --run` of the night she
// withdrew (its consent column found mapped wrong) kept the erasure's
// record of her key but forgot her identifiers with the run's: her
// renumbered chart, carrying her e-mail and phone, ticked yes, was sent.
// The identifiers of a patient an erasure keeps now stay.
func TestUnrevokeRunKeepsAnErasuresIdentifiers(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, migExport(t, migRow("OLD011", 20, 10, 511, "withdrawn", "511")))
	runID := runIDOf(t, r)
	if r := runGoogle(t, env, "511\n", true, "ledger", "erase", "--config", cfg, "--patients", "-"); r.code != 0 {
		t.Fatalf("erase: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--run", runID); r.code != 0 {
		t.Fatalf("unrevoke --run: exit %d\n%s", r.code, r.stderr)
	}
	// Her new chart number, her e-mail and phone, ticked yes.
	r = runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, migRow("NEW011", 22, 10, 511, "yes", "B0511")))
	if r.code != 0 || len(dm.Accepted()) != 0 {
		t.Errorf("after unrevoke --run, the erased patient's renumbered chart: exit %d, google %d (want kept out by her identifiers)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}
