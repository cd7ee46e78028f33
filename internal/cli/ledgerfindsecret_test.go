package cli

import (
	"maps"
	"strings"
	"testing"
)

// TestLedgerFindRefusesAnotherSecret (the day's docs review): under
// another secret than the uploads', find warned on stderr and answered on
// stdout that her sent visit was "never sent … not in the ledger", exit 0
// — a wrong answer to an access request. It refuses, as erase does: exit
// 2 naming the secret, nothing on stdout.
func TestLedgerFindRefusesAnotherSecret(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	exp := twExport(t, "A007001,病患a,115/11/18,上午 09:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, exp); r.code != 0 {
		t.Fatalf("upload: exit %d\n%s", r.code, r.stderr)
	}
	other := maps.Clone(env)
	other["HASHGATE_SECRET"] = "another-secret-entirely-9Qw2Er4Ty6"
	for _, json := range []bool{false, true} {
		args := []string{"ledger", "find", "--config", cfg, "--patients", "-", "--export", exp}
		if json {
			args = append(args, "--json")
		}
		r := runGoogle(t, other, "A007001\n", true, args...)
		if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, "secret") || !strings.Contains(r.stderr, "under another secret") {
			t.Errorf("find under another secret (--json %v): exit %d, stdout %q; want exit 2 naming the secret, nothing on stdout\n%s", json, r.code, r.stdout, r.stderr)
		}
	}
	if r := runGoogle(t, env, "A007001\n", true, "ledger", "find", "--config", cfg, "--patients", "-", "--export", exp); r.code != 0 ||
		!strings.Contains(r.stdout, "2 event record(s) in the ledger") {
		t.Errorf("under the uploads' secret: exit %d; want her visit found at both destinations\n%s%s", r.code, r.stdout, r.stderr)
	}
}
