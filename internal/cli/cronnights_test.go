package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/platform"
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

// TestThePolicyParagraphIsSaidInFullOncePerConfig (review of a month of
// cron nights): every nightly upload summary quoted Google's customer
// data policy in full. It is said in full the first time a summary shows
// it for a Google destination and its identifiers, then in one short line
// saying where to read it again; a night with --quiet or --json shows no
// summary and does not count; --json keeps the full notice; a changed
// destination or identifiers say it in full again.
func TestThePolicyParagraphIsSaidInFullOncePerConfig(t *testing.T) {
	clk := &simClock{t: fixedNow}
	dm := &destinationtest.DataManager{Token: googleBearer, Now: clk.Now}
	gURL := dm.Start(t).URL + "/"
	env := uploadEnv(t)
	cfg := googleOnlyConfig(t, gURL)
	export := exportFile(t, 10, "")
	full, short := platform.GoogleIdentifiersNote, platform.GoogleIdentifiersSeenNote
	night := func(cfg string, flags ...string) result {
		t.Helper()
		clk.Advance(24 * time.Hour)
		r := runAt(t, clk, env, append([]string{"upload", "--config", cfg, export}, flags...)...)
		if r.code != 0 {
			t.Fatalf("upload %v: exit %d\n%s", flags, r.code, r.stderr)
		}
		return r
	}
	says := func(what string, r result, want, not string) {
		t.Helper()
		if !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, not) {
			t.Errorf("%s: want %q, not %q, in\n%s", what, want, not, r.stderr)
		}
	}
	if r := night(cfg, "--quiet"); strings.Contains(r.stderr, "Google") {
		t.Errorf("--quiet prints the notice:\n%s", r.stderr)
	}
	says("the first summary", night(cfg), full, short)
	says("the second", night(cfg), short, "adspolicy")
	if r := night(cfg, "--json"); !strings.Contains(r.stdout, `"notices": [`) || !strings.Contains(r.stdout, platform.GooglePolicyURL) {
		t.Errorf("--json lost the full notice:\n%s", r.stdout)
	}
	says("the third", night(cfg), short, "adspolicy")
	if v := runAt(t, clk, env, "config", "validate", "--config", cfg); !strings.Contains(v.stderr, full) {
		t.Errorf("config validate, which the short line points to, does not say it in full:\n%s", v.stderr)
	}

	other := googleOnlyConfig(t, gURL)
	if err := os.WriteFile(other, []byte(strings.Replace(mustRead(t, other), `conversion_action_id: "555000111"`, `conversion_action_id: "555000222"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	says("another conversion action", night(other), full, short)
	says("its second night", night(other), short, "adspolicy")
	fewer := googleOnlyConfig(t, gURL)
	if err := os.WriteFile(fewer, []byte(strings.Replace(mustRead(t, fewer), "identifiers: [email, phone]", "identifiers: [email]", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	says("other identifiers", night(fewer), full, short)
}
