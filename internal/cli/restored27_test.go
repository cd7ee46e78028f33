package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
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
	recordAgrees(t, state)       // the withdrawals' change, after the start's, recorded too
	copyLedger(t, backup, state) // put back: the withdrawal read on night 2 is lost
	before := len(dm.Accepted())
	r := runGoogle(t, env, "", true, "upload", "--config", cfg, twExport(t, later))
	if r.code != ExitUsage || !strings.Contains(r.stderr, "is at change") || len(dm.Accepted()) != before {
		t.Fatalf("night 3 on the ledger from before night 2: exit %d, google %d → %d (want the restored-ledger stop, nothing sent)\n%s", r.code, before, len(dm.Accepted()), r.stderr)
	}
}

// TestTwoSpellingsOfOneLedgerAgree: two configs share one ledger, one
// through a link to its directory, one by the real path. Each upload
// wrote the record under the resolved path and under the path as
// configured; the link's record was written only by the link's config,
// and went stale as the other config's nights and changes went on — once
// `ledger forget` (or retention) removed the run it named, the link's
// config stopped on a ledger that had lost nothing (a review,
// 2026-12-07). The resolved path's record, which both write, decides; the
// one under the path as configured is read only when it was written for
// another resolved path (a link re-pointed: restoredlink_test.go) or none
// is kept under the resolved path (a record of an older hashgate).
func TestTwoSpellingsOfOneLedgerAgree(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC)}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock.Now}
	url, env, export := g.Start(t).URL, uploadEnv(t), filepath.Join(t.TempDir(), "export.csv")
	root := t.TempDir()
	disk, link := filepath.Join(root, "disk"), filepath.Join(root, "hashgate")
	if err := os.Mkdir(disk, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(disk, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	viaLink := metaConfig(t, url, "ledger:\n  path: "+filepath.Join(link, "ledger.db")+"\n")
	direct := metaConfig(t, url, "ledger:\n  path: "+filepath.Join(disk, "ledger.db")+"\n")
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	for night, cfg := range []string{viaLink, direct, direct} {
		clock.Advance(24 * time.Hour)
		growingExport(t, export, day0, night+1, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
	}
	// The link's night, its run, forgotten through the other spelling.
	if r := runAt(t, clock, env, "ledger", "forget", "--before", "2026-10-27", "--allow-resend", "--config", direct); r.code != ExitOK {
		t.Fatalf("forget: exit %d\n%s", r.code, r.stderr)
	}
	clock.Advance(24 * time.Hour)
	growingExport(t, export, day0, 4, "")
	if r := runAt(t, clock, env, "upload", "--config", viaLink, export); r.code != ExitOK {
		t.Errorf("the link's config on the shared ledger, which lost nothing: exit %d, want 0\n%s", r.code, r.stderr)
	}
	// A restore is seen through either spelling.
	backup := t.TempDir()
	copyLedger(t, disk, backup)
	clock.Advance(24 * time.Hour)
	growingExport(t, export, day0, 5, "")
	if r := runAt(t, clock, env, "upload", "--config", direct, export); r.code != ExitOK {
		t.Fatalf("the night after: exit %d\n%s", r.code, r.stderr)
	}
	copyLedger(t, backup, disk)
	clock.Advance(24 * time.Hour)
	for _, cfg := range []string{viaLink, direct} {
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitUsage || !strings.Contains(r.stderr, "does not hold run") {
			t.Errorf("%s on the restored ledger: exit %d, want %d naming the run\n%s", filepath.Base(cfg), r.code, ExitUsage, r.stderr)
		}
	}
}

// TestAChangeOnARestoredLedgerKeepsItStopped: a backup from before a
// morning's change put back, then another ledger command run on it (a
// `ledger forget` of nothing, here) — the command wrote its generation,
// below the one recorded, in the record, and the next upload passed, the
// first change lost. A ledger command never lowers the recorded
// generation: only an upload passed with --accept-restored-ledger
// accepts the ledger as it is.
func TestAChangeOnARestoredLedgerKeepsItStopped(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	state, backup := filepath.Join(env["XDG_STATE_HOME"], "hashgate"), t.TempDir()
	for night := range 2 {
		clock.Advance(24 * time.Hour)
		growingExport(t, export, day0, night+1, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
	}
	copyLedger(t, state, backup)
	clock.Advance(3 * time.Hour)
	for range 2 { // the morning's changes
		if r := runAt(t, clock, env, "ledger", "forget", "--before", "2020-01-01", "--config", cfg); r.code != ExitOK {
			t.Fatalf("the morning's forget: exit %d\n%s", r.code, r.stderr)
		}
	}
	copyLedger(t, backup, state) // put back
	if r := runAt(t, clock, env, "ledger", "forget", "--before", "2020-01-01", "--config", cfg); r.code != ExitOK {
		t.Fatalf("a change on the restored ledger: exit %d\n%s", r.code, r.stderr)
	}
	counted := len(g.Counted())
	clock.Advance(21 * time.Hour)
	growingExport(t, export, day0, 3, "")
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitUsage || !strings.Contains(r.stderr, "is at change") || len(g.Counted()) != counted {
		t.Fatalf("the night after: exit %d, %d sent (want the restored-ledger stop)\n%s", r.code, len(g.Counted())-counted, r.stderr)
	}
	if r := runAt(t, clock, env, "upload", "--config", cfg, "--accept-restored-ledger", export); r.code != ExitOK {
		t.Fatalf("--accept-restored-ledger: exit %d\n%s", r.code, r.stderr)
	}
	clock.Advance(24 * time.Hour)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Errorf("the night after the acceptance: exit %d\n%s", r.code, r.stderr)
	}
}
