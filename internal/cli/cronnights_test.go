package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
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

// TestAFailedStatusReadIsOneLine (review of a month of cron nights):
// `status` on a night Google's status reads failed printed a slog line
// per read (time=… level=WARN msg="reconcile: status read failed…") and
// then the same problem again as its note: a cron mail of log noise. At
// the default log level it is one plain line, which says why; the
// per-read detail is for --log-level info.
func TestAFailedStatusReadIsOneLine(t *testing.T) {
	clk := &simClock{t: fixedNow}
	failing := false
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now, Fault: func(_ int, w http.ResponseWriter, r *http.Request) bool {
		if failing && strings.HasSuffix(r.URL.Path, "requestStatus:retrieve") {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	}}
	gURL := dm.Start(t).URL + "/"
	env := uploadEnv(t)
	cfg := googleOnlyConfig(t, gURL)
	if up := runAt(t, clk, env, "upload", "--config", cfg, exportFile(t, 10, "")); up.code != 0 {
		t.Fatalf("upload exit %d\n%s", up.code, up.stderr)
	}
	clk.Advance(time.Hour)
	failing = true
	st := runAt(t, clk, env, "status", "--config", cfg)
	if st.code != 0 {
		t.Fatalf("status exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
	if strings.Contains(st.stderr, "level=") {
		t.Errorf("status logs at the default level:\n%s", st.stderr)
	}
	if n := strings.Count(st.stderr, "status reads failed"); n != 1 || !strings.Contains(st.stderr, "503") {
		t.Errorf("%d lines say the reads failed, want 1 saying why (503):\n%s", n, st.stderr)
	}
	info := runAt(t, clk, env, "status", "--config", cfg, "--log-level", "info")
	if !strings.Contains(info.stderr, "reconcile: status read failed") {
		t.Errorf("--log-level info leaves out each failed read:\n%s", info.stderr)
	}
}

// googleOnlyConfig is metaConfig's export mapping for Google alone.
func googleOnlyConfig(t *testing.T, googleURL string) string {
	t.Helper()
	p := bothConfig(t, googleURL, "http://127.0.0.1:1", "")
	body := strings.Replace(mustRead(t, p), "  meta:\n    enabled: true\n", "  meta:\n    enabled: false\n", 1)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}
