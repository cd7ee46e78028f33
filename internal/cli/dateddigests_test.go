package cli

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestADatedRevocationDoesNotCarryAnotherWithdrawnIdentifier (a review's
// repro, through the ledger, revoked_allows_earlier): night 1, P7 (pid
// 511) withdraws outright. Night 2, P8 (pid 520) revokes from 11-25 on
// R2, dated 11-19 and carrying P7's email with her own phone: withdrawn
// (before, a row of a dated revocation was exempt from the ledger's
// identifiers, and R2 went out with P7's hashed email); R3, her visit
// carrying her own email and phone alone, is sent. Night 3, the ledger
// remembers P8 from 11-25: R4, her visit before it with her own, is
// sent (her phone is remembered as hers alone); R5, carrying P7's email,
// is withdrawn (before: sent, every row of hers exempt); R6, after her
// day, is consent_revoked_patient. P10 (pid 540) revokes from 11-28 on
// night 2 (Q1, sent); R7, P8's visit on night 3 carrying P10's phone, is
// withdrawn: remembered as another patient's. The rows shuffled each
// night.
func TestADatedRevocationDoesNotCarryAnotherWithdrawnIdentifier(t *testing.T) {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env := uploadEnv(t)
	cfg := migConfig(t, gURL, mURL)
	editConfig(t, cfg, "consent:\n", "consent:\n  revoked_allows_earlier: true\n")
	shuffle := rand.New(rand.NewPCG(25, 20))
	night := func(name string, want int, wantEx map[string]string, rows ...string) {
		t.Helper()
		shuffle.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		before := len(dm.Accepted())
		r := runGoogle(t, env, "", true, "upload", "--config", cfg, migExport(t, strings.Join(rows, "")))
		if r.code != 0 || len(dm.Accepted())-before != want {
			t.Fatalf("%s: exit %d, google +%d (want +%d)\n%s", name, r.code, len(dm.Accepted())-before, want, r.stderr)
		}
		for reason, n := range wantEx {
			if got := excludedAs(r.stderr, reason); got != n {
				t.Errorf("%s: %s %q, want %s\n%s", name, reason, got, n, r.stderr)
			}
		}
		migCanary(t, env, r.stdout+r.stderr)
	}
	night("night 1", 1, map[string]string{"consent_revoked": "1"},
		migRow("R1", 18, 9, 511, "withdrawn", "511"),
		migRow("X1", 18, 10, 530, "yes", "530"))
	hersAndMums := "R2,2026-11-19 09:00,completed,zqmig511@example.com,0912-555-520,Zqfirst,Zqlast,revoked 2026-11-25,520\n"
	night("night 2", 3, map[string]string{"consent_withdrawn_identifier": "1"},
		hersAndMums,
		migRow("Q1", 20, 11, 540, "revoked 2026-11-28", "540"),
		migRow("R3", 20, 9, 520, "yes", "520"),
		migRow("X2", 20, 10, 531, "yes", "531"))
	mums := "R5,2026-11-23 09:00,completed,zqmig511@example.com,0912-555-520,Zqfirst,Zqlast,yes,520\n"
	theirs := "R7,2026-11-21 09:00,completed,zqmig520@example.com,0912-555-540,Zqfirst,Zqlast,yes,520\n"
	night("night 3", 2, map[string]string{"consent_withdrawn_identifier": "2", "consent_revoked_patient": "1"},
		theirs,
		migRow("R4", 22, 9, 520, "yes", "520"),
		mums,
		migRow("R6", 26, 9, 520, "yes", "520"),
		migRow("X3", 22, 10, 532, "yes", "532"))
}
