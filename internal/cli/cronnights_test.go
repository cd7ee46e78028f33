package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestALedgerThatCannotOpenCountsNoRows (review of a month of cron
// nights): every failure to open the ledger — a full disk, a file of mode
// 0400 — first printed "0 rows read from …; 0 used, 0 excluded" for an
// export of 15 rows, as if the night were empty. The rows were never
// read: the error alone is printed, and says so.
func TestALedgerThatCannotOpenCountsNoRows(t *testing.T) {
	env := uploadEnv(t)
	state := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
	// A directory where the lock file goes: Open fails as it does for a
	// full disk or a file this user may not write, and does so as root.
	if err := os.MkdirAll(filepath.Join(state, "ledger.db.lock"), 0o700); err != nil {
		t.Fatal(err)
	}
	g, url := metaFake(t, nil)
	r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, url, ""), exportFile(t, 15, ""))
	if r.code != ExitFailure || !strings.Contains(r.stderr, "ledger.db.lock") || !strings.Contains(r.stderr, "rows were not read; nothing was sent") {
		t.Errorf("exit %d, want 1 with the ledger's error saying the rows were not read\n%s", r.code, r.stderr)
	}
	if strings.Contains(r.stderr, "rows read") || strings.Contains(r.stderr, "0 used") {
		t.Errorf("a summary counts rows that were never read:\n%s", r.stderr)
	}
	if n := len(g.Accepted()); n != 0 {
		t.Errorf("Meta took %d events without a ledger", n)
	}
}
