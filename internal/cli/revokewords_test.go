package cli

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAnAnnotatedWithdrawalAfterSentIsCounted: W1 (patient P1) and W2 (P2)
// were sent with "yes"; the next night W1's own cell says "opted-out" and
// P2 withdraws on a new row, "yes (revoked)". Both visits the platforms
// hold are withdrawn after they were sent — consent_revoked and
// consent_revoked_patient, as with "revoked" — and P2's new row is not
// sent. Before, both spellings were consent_not_granted: neither visit was
// counted (a review, session 29).
func TestAnAnnotatedWithdrawalAfterSentIsCounted(t *testing.T) {
	clk := &simClock{t: fixedNow}
	cfg, _, _ := gapsConfig(t, clk, func(s string) string {
		return strings.Replace(s, "    consent: consent\n", "    consent: consent\n    patient_key: patient\n", 1)
	})
	env := uploadEnv(t)
	rep := filepath.Join(t.TempDir(), "run.json")
	row := func(id, day, c, patient string) string {
		return id + ",2026-11-" + day + " 10:00,completed,zqw" + id + "@example.com,0912-300-00" + id[1:] + ",Zqw,Zqw," + c + "," + patient + "\n"
	}
	if r := gapsNight(t, clk, env, cfg, rep, row("W1", "20", "yes", "P1")+row("W2", "20", "yes", "P2")); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	clk.Advance(24 * time.Hour)
	r := gapsNight(t, clk, env, cfg, rep, row("W1", "20", "opted-out", "P1")+row("W2", "20", "yes", "P2")+row("W3", "21", `"yes (revoked)"`, "P2"))
	if r.code != 0 || !strings.Contains(r.stderr, "withdrawn after they were sent: google 2, meta 2 (") || !strings.Contains(r.stderr, "0 used") {
		t.Errorf("night 2: exit %d; want W1 and W2 counted withdrawn after sent, nothing used\n%s", r.code, r.stderr)
	}
	if raw := withdrawnReport(t, rep); strings.Count(raw, `"withdrawn_after_sent":{"consent_revoked":1,"consent_revoked_patient":1}`) != 2 {
		t.Errorf("report:\n%s", mustRead(t, rep))
	}
}
