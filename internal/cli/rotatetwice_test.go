package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A second rotation while withdrawals wait under the first secret. P
// (A007001) withdraws on night 1 under secret A; night 2 rotates to B
// with A as the previous secret, and P is not in its export, so her
// withdrawal stays remembered under A. Night 3 rotates again, to C, with
// B as the previous secret: the ledger kept one previous secret, and her
// A-keyed withdrawal could never match again — her next visit, consent
// 同意, was sent.

const rotOlderSecret = "a-third-upload-secret-9Lm4Hs6Vc2Tn8Q"

// rotNights: night 1 P withdraws; night 2 O alone (after the newest visit
// sent); night 3 P is back, 同意 again, with O.
var rotNights = []string{
	"A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n" +
		"A007002,病患o,115/10/21,下午 02:30,已完成,0912-700-002,同意,1500\n",
	"A007002,病患o,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n",
	"A007001,病患w,115/10/27,上午 09:00,已完成,0912-700-001,同意,1500\n" +
		"A007002,病患o,115/10/27,上午 11:00,已完成,0912-700-002,同意,1500\n",
}

// rotFirstTwo runs nights 1 and 2 (the rotation A→B, previous secret A,
// --accept-new-ids) and returns what night 3 needs.
func rotFirstTwo(t *testing.T) (env map[string]string, cfg string, accepted func() int, outs []result) {
	t.Helper()
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env = uploadEnv(t)
	// conversion_name: for `write --format google-ads-csv` (rotatedry_test.go)
	cfg = twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, `conversion_action_id: "555000111"`, `conversion_action_id: "555000111"`+"\n    conversion_name: Booked visit", 1)
	})
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[0]))
	if r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	outs = append(outs, r)
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[1]))
	if r.code != ExitOK {
		t.Fatalf("night 2 (rotation A→B): exit %d\n%s", r.code, r.stderr)
	}
	outs = append(outs, r)
	return env, cfg, func() int { return len(dm.Accepted()) }, outs
}

// TestASecondRotationStopsWhileWithdrawalsWaitUnderTheFirst: the rotation
// B→C, with B as the previous secret, stops before anything is sent (exit
// 2), naming how many withdrawals wait under an older secret and the two
// ways on; before, P's visit was sent.
func TestASecondRotationStopsWhileWithdrawalsWaitUnderTheFirst(t *testing.T) {
	env, cfg, accepted, _ := rotFirstTwo(t)
	before := accepted()
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret, prevNewSecret
	// The dry-run says the upload would stop; write stops as it does.
	dir := t.TempDir()
	dry := runGoogle(t, env, "", true, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(dir, "review.csv"), twExport(t, rotNights[2]))
	if dry.code != ExitOK || !strings.Contains(dry.stderr, "1 withdrawn patient(s) and 1 identifier(s) wait under an older secret than HASHGATE_PREVIOUS_SECRET: an upload with this config stops (exit 2)") {
		t.Errorf("the dry-run of the rotation B→C: exit %d; want it to say the upload stops\n%s", dry.code, dry.stderr)
	}
	w := runGoogle(t, env, "", true, "write", "--format", "google-ads-csv", "--config", cfg, "--out", filepath.Join(dir, "g.csv"), twExport(t, rotNights[2]))
	if w.code != ExitUsage || !strings.Contains(w.stderr, "under an older secret") {
		t.Errorf("write under the rotation B→C: exit %d; want exit 2, as the upload\n%s", w.code, w.stderr)
	}
	r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2]))
	if sent := accepted() - before; r.code != ExitUsage || sent != 0 {
		t.Fatalf("night 3 (rotation B→C, A's withdrawals waiting): exit %d, Google got %d; want exit 2 and nothing sent (P withdrew under A)\n%s", r.code, sent, r.stderr)
	}
	for _, want := range []string{"1 withdrawn patient(s)", "older secret", "ledger unrevoke --under-previous-secret"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	// Back on B with A as the previous secret, the night runs and keeps P out.
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = prevNewSecret, prevOldSecret
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, rotNights[2])); r.code != ExitOK || accepted()-before != 1 {
		t.Fatalf("night 3 back on B (previous A): exit %d, Google got %d; want O's visit alone\n%s", r.code, accepted()-before, r.stderr)
	}
}

// TestDroppingTheOlderWithdrawalsLetsASecondRotationGo: `ledger unrevoke
// --under-previous-secret` forgets the withdrawals still waiting under
// the previous secret, knowingly (it says so, with their count); the
// rotation B→C then goes on, and P, whom nothing remembers, is sent.
func TestDroppingTheOlderWithdrawalsLetsASecondRotationGo(t *testing.T) {
	env, cfg, accepted, _ := rotFirstTwo(t)
	r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--under-previous-secret", "--config", cfg)
	if r.code != ExitOK || !strings.Contains(r.stderr, "forgot 1 withdrawn patient(s) and 1 identifier(s) remembered only under the previous secret") {
		t.Fatalf("unrevoke --under-previous-secret: exit %d\n%s", r.code, r.stderr)
	}
	before := accepted()
	env["HASHGATE_SECRET"], env["HASHGATE_PREVIOUS_SECRET"] = rotOlderSecret, prevNewSecret
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, rotNights[2])); r.code != ExitOK || accepted()-before != 2 {
		t.Fatalf("night 3 after the drop: exit %d, Google got %d, want both visits\n%s", r.code, accepted()-before, r.stderr)
	}
}

// rotOutputs gathers every output and every file under the state
// directory, for the canary.
func rotOutputs(t *testing.T, env map[string]string, outs []result) string {
	t.Helper()
	var all strings.Builder
	for _, r := range outs {
		all.WriteString(r.stdout + r.stderr)
	}
	err := filepath.Walk(env["XDG_STATE_HOME"], func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		all.Write(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return all.String()
}

// TestStatusSaysWhatWaitsUnderThePreviousSecret: a withdrawal whose
// patient never comes back keeps waiting under the previous secret, and
// only the upload's stderr said so; `hashgate status` says how many and
// since when, so the clinic knows when it may drop the previous secret.
func TestStatusSaysWhatWaitsUnderThePreviousSecret(t *testing.T) {
	env, cfg, _, _ := rotFirstTwo(t)
	r := runGoogle(t, env, "", true, "status", "--config", cfg)
	if r.code != ExitOK || !strings.Contains(r.stdout, "1 withdrawn patient(s) and 1 identifier(s) remembered only under the previous secret since 2026-11-23") {
		t.Fatalf("status: exit %d; want the withdrawals waiting under the previous secret\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	j := runGoogle(t, env, "", true, "status", "--json", "--config", cfg)
	if j.code != ExitOK || !strings.Contains(j.stdout, `"previous_secret": {`) || !strings.Contains(j.stdout, `"patients": 1`) {
		t.Fatalf("status --json: exit %d\n%s\n%s", j.code, j.stdout, j.stderr)
	}
}
