package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAWithdrawalOutlivesItsRow: a patient withdraws on one row of a
// rolling export; the next nights' exports no longer hold that row, and
// the patient's later visit must still not be sent. Before, it was sent
// the night the withdrawing row left the window (a month's simulation).
// The ledger keeps only a keyed digest of the patient key, never the key.
func TestAWithdrawalOutlivesItsRow(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	later := "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	other := "A007002,病患o,115/10/26,上午 11:00,已完成,0912-700-002,同意,1500\n"
	write := func(body string) string { return twExport(t, body) }
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, write(withdraws+later+other))
	if r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 1: exit %d, google %d (want the other patient's visit alone)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	// The withdrawing row has left the export.
	r = runGoogle(t, env, "", true, "upload", "--config", cfg, write(later+other))
	if r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 2: exit %d, google %d: the withdrawn patient's visit was sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if !strings.Contains(r.stderr, "consent_revoked_patient 1") {
		t.Errorf("night 2 does not count the visit as consent_revoked_patient:\n%s", r.stderr)
	}
	// Neither the database nor its write-ahead log holds the key, in
	// any of the forms a reader could search for.
	var db []byte
	for _, f := range []string{"ledger.db", "ledger.db-wal"} {
		b, _ := os.ReadFile(filepath.Join(env["XDG_STATE_HOME"], "hashgate", f))
		db = append(db, b...)
	}
	if len(db) == 0 {
		t.Fatal("no ledger to search")
	}
	for _, form := range []string{"A007001", "007001", "A\x000\x000\x007"} {
		if strings.Contains(string(db), form) {
			t.Errorf("the ledger holds the patient key (%q)", form)
		}
	}
}

