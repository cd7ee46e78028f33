package cli

import (
	"encoding/json"
	"testing"
)

// A patient's rows and another patient's, as the access-request and
// erasure tests (ledger find, ledger erase) play them under twComposite:
// her two visits, her withdrawal, a later visit ticked yes again.
const (
	herVisit1   = "A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500\n"
	herVisit2   = "A007001,病患a,115/11/19,上午 09:00,已完成,0912-700-001,同意,1500\n"
	herWithdraw = "A007001,病患a,115/11/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	herLater    = "A007001,病患a,115/11/21,上午 09:00,已完成,0912-700-001,同意,1500\n"
)

// otherPatient is another patient's visit on day (of 115/11), beside hers.
func otherPatient(day string) string {
	return "00007002,病患b,115/11/" + day + ",上午 10:00,已完成,0912-700-002,同意,1500\n"
}

// uploadNights uploads each export in turn under cfg, one night each, and
// returns the nights' run ids; a night that does not exit 0 fails the test.
func uploadNights(t *testing.T, env map[string]string, cfg string, nights []string) []string {
	t.Helper()
	var runs []string
	for i, exp := range nights {
		r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, exp)
		var rep struct {
			RunID string `json:"run_id"`
		}
		if r.code != 0 || json.Unmarshal([]byte(r.stdout), &rep) != nil || rep.RunID == "" {
			t.Fatalf("night %d: exit %d\n%s", i+1, r.code, r.stderr)
		}
		runs = append(runs, rep.RunID)
	}
	return runs
}
