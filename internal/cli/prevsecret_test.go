package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The previous secret (HASHGATE_PREVIOUS_SECRET). A patient who withdrew
// on night 1, whose withdrawing row has left the export, stays out by
// the ledger's memory — a keyed digest under the secret. The clinic
// rotated the secret, passed the stops as they say (an export cut after
// the newest visit sent, --accept-new-ids; nobody can list a patient
// hashgate cannot name), and her next visit, consent cell "同意" again,
// was sent: the digest under the old secret matched nothing.

const (
	prevOldSecret = "upload-test-secret-3Jh8Nq5Bv1Xc6Zm0" // uploadEnv's
	prevNewSecret = "a-rotated-upload-secret-5Rt8Yp2Kd7Wq1"
)

// prevNights are the exports: P (A007001) withdraws on night 1; from
// night 2 her withdrawing row is gone and her later rows read 同意. Night
// 3 (the first under a rotated secret) starts after the newest visit sent.
var prevNights = []string{
	"A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n" +
		"A007002,病患o,115/10/21,下午 02:30,已完成,0912-700-002,同意,1500\n",
	"A007002,病患o,115/10/21,下午 02:30,已完成,0912-700-002,同意,1500\n" +
		"A007001,病患w,115/10/22,上午 10:00,已完成,0912-700-001,同意,1500\n" +
		"A007002,病患o,115/10/22,下午 03:00,已完成,0912-700-002,同意,1500\n",
	"A007001,病患w,115/10/25,上午 09:00,已完成,0912-700-001,同意,1500\n" +
		"A007002,病患o,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n",
	"A007001,病患w,115/10/25,上午 09:00,已完成,0912-700-001,同意,1500\n" +
		"A007002,病患o,115/10/25,上午 11:00,已完成,0912-700-002,同意,1500\n" +
		"A007001,病患w,115/10/27,上午 09:00,已完成,0912-700-001,同意,1500\n" +
		"A007002,病患o,115/10/27,上午 11:00,已完成,0912-700-002,同意,1500\n",
}

// prevNightsPlay runs the four nights; rotate: the secret changes before
// night 3, whose upload passes --accept-new-ids (as the stops say) with
// the previous secret given when prev; night 4 is without it. It returns
// the Google conversions accepted after each night, and every run's
// output.
func prevNightsPlay(t *testing.T, rotate, prev bool) (sent []int, out []result, env map[string]string) {
	t.Helper()
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env = uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	for night, body := range prevNights {
		args := []string{"upload", "--config", cfg}
		if rotate && night == 2 {
			env["HASHGATE_SECRET"] = prevNewSecret
			if prev {
				env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
			}
			args = append(args, "--accept-new-ids")
		}
		if night == 3 {
			delete(env, "HASHGATE_PREVIOUS_SECRET")
		}
		r := runGoogle(t, env, "", true, append(args, twExport(t, body))...)
		if r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night+1, r.code, r.stderr)
		}
		sent = append(sent, len(dm.Accepted()))
		out = append(out, r)
	}
	return sent, out, env
}

// TestARotatedSecretKeepsTheWithdrawalsWithThePreviousSecret reproduces
// the breach (before HASHGATE_PREVIOUS_SECRET, night 3 sent P's visit:
// Google held 4 conversions, not 3) and sees the memory move to the new secret: night
// 4, without the previous secret, still keeps her out.
func TestARotatedSecretKeepsTheWithdrawalsWithThePreviousSecret(t *testing.T) {
	sent, out, _ := prevNightsPlay(t, true, true)
	// O's visits alone, one new each night.
	if want := []int{1, 2, 3, 4}; !equalInts(sent, want) {
		t.Fatalf("Google held %v after each night, want %v (P's visits never)\nnight 3:\n%s\nnight 4:\n%s", sent, want, out[2].stderr, out[3].stderr)
	}
	if !strings.Contains(out[2].stderr, "HASHGATE_PREVIOUS_SECRET may be removed") {
		t.Errorf("night 3 does not say the previous secret may go once none remains under it:\n%s", out[2].stderr)
	}
}

// TestTheWithdrawalsStopNamesThePreviousSecret: without it, the stop of a
// rotated secret under remembered withdrawals names the way to keep them,
// and with it the withdrawals' part passes (the secret's own stop still
// asks for --accept-new-ids).
func TestTheWithdrawalsStopNamesThePreviousSecret(t *testing.T) {
	_, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, prevNights[0])); r.code != ExitOK {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"] = prevNewSecret
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, prevNights[2]))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "1 patient(s) who withdrew") || !strings.Contains(r.stderr, "set HASHGATE_PREVIOUS_SECRET to the secret they were made under") {
		t.Fatalf("a new secret without the previous one: exit %d; want the withdrawals' stop naming HASHGATE_PREVIOUS_SECRET\n%s", r.code, r.stderr)
	}
	env["HASHGATE_PREVIOUS_SECRET"] = prevOldSecret
	r = runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, prevNights[2]))
	if r.code != ExitUsage || strings.Contains(r.stderr, "patient(s) who withdrew") || !strings.Contains(r.stderr, "secret:") {
		t.Fatalf("with the previous secret: exit %d; want the secret's own stop alone\n%s", r.code, r.stderr)
	}
	env["HASHGATE_PREVIOUS_SECRET"] = "short"
	if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, prevNights[2])); r.code != ExitUsage || !strings.Contains(r.stderr, "HASHGATE_PREVIOUS_SECRET is shorter than 32 bytes") {
		t.Fatalf("a weak previous secret: exit %d\n%s", r.code, r.stderr)
	}
}

// TestRotationWithThePreviousSecretSendsWhatNoRotationSends
// (metamorphic): the same nights with the secret rotated before night 3,
// the previous secret given that night, send what they send without a
// rotation.
func TestRotationWithThePreviousSecretSendsWhatNoRotationSends(t *testing.T) {
	plain, _, _ := prevNightsPlay(t, false, false)
	rotated, out, _ := prevNightsPlay(t, true, true)
	if !equalInts(plain, rotated) {
		t.Fatalf("Google held %v after each night without a rotation, %v with one\nnight 3:\n%s", plain, rotated, out[2].stderr)
	}
}

// TestThePreviousSecretLeavesNoTrace (canary): neither secret, nor the
// withdrawn patient's chart number or phone, is in any output, report or
// the ledger.
func TestThePreviousSecretLeavesNoTrace(t *testing.T) {
	_, out, env := prevNightsPlay(t, true, true)
	var all strings.Builder
	for _, r := range out {
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
	for _, secret := range []string{prevOldSecret, prevNewSecret, "A007001", "0912-700-001", "912700001", "病患w"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("%q is in the output, a report or the ledger", secret)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
