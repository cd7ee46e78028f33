package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestARestoredLedgerBehindARepointedLinkStops (a review, 2026-12-07):
// ledger.path's directory is a link to a disk; the disk is replaced, a
// backup restored onto the new one and the link re-pointed to it. The
// state directory's record was keyed by the resolved path alone: the new
// resolved path had none, and the next upload sent again what the backup
// lacked, exit 0. The record kept under the path as configured stops it.
func TestARestoredLedgerBehindARepointedLinkStops(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC)}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock.Now}
	url, env, export := g.Start(t).URL, uploadEnv(t), filepath.Join(t.TempDir(), "export.csv")
	root := t.TempDir()
	diskA, diskB, link := filepath.Join(root, "diskA"), filepath.Join(root, "diskB"), filepath.Join(root, "hashgate")
	for _, d := range []string{diskA, diskB} {
		if err := os.Mkdir(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(diskA, link); err != nil {
		t.Skipf("no symlinks here: %v", err)
	}
	cfg := metaConfig(t, url, "ledger:\n  path: "+filepath.Join(link, "ledger.db")+"\n")
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	for night := range 3 {
		clock.Advance(24 * time.Hour)
		growingExport(t, export, day0, night+1, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
		if night == 0 {
			copyLedger(t, diskA, diskB) // the backup, restored later onto the new disk
		}
	}
	counted := len(g.Counted())
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(diskB, link); err != nil {
		t.Fatal(err)
	}
	clock.Advance(24 * time.Hour)
	growingExport(t, export, day0, 4, "")
	r := runAt(t, clock, env, "upload", "--config", cfg, export)
	if r.code != ExitUsage || !strings.Contains(r.stderr, "does not hold run") {
		t.Fatalf("the restored ledger behind the re-pointed link: exit %d, want %d naming the run\n%s", r.code, ExitUsage, r.stderr)
	}
	destinationtest.ExactlyOnce(t, g.Counted(), counted)
}
