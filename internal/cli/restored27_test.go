package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestALedgerRestoredFromBeforeAStoppedNightsWithdrawalStops: a night the
// zeros check stopped still remembers the withdrawal it read (its row
// rolls out otherwise), and drops its run as refused. The drop returned
// before the run's record: the ledger's generation stayed, so the backup
// from before that night, put back, passed the next upload — the
// withdrawal lost, the patient's later visit sent (a review, 2026-12-07).
func TestALedgerRestoredFromBeforeAStoppedNightsWithdrawalStops(t *testing.T) {
	withdraws := "00007001,病患w,115/10/20,上午 09:00,已完成,0912-700-001,撤回,1500\n"
	later := "00007001,病患w,115/10/25,上午 10:00,已完成,0912-700-001,同意,1500\n"
	padded := "00007002,病患a,115/10/26,上午 11:00,已完成,0912-700-002,同意,1500\n" +
		"00007003,病患b,115/10/26,下午 01:00,已完成,0912-700-003,同意,1500\n" +
		"00007004,病患c,115/10/26,下午 02:00,已完成,0912-700-004,同意,1500\n"
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	env, cfg := uploadEnv(t), twComposite(t, gURL, mURL, nil)
	state, backup := filepath.Join(env["XDG_STATE_HOME"], "hashgate"), t.TempDir()
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, padded)); r.code != 0 {
		t.Fatalf("night 1: exit %d\n%s", r.code, r.stderr)
	}
	copyLedger(t, state, backup) // the backup, after night 1
	trimmed := strings.ReplaceAll(withdraws+padded, "0000700", "700")
	if r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, trimmed)); r.code != ExitUsage || !strings.Contains(r.stderr, "leading zeros") {
		t.Fatalf("night 2, re-saved: exit %d (want the zeros stop)\n%s", r.code, r.stderr)
	}
	copyLedger(t, backup, state) // put back: the withdrawal read on night 2 is lost
	before := len(dm.Accepted())
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "is at change") || len(dm.Accepted()) != before {
		t.Fatalf("night 3 on the ledger from before night 2: exit %d, google %d → %d (want the restored-ledger stop, nothing sent)\n%s", r.code, before, len(dm.Accepted()), r.stderr)
	}
}
