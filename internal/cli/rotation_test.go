package cli

import (
	"os"
	"strings"
	"testing"
	"time"
)

// TestARotatedSecretsStopsNameTheSafeFirstNight (the year-of-nights
// review): under a new secret the upload stops, and its message told the
// operator to run `upload --accept-new-ids` once; done over the nightly
// 7-day export, that sent every conversion again under new event ids —
// 938 of 1,101 already delivered, which no platform can match to the
// first (the order id is keyed under the secret). The stops (the secret's
// fingerprint, and the withdrawals' that comes first where a patient key
// is mapped) now name the newest event sent under the old secret, in the
// clinic's zone, and say to start the first night's export after it;
// doing so sends each visit once.
func TestARotatedSecretsStopsNameTheSafeFirstNight(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for days := 1; days <= 3; days++ {
		growingExport(t, export, day0, days, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", days, r.code, r.stderr)
		}
		clock.Advance(24 * time.Hour)
	}
	sent := len(g.Accepted())
	env["HASHGATE_SECRET"] = "a-rotated-upload-secret-5Rt8Yp2Kd7Wq1"
	growingExport(t, export, day0, 4, "")
	r := runAt(t, clock, env, "upload", "--config", cfg, export)
	// The newest visit sent: the third day's 11:00, written in the
	// export as Taipei's time.
	const through = "2026-11-25 11:00 +08:00"
	if r.code != ExitUsage || !strings.Contains(r.stderr, "secret:") || len(g.Accepted()) != sent {
		t.Fatalf("a new secret: exit %d, meta %d → %d; want exit 2, nothing sent\n%s", r.code, sent, len(g.Accepted()), r.stderr)
	}
	for _, want := range []string{through + ", the newest event sent under the old secret", "exports whose visits all start after that — every night, until the rolling export no longer reaches back to it", "sends each of them again"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	// As it says: every night's export starts after that, until the
	// rolling export no longer reaches back to it.
	cutAfter := func(days int) {
		t.Helper()
		growingExport(t, export, day0, days, "")
		b, err := os.ReadFile(export)
		if err != nil {
			t.Fatal(err)
		}
		var cut strings.Builder
		for i, line := range strings.SplitAfter(string(b), "\n") {
			if i == 0 || !strings.Contains(line, ",2026-11-2") || strings.Contains(line, ",2026-11-26 ") || strings.Contains(line, ",2026-11-27 ") {
				cut.WriteString(line)
			}
		}
		if err := os.WriteFile(export, []byte(cut.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cutAfter(4)
	if r := runAt(t, clock, env, "upload", "--accept-new-ids", "--config", cfg, export); r.code != ExitOK || len(g.Accepted()) != sent+3 {
		t.Fatalf("the cut export under the new secret: exit %d, meta %d → %d (want the 3 new visits alone)\n%s", r.code, sent, len(g.Accepted()), r.stderr)
	}
	clock.Advance(24 * time.Hour)
	cutAfter(5)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK || len(g.Accepted()) != sent+6 {
		t.Fatalf("the night after, cut again: exit %d, meta %d → %d (want 3 more new visits alone)\n%s", r.code, sent, len(g.Accepted()), r.stderr)
	}
}

// TestTheWithdrawalsStopUnderARotatedSecretNamesTheSafeFirstNight: where
// a patient key is mapped and withdrawals are remembered, their stop comes
// first, and it was the message the review followed ("list those patients
// in consent.revocations_file and run `hashgate upload --accept-new-ids`
// once"). It names the newest event sent under the old secret too.
func TestTheWithdrawalsStopUnderARotatedSecretNamesTheSafeFirstNight(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	night := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n" +
		"A007002,病患o,115/10/21,下午 02:30,已完成,0912-700-002,同意,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, night)); r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 1: exit %d, google %d\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	env["HASHGATE_SECRET"] = "a-rotated-upload-secret-5Rt8Yp2Kd7Wq1"
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, night))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "1 patient(s) who withdrew") {
		t.Fatalf("a new secret: exit %d; want the withdrawals' stop\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"2026-10-21 14:30 +08:00, the newest event sent under the old secret", "exports whose visits all start after that"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stderr, "consent.revocations_file and run `hashgate upload --accept-new-ids` once") {
		t.Errorf("the stop still says to run --accept-new-ids once over any export:\n%s", r.stderr)
	}
}
