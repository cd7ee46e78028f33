package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLedgerFindSeesAPhoneWithdrawnUnderThePreviousSecret: find matched
// patient keys under the previous secret, not e-mails and phones. Q
// (A009001, a new chart) carries the phone P withdrew with under A: the
// upload holds Q's row back by it, and find must say so too.
func TestLedgerFindSeesAPhoneWithdrawnUnderThePreviousSecret(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	exp := twExport(t, "A009001,病患q,115/10/27,上午 10:00,已完成,0912-700-001,同意,1500\n")
	r := runGoogle(t, env, "A009001\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", "--export", exp)
	var out struct {
		By []struct {
			By string `json:"by"`
		} `json:"withdrawals_by_identifier"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); r.code != ExitOK || err != nil {
		t.Fatalf("ledger find: exit %d (%v)\n%s\n%s", r.code, err, r.stdout, r.stderr)
	}
	if len(out.By) != 1 || out.By[0].By != "phone" {
		t.Fatalf("find of Q after the rotation: withdrawals by identifier %+v, want the phone P withdrew with under the previous secret\n%s", out.By, r.stdout)
	}
	// Metamorphic: before the rotation, the same find says the same.
	delete(env, "HASHGATE_PREVIOUS_SECRET")
	p := runGoogle(t, env, "A009001\n", true, "ledger", "find", "--config", cfg, "--patients", "-", "--export", exp)
	if strings.Contains(p.stdout, "remembered by phone") {
		t.Errorf("without the previous secret find cannot match P's phone, yet says it does\n%s", p.stdout)
	}
}
