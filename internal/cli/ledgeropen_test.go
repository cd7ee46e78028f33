package cli

import (
	"database/sql"
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

// TestReadingCommandsDoNotUpgradeTheLedger (review, 2026-12-06): `ledger
// stats` on a ledger of schema 3 left it at this hashgate's schema, one
// way, and the cron job's older hashgate then refused it; `ledger list`
// and `status` did the same. They now exit 1 naming the schema, the
// hashgate of its last run and what upgrades it, and leave it as it is.
// The commands that change the ledger upgrade it, and say so.
func TestReadingCommandsDoNotUpgradeTheLedger(t *testing.T) {
	env := uploadEnv(t)
	mainLedger(t, env)
	lpath := filepath.Join(env["XDG_STATE_HOME"], "hashgate", "ledger.db")
	cfg := twComposite(t, "http://127.0.0.1:1/", "http://127.0.0.1:1", nil)
	schema := func() int {
		t.Helper()
		db, err := sql.Open("sqlite", "file:"+lpath+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var v int
		if err := db.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, args := range [][]string{
		{"ledger", "stats"},
		{"ledger", "stats", "--json"},
		{"ledger", "list"},
		{"ledger", "list", "--run", "20261123T090000Z-00c952"},
		{"status"},
	} {
		r := runGoogle(t, env, "", true, append(args, "--config", cfg)...)
		if r.code != ExitFailure || r.stdout != "" || !strings.Contains(r.stderr, "is of schema 3") || !strings.Contains(r.stderr, "hashgate (devel)") || !strings.Contains(r.stderr, "let an upload with this one upgrade") {
			t.Errorf("%v on a schema-3 ledger: exit %d; want 1, naming the schema, the hashgate and what upgrades it\n%s%s", args, r.code, r.stdout, r.stderr)
		}
		if v := schema(); v != 3 {
			t.Fatalf("%v upgraded the ledger: schema 3 → %d", args, v)
		}
	}
	r := runGoogle(t, env, "", true, "ledger", "forget", "--before", "2026-01-01", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stderr, "upgraded from schema 3 to") || !strings.Contains(r.stderr, "an older hashgate can no longer open it") {
		t.Errorf("ledger forget: exit %d; want it to upgrade the ledger and say so\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "ledger", "stats", "--config", cfg); r.code != 0 || !strings.Contains(r.stdout, "ingested 40") || strings.Contains(r.stderr, "upgraded") {
		t.Errorf("ledger stats after the upgrade: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