// TestUnrevokeForgetsARunsWithdrawals: a run whose consent words were
// wrong made a patient look withdrawn; ledger unrevoke --run forgets what
// that run remembered, and the next upload judges the patient by its
// export alone. An unknown run is refused, naming it.
func TestUnrevokeForgetsARunsWithdrawals(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	write := func(body string) string { return twExport(t, body) }
	r := runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, write("A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"))
	if r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	var rep struct {
		RunID string `json:"run_id"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.RunID == "" {
		t.Fatalf("no run id in the report (%v):\n%s", err, r.stdout)
	}
	visit := write("A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, visit); r.code != 0 || len(dm.Accepted()) != 0 {
		t.Fatalf("night 2: exit %d, google %d (want the withdrawn patient kept out)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--run", "20990101T000000Z-000000"); r.code != ExitFailure || !strings.Contains(r.stderr, "no run") {
		t.Errorf("an unknown run: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--run", rep.RunID); r.code != 0 || !strings.Contains(r.stderr, "forgot 1 withdrawn patient") {
		t.Fatalf("unrevoke: exit %d\n%s", r.code, r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, visit); r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 3, after unrevoke: exit %d, google %d (want the visit sent)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}

// twExport writes body under the Taiwan fixture's header (testdata/ledger).
func twExport(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "export.csv")
	if err := os.WriteFile(p, []byte("病歷號碼,姓名,就診日期,就診時間,到診狀態,手機,行銷同意,自費金額\n"+body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestWithdrawalsAreKeptPerRun: every run that reads a withdrawal
// remembers it, so undoing the run that saw it first (a wrongly mapped
// consent column that night) keeps the patient out when a later run saw
// the withdrawal too — keyed by the patient alone, it was forgotten with
// the first run (review).
func TestWithdrawalsAreKeptPerRun(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	runID := func(r result) string {
		var rep struct {
			RunID string `json:"run_id"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.RunID == "" {
			t.Fatalf("no run id (%v):\n%s%s", err, r.stdout, r.stderr)
		}
		return rep.RunID
	}
	first := runID(runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, twExport(t, withdraws)))
	runID(runGoogle(t, env, "", true, "upload", "--json", "--config", cfg, twExport(t, withdraws)))
	if r := runGoogle(t, env, "", true, "ledger", "unrevoke", "--config", cfg, "--run", " "+first+" "); r.code != 0 {
		t.Fatalf("unrevoke: exit %d\n%s", r.code, r.stderr)
	}
	visit := twExport(t, "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, visit); r.code != 0 || len(dm.Accepted()) != 0 {
		t.Fatalf("after undoing the first run: exit %d, google %d: the second run's withdrawal was forgotten\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}

// TestANewSecretDoesNotForgetWithdrawalsSilently: the digests are keyed
// with the secret; under a new one they match no patient, and the
// withdrawn patients' visits would be sent. The upload stops (exit 2,
// naming the secret, nothing sent); --accept-new-ids goes on, warning.
func TestANewSecretDoesNotForgetWithdrawalsSilently(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, nil)
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n")); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	env["HASHGATE_SECRET"] = "another-upload-secret-8Kq2Wz7Lp4Rv1Ty6"
	visit := twExport(t, "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n")
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, visit)
	if r.code != ExitUsage || len(dm.Accepted()) != 0 || !strings.Contains(r.stderr, "secret:") || !strings.Contains(r.stderr, "1 patient(s) who withdrew") {
		t.Fatalf("a new secret: exit %d, google %d; want exit 2 naming the secret, nothing sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	r = runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, visit)
	if r.code != 0 || !strings.Contains(r.stderr, "can no longer be matched") {
		t.Fatalf("--accept-new-ids: exit %d\n%s", r.code, r.stderr)
	}
}

// TestWithdrawalMemoryEdges (a review's reproductions): a secret changed
// while nothing was remembered is no change (a false stop came the night
// after the first withdrawal under it); a withdrawal read on a night the
// zeros check stopped is remembered all the same; a --validate run
// remembers nothing (where mappings are tried); another patient-key
// column stops as another secret does.
func TestWithdrawalMemoryEdges(t *testing.T) {
	withdraws := "00007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	later := "00007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	padded := "00007002,病患a,115/10/26,上午 11:00,已完成,0912-700-002,同意,1500\n" +
		"00007003,病患b,115/10/26,下午 01:00,已完成,0912-700-003,同意,1500\n" +
		"00007004,病患c,115/10/26,下午 02:00,已完成,0912-700-004,同意,1500\n"
	setup := func(t *testing.T) (map[string]string, string, func() int) {
		dm, gURL := googleFake(t, nil)
		_, mURL := metaFake(t, nil)
		return uploadEnv(t), twComposite(t, gURL, mURL, nil), func() int { return len(dm.Accepted()) }
	}
	t.Run("secret changed before any withdrawal", func(t *testing.T) {
		env, cfg, _ := setup(t)
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, padded)); r.code != 0 {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		env["HASHGATE_SECRET"] = "another-upload-secret-8Kq2Wz7Lp4Rv1Ty6"
		if r := runGoogle(t, env, "", true, "upload", "--accept-new-ids", "--config", cfg, twExport(t, withdraws)); r.code != 0 {
			t.Fatalf("night 2, new secret: exit %d\n%s", r.code, r.stderr)
		}
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || strings.Contains(r.stderr, "secret:") {
			t.Fatalf("night 3, the same new secret: exit %d\n%s", r.code, r.stderr)
		}
	})
	t.Run("a stopped night remembers", func(t *testing.T) {
		env, cfg, sent := setup(t)
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, padded)); r.code != 0 {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		trimmed := strings.ReplaceAll(withdraws+padded, "0000700", "700")
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, trimmed)); r.code != 2 || !strings.Contains(r.stderr, "leading zeros") {
			t.Fatalf("night 2, re-saved: exit %d (want the zeros stop)\n%s", r.code, r.stderr)
		}
		before := sent()
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || sent() != before {
			t.Fatalf("night 3: exit %d, google %d → %d: the withdrawal read on the stopped night was lost\n%s", r.code, before, sent(), r.stderr)
		}
	})
	t.Run("a validation remembers nothing", func(t *testing.T) {
		env, cfg, sent := setup(t)
		if r := runGoogle(t, env, "", true, "upload", "--validate", "--config", cfg, twExport(t, withdraws)); r.code != 0 {
			t.Fatalf("validation: exit %d\n%s", r.code, r.stderr)
		}
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || sent() != 1 {
			t.Fatalf("after a validation: exit %d, google %d (want the visit sent)\n%s", r.code, sent(), r.stderr)
		}
	})
	t.Run("another patient-key column", func(t *testing.T) {
		env, cfg, sent := setup(t)
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, withdraws)); r.code != 0 || !strings.Contains(r.stderr, "withdrawals remembered: 1") {
			t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
		}
		other := strings.Replace(mustRead(t, cfg), `patient_key: "病歷號碼"`, `patient_key: "手機"`, 1)
		os.WriteFile(cfg, []byte(other), 0o600)
		if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != ExitUsage || sent() != 0 || !strings.Contains(r.stderr, "input.columns.patient_key") {
			t.Fatalf("another column: exit %d, google %d\n%s", r.code, sent(), r.stderr)
		}
	})
}

// TestADatedWithdrawalOutlivesItsRow: under consent.revoked_allows_earlier
// a dated withdrawal ("撤回 2026-10-20") keeps the patient's appointments
// from that day on out, in its export (before, only its own row) and on
// later nights after its row has left the export (the ledger keeps the
// day), while a visit before that day still goes.
func TestADatedWithdrawalOutlivesItsRow(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := twComposite(t, gURL, mURL, func(s string) string {
		return strings.Replace(s, "consent:\n", "consent:\n  revoked_allows_earlier: true\n", 1)
	})
	if !strings.Contains(mustRead(t, cfg), "revoked_allows_earlier: true") {
		t.Fatal("tw-composite.yaml changed shape; update this test")
	}
	withdraws := "A007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回 2026-10-20,1500\n"
	later := "A007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	earlier := "A007001,病患w,115/10/15,上午 10:00,已完成,0912-700-001,同意,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, earlier+withdraws+later)); r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 1: exit %d, google %d (want the earlier visit alone)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later)); r.code != 0 || len(dm.Accepted()) != 1 {
		t.Fatalf("night 2, the withdrawing row gone: exit %d, google %d: the later visit was sent\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
	// A visit entered late, before the withdrawal's day, still goes.
	lateEarlier := "A007001,病患w,115/10/12,上午 10:00,已完成,0912-700-001,同意,1500\n"
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, lateEarlier+later)); r.code != 0 || len(dm.Accepted()) != 2 {
		t.Fatalf("night 3: exit %d, google %d (want the visit before the withdrawal sent)\n%s", r.code, len(dm.Accepted()), r.stderr)
	}
}
