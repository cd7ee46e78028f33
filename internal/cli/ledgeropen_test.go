package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAnEmptyLedgerFileIsRefused (review, 2026-12-06): a 0-byte file at
// ledger.path — a restore cut short — was a new ledger to every command:
// `status` printed "no run in the window had events ingested" and exited
// 0, `ledger stats` "0 runs", each turning the file into a ledger with a
// lock beside it; an upload would have started a new ledger: sent again
// what the platforms held, with the safety net against changed ids
// disarmed (nothing delivered before), and forgotten the patients who
// withdrew — `write` too put them in its file. Every command now exits 1
// saying the file is empty and to restore it, sends nothing, and leaves
// the file as it found it, mode included.
func TestAnEmptyLedgerFileIsRefused(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	g, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `conversion_action_id: "555000111"`, "conversion_action_id: \"555000111\"\n    conversion_name: Clinic visit", 1)
	})
	export := filepath.Join("..", "..", "testdata", "ledger", "tw-composite.csv")
	dir := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
	lpath := filepath.Join(dir, "ledger.db")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(lpath, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(lpath, 0o640); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"status"},
		{"ledger", "stats"},
		{"ledger", "list"},
		{"ledger", "forget", "--before", "2026-01-01"},
		{"ledger", "unrevoke", "--run", "20261123T020000Z-a1b2c3"},
		{"upload", export},
		{"write", "--format", "google-ads-csv", export},
	} {
		r := runGoogle(t, env, "", true, append(args, "--config", cfg)...)
		if r.code != ExitFailure || !strings.Contains(r.stderr, "is empty (0 bytes)") || !strings.Contains(r.stderr, "backup") {
			t.Errorf("%v on a 0-byte ledger: exit %d; want 1, saying it is empty and to restore it from a backup\n%s", args, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "no run in the window") || strings.Contains(r.stdout, "0 runs") {
			t.Errorf("%v reported an empty ledger:\n%s", args, r.stdout)
		}
	}
	if len(dm.Accepted()) != 0 || len(g.Accepted()) != 0 {
		t.Errorf("sent: google %d, meta %d events", len(dm.Accepted()), len(g.Accepted()))
	}
	if st, err := os.Stat(lpath); err != nil || st.Size() != 0 || st.Mode().Perm() != 0o640 {
		t.Errorf("the file changed: %v %v", st, err)
	}
	for _, f := range []string{".lock", "-wal", "-shm", ".new"} {
		if _, err := os.Stat(lpath + f); err == nil {
			t.Errorf("ledger.db%s made beside it", f)
		}
	}
}
