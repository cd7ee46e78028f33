package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLedgerFindAfterErasure (the day's docs review, running the binary):
// the documented `ledger find --export archive/2026-11-*.csv` left the
// shell's extra files as arguments ("takes no arguments; received 2",
// exit 2); erase's summary said "of the 0 order(s) or event id(s) listed"
// of entries the exports gave; and after an erasure find printed her
// erased visits "never sent … not in the ledger" and named the erasure the
// first run to remember a withdrawal the uploads had remembered the night
// she withdrew. Both commands now take the exports as arguments (as the
// shell expands a glob, beside --export); erase says where its entries
// came from; find says she was erased, when, that a row with no entry may
// have been sent before, and that the erasure keeps her withdrawal — the
// one suppression record, with no run's (ledger schemaV15: the nights
// that had read her withdrawal were kept beside it, dated).
func TestLedgerFindAfterErasure(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	nights := []string{
		twExport(t, herVisit1+otherPatient("18")),
		twExport(t, herVisit2+otherPatient("19")),
		twExport(t, herWithdraw+otherPatient("20")),
	}
	uploadNights(t, env, cfg, nights)
	// The exports as the shell expands archive/2026-11-*.csv: arguments.
	find := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "find", "--config", cfg, "--patients", "-"}, nights...)...)
	if find.code != 0 || !strings.Contains(find.stdout, "1 found in the input; 3 row(s); 4 event record(s) in the ledger") {
		t.Fatalf("ledger find with the exports as arguments: exit %d; want her 2 visits × 2 destinations found\n%s%s", find.code, find.stdout, find.stderr)
	}
	// --export and arguments together.
	mixed := runGoogle(t, env, "A007001\n", true, "ledger", "find", "--config", cfg, "--patients", "-", "--export", nights[0], nights[1], nights[2])
	if mixed.code != 0 || mixed.stdout != find.stdout {
		t.Errorf("ledger find --export F1 F2 F3: exit %d; want the answer of the three as arguments\n%s%s", mixed.code, mixed.stdout, mixed.stderr)
	}
	erase := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "erase", "--config", cfg, "--patients", "-"}, nights...)...)
	if erase.code != 0 || !strings.Contains(erase.stderr, "kept the withdrawal of 1, wrote it for 0; erased 4 event entries (from the exports' rows)") ||
		strings.Contains(erase.stderr, "order(s) or event id(s) listed") || !strings.Contains(erase.stderr, "the exports hold 3 row(s) of 1 of the 1 patient(s)") {
		t.Fatalf("ledger erase with the exports as arguments: exit %d; want her 4 entries erased, said to come from the exports\n%s", erase.code, erase.stderr)
	}
	after := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "find", "--config", cfg, "--patients", "-"}, nights...)...)
	if after.code != 0 {
		t.Fatalf("ledger find after erasure: exit %d\n%s", after.code, after.stderr)
	}
	t.Logf("\n%s", after.stdout)
	for _, want := range []string{
		"# 1 listed patient(s), 1 found in the input; 3 row(s); 0 event record(s) in the ledger",
		"withdrawal: kept by the erasure at ",
		"(every appointment); no run's record of it is kept\n",
		"\nerased at ",
		": what was sent before it is no longer in the ledger",
		"not in the ledger: " + nights[0] + ":2 (event id ",
		"not in the ledger: " + nights[1] + ":2 (event id ",
		"): erased at ",
		", or never sent\n",
	} {
		if !strings.Contains(after.stdout, want) {
			t.Errorf("the answer after erasure lacks %q\n%s", want, after.stdout)
		}
	}
	if strings.Contains(after.stdout, "never sent: "+nights[0]) || strings.Contains(after.stdout, "never sent: "+nights[1]) {
		t.Errorf("her erased visits, which both platforms accepted, said never sent\n%s", after.stdout)
	}
	jr := runGoogle(t, env, "A007001\n", true, append([]string{"ledger", "find", "--json", "--config", cfg, "--patients", "-"}, nights...)...)
	var js struct {
		ErasedAt    string `json:"erased_at"`
		Withdrawals []struct {
			Run string `json:"run"`
		} `json:"withdrawals"`
		NeverSent []struct {
			Reason string `json:"reason"`
		} `json:"never_sent"`
	}
	if jr.code != 0 || json.Unmarshal([]byte(jr.stdout), &js) != nil || js.ErasedAt == "" || len(js.Withdrawals) != 1 ||
		js.Withdrawals[0].Run != "erasure" || len(js.NeverSent) != 3 ||
		!strings.HasPrefix(js.NeverSent[0].Reason, "not in the ledger (erased at ") {
		t.Errorf("--json after erasure: exit %d; want erased_at, the erasure's withdrawal alone, rows not in the ledger (erased)\n%s%s", jr.code, jr.stdout, jr.stderr)
	}
	printed := find.stdout + find.stderr + erase.stdout + erase.stderr + after.stdout + after.stderr + jr.stdout
	for _, raw := range []string{"A007001", "007001", "00007002", "病患", "0912-700", "115/11/"} {
		if strings.Contains(printed, raw) {
			t.Errorf("a raw value printed (%q)", raw)
		}
	}
}
