package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After a rotation only the upload read HASHGATE_PREVIOUS_SECRET: a
// dry-run (and `write`, whose file is uploaded by hand) matched the new
// secret's withdrawals alone, so it showed the visit of a patient who
// withdrew under the old secret — the one the upload then held back. A
// dry-run must say what the upload would do.

// rotRows reads a CSV hashgate wrote and returns its data lines.
func rotRows(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[1:]
}

// TestDryRunAndWriteHoldWhatTheUploadHoldsAfterARotation (metamorphic):
// after the rotation A→B, with A still given as the previous secret, the
// dry-run's review and write's Google file hold the rows the upload
// sends — O's visit, not P's, whose withdrawal waits under A.
func TestDryRunAndWriteHoldWhatTheUploadHoldsAfterARotation(t *testing.T) {
	env, cfg, accepted, _ := rotFirstTwo(t)
	export := twExport(t, rotNights[2])
	dir := t.TempDir()
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(dir, "review.csv"), export)
	if dry.code != ExitOK {
		t.Fatalf("dry-run: exit %d\n%s", dry.code, dry.stderr)
	}
	w := runGoogle(t, env, "", true, "write", "--format", "google-ads-csv", "--config", cfg, "--out", filepath.Join(dir, "g.csv"), export)
	if w.code != ExitOK {
		t.Fatalf("write: exit %d\n%s", w.code, w.stderr)
	}
	before := accepted()
	up := runGoogle(t, env, "", true, "upload", "--config", cfg, export)
	if up.code != ExitOK {
		t.Fatalf("upload: exit %d\n%s", up.code, up.stderr)
	}
	sent := accepted() - before
	// Google's rows: the review names the platform first; P's visit is
	// the one at 09:00, O's at 11:00.
	var google []string
	for _, row := range rotRows(t, filepath.Join(dir, "review.csv")) {
		if strings.HasPrefix(row, "google,") {
			google = append(google, row)
		}
	}
	if len(google) != sent || sent != 1 || strings.Contains(strings.Join(google, "\n"), "T09:00") {
		t.Errorf("the dry-run's review holds %d Google row(s), the upload sent %d (O's alone)\n%s\n%s", len(google), sent, strings.Join(google, "\n"), dry.stderr)
	}
	if file := mustRead(t, filepath.Join(dir, "g.csv")); strings.Count(file, "2026-10-27") != sent || strings.Contains(file, "09:00:00") {
		t.Errorf("write's Google file holds %d visit(s), the upload sent %d (O's alone)\n%s\n%s", strings.Count(file, "2026-10-27"), sent, file, w.stderr)
	}
}

// TestTheRotationsFirstDryRunHoldsWhatItsUploadHolds (metamorphic): on
// the rotation's first night (secret B, previous secret A, nothing yet
// recorded), the dry-run and write match the withdrawals under A as the
// upload will; before, the dry-run showed P's visit and said the upload
// would stop, and write stopped (exit 2).
func TestTheRotationsFirstDryRunHoldsWhatItsUploadHolds(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `conversion_action_id: "555000111"`, `conversion_action_id: "555000111"`+"\n    conversion_name: Booked visit", 1)
	})
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[0])); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	export, dir := twExport(t, rotNights[2]), t.TempDir()
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(dir, "review.csv"), export)
	w := runGoogle(t, env, "", true, "write", "--format", "google-ads-csv", "--config", cfg, "--out", filepath.Join(dir, "g.csv"), export)
	before := len(dm.Accepted())
	up := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, export)
	sent := len(dm.Accepted()) - before
	if dry.code != ExitOK || w.code != ExitOK || up.code != ExitOK || sent != 1 {
		t.Fatalf("dry-run exit %d, write exit %d, upload exit %d sending %d (want 0, 0, 0 and O's visit)\n%s\n%s\n%s", dry.code, w.code, up.code, sent, dry.stderr, w.stderr, up.stderr)
	}
	var google []string
	for _, row := range rotRows(t, filepath.Join(dir, "review.csv")) {
		if strings.HasPrefix(row, "google,") {
			google = append(google, row)
		}
	}
	if len(google) != sent || strings.Contains(dry.stderr, "patient(s) who withdrew consent, under another secret") {
		t.Errorf("the dry-run's review holds %d Google row(s), the upload sent %d\n%s\n%s", len(google), sent, strings.Join(google, "\n"), dry.stderr)
	}
	if file := mustRead(t, filepath.Join(dir, "g.csv")); strings.Count(file, "2026-10-27") != sent {
		t.Errorf("write's Google file holds %d visit(s), the upload sent %d\n%s", strings.Count(file, "2026-10-27"), sent, file)
	}
}

// TestLedgerFindSeesAWithdrawalWaitingUnderThePreviousSecret: after the
// rotation A→B, `ledger find` with A given as the previous secret says P
// withdrew — on night 1, her withdrawal's own time — as the upload that
// holds her back knows; before, it said nothing remembered her.
func TestLedgerFindSeesAWithdrawalWaitingUnderThePreviousSecret(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	exp := twExport(t, rotNights[2])
	r := runGoogle(t, env, "A007001\n", true, "ledger", "find", "--json", "--config", cfg, "--patients", "-", "--export", exp)
	if r.code != ExitOK || !strings.Contains(r.stdout, `"withdrawn": true`) {
		t.Fatalf("ledger find after the rotation: exit %d; want P withdrawn\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// TestTheRotationsMessagesLeaveNoTrace (canary): every output of this
// change — the second rotation's stop (upload, dry-run, write), status's
// count, unrevoke --under-previous-secret, find, the review and the
// file — carries counts and paths only: none of P's raw values (chart
// number, phone as written and as digits, name) nor either secret is in
// any of them, nor in the ledger.
func TestTheRotationsMessagesLeaveNoTrace(t *testing.T) {
	env, cfg, _, outs := rotFirstTwo(t)
	exp, dir := twExport(t, rotNights[2]), t.TempDir()
	run := func(stdin string, args ...string) {
		outs = append(outs, runGoogle(t, env, stdin, true, args...))
	}
	run("", "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(dir, "review.csv"), exp)
	run("", "write", "--format", "google-ads-csv", "--config", cfg, "--out", filepath.Join(dir, "g.csv"), exp)
	run("", "status", "--config", cfg)
	run("", "status", "--json", "--config", cfg)
	run("A007001\n", "ledger", "find", "--config", cfg, "--patients", "-", "--export", exp)
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret, prevNewSecret
	run("", "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(dir, "review2.csv"), exp)
	run("", "write", "--format", "google-ads-csv", "--config", cfg, "--out", filepath.Join(dir, "g2.csv"), exp)
	run("", "upload", "--accept-new-ids", "--config", cfg, exp)
	run("", "ledger", "unrevoke", "--under-previous-secret", "--config", cfg)
	if last := outs[len(outs)-1]; last.code != ExitOK {
		t.Fatalf("unrevoke --under-previous-secret: exit %d\n%s", last.code, last.stderr)
	}
	all := rotOutputs(t, env, outs)
	for _, f := range []string{"review.csv", "g.csv", "review2.csv"} {
		all += mustRead(t, filepath.Join(dir, f))
	}
	for _, raw := range []string{"A007001", "0912-700-001", "912700001", "病患w", prevOldSecret, prevNewSecret, rotOlderSecret} {
		if strings.Contains(all, raw) {
			t.Errorf("%q is in an output, a file or the ledger", raw)
		}
	}
}
