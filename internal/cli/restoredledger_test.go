package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// copyLedger copies the ledger's files (ledger.db and any -wal, -shm)
// from one directory to another, replacing what is there: a backup taken,
// or put back, while no run is going.
func copyLedger(t *testing.T, from, to string) {
	t.Helper()
	old, _ := filepath.Glob(filepath.Join(to, "ledger.db*"))
	for _, m := range old {
		if err := os.Remove(m); err != nil {
			t.Fatal(err)
		}
	}
	files, _ := filepath.Glob(filepath.Join(from, "ledger.db*"))
	if len(files) == 0 {
		t.Fatal("no ledger to copy")
	}
	for _, m := range files {
		b, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(to, filepath.Base(m)), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestARestoredLedgerStopsBeforeSendingAgain: a reviewer put back a backup
// of the ledger after 14 more nights, keeping the state directory's
// reports and last-run.json, and ran the next night: every conversion sent
// since the backup went again, exit 0, and Meta — which deduplicates only
// within 7 days — counted the older ones twice. The state directory
// records the last run of each ledger; a ledger that lacks it stops the
// upload before anything is sent (exit 2), naming the run and what to do,
// `status` says so and exits 1, and --accept-restored-ledger passes it
// once, the retention note then naming the restore, not the clock.
func TestARestoredLedgerStopsBeforeSendingAgain(t *testing.T) {
	start := time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC) // 02:30 Taipei
	clock := &simClock{t: start}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	state := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
	backup := t.TempDir()
	report := filepath.Join(t.TempDir(), "last.json")
	const before, after = 6, 10
	night := 0
	upload := func(args ...string) result {
		growingExport(t, export, day0, night+1, "")
		return runAt(t, clock, env, append(append([]string{"upload", "--config", cfg, "--report", report}, args...), export)...)
	}
	for ; night < before+after; night++ {
		if night > 0 {
			clock.Advance(24 * time.Hour)
		}
		if r := upload(); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
		if night == before-1 {
			copyLedger(t, state, backup) // the backup, after the night
		}
	}
	var last struct {
		RunID string `json:"run_id"`
	}
	if b, err := os.ReadFile(report); err != nil || json.Unmarshal(b, &last) != nil || last.RunID == "" {
		t.Fatalf("the last night's report: %v", err)
	}
	destinationtest.ExactlyOnce(t, g.Counted(), 3*night)
	counted := len(g.Counted())

	copyLedger(t, backup, state) // put back, reports/ and last-run.json kept
	clock.Advance(24 * time.Hour)
	r := upload()
	if r.code != ExitUsage {
		t.Fatalf("the night after the restore: exit %d, want %d (nothing sent)\n%s", r.code, ExitUsage, r.stderr)
	}
	for _, want := range []string{"ledger.path", "does not hold run " + last.RunID, start.AddDate(0, 0, before+after-1).Format(time.RFC3339), "Restore the newest backup", "--accept-restored-ledger", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	destinationtest.ExactlyOnce(t, g.Counted(), counted)

	st := runAt(t, clock, env, "status", "--budget", "0", "--config", cfg)
	if st.code != ExitFailure || !strings.Contains(st.stderr, "does not hold run "+last.RunID) {
		t.Errorf("status on the restored ledger: exit %d, want 1 naming run %s\n%s%s", st.code, last.RunID, st.stdout, st.stderr)
	}

	// The ledger replaced on purpose: passed once, what it lacks goes again.
	r = upload("--accept-restored-ledger")
	if r.code != ExitOK || !strings.Contains(r.stderr, "--accept-restored-ledger asked") {
		t.Fatalf("--accept-restored-ledger: exit %d\n%s", r.code, r.stderr)
	}
	if !strings.Contains(r.stderr, "likely a restored backup") || strings.Contains(r.stderr, "check the clock if") {
		t.Errorf("the retention note blames the clock for a restored ledger:\n%s", r.stderr)
	}
	twice := 0
	for _, n := range g.Counted() {
		if n > 1 {
			twice++
		}
	}
	if twice == 0 {
		t.Errorf("the restored ledger resent nothing: the fake must see what the stop prevents")
	}
	// The night after is an ordinary night, and the flag left in the job
	// says it passed nothing.
	night++
	clock.Advance(24 * time.Hour)
	if r := upload("--accept-restored-ledger"); r.code != ExitOK || !strings.Contains(r.stderr, "--accept-restored-ledger passed nothing tonight") {
		t.Errorf("the night after: exit %d\n%s", r.code, r.stderr)
	}
	if st := runAt(t, clock, env, "status", "--budget", "0", "--config", cfg); st.code != ExitOK {
		t.Errorf("status after: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
}

// TestConfigsWithTheirOwnLedgersShareAStateDirectory: the state directory
// is one per user, and two configs with their own ledger.path take turns
// in it; each ledger is compared with its own last run only, and a ledger
// deleted (lost, not restored) is a new ledger, guarded by Meta's
// first-upload window, not stopped.
func TestConfigsWithTheirOwnLedgersShareAStateDirectory(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC)}
	g := &destinationtest.Graph{Token: metaToken, APIVersion: "v25.0", DatasetID: "998877", Now: clock.Now}
	url, env, export := g.Start(t).URL, uploadEnv(t), filepath.Join(t.TempDir(), "export.csv")
	dirA, dirB := t.TempDir(), t.TempDir()
	cfgA := metaConfig(t, url, "ledger:\n  path: "+filepath.Join(dirA, "ledger.db")+"\n")
	cfgB := metaConfig(t, url, "ledger:\n  path: "+filepath.Join(dirB, "ledger.db")+"\n")
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	for night := range 3 {
		clock.Advance(24 * time.Hour)
		growingExport(t, export, day0, night+1, "")
		for _, cfg := range []string{cfgA, cfgB} {
			if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
				t.Fatalf("night %d, %s: exit %d\n%s", night, cfg, r.code, r.stderr)
			}
		}
	}
	lost, _ := filepath.Glob(filepath.Join(dirA, "ledger.db*"))
	for _, m := range lost {
		os.Remove(m)
	}
	clock.Advance(24 * time.Hour)
	if r := runAt(t, clock, env, "upload", "--config", cfgA, export); r.code != ExitOK {
		t.Errorf("a lost (new) ledger: exit %d, want 0\n%s", r.code, r.stderr)
	}
}

// TestALedgerRestoredFromBeforeAChangeStops: the record named the last
// upload run only. A backup taken after night N, a ledger command the
// next morning (`ledger erase`, `unrevoke`, …), that backup put back: the
// ledger held run N, the record named run N, and the next upload went on
// — the change lost (an erasure's zeroed event ids back) and nothing
// said (a review, 2026-12-07). The ledger's generation, bumped by the
// command and recorded beside the run, stops it, and the stop says what
// is lost.
func TestALedgerRestoredFromBeforeAChangeStops(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	state := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
	backup := t.TempDir()
	report := filepath.Join(t.TempDir(), "last.json")
	for night := range 2 {
		clock.Advance(24 * time.Hour)
		growingExport(t, export, day0, night+1, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, "--report", report, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
	}
	var last struct {
		RunID string `json:"run_id"`
	}
	if b, err := os.ReadFile(report); err != nil || json.Unmarshal(b, &last) != nil || last.RunID == "" {
		t.Fatalf("the last night's report: %v", err)
	}
	copyLedger(t, state, backup) // the backup, after the night
	clock.Advance(3 * time.Hour)
	if r := runAt(t, clock, env, "ledger", "unrevoke", "--config", cfg, "--run", last.RunID); r.code != ExitOK {
		t.Fatalf("the morning's unrevoke: exit %d\n%s", r.code, r.stderr)
	}
	counted := len(g.Counted())
	copyLedger(t, backup, state) // put back
	clock.Advance(21 * time.Hour)
	growingExport(t, export, day0, 3, "")
	// A dry-run previewed the resend without a word: it says the upload
	// would stop, on stderr and in its report, and exits as a dry-run.
	dryReport := filepath.Join(t.TempDir(), "dry.json")
	dry := runAt(t, clock, env, "upload", "--dry-run", "--config", cfg, "--out", filepath.Join(t.TempDir(), "review.csv"), "--report", dryReport, export)
	if dry.code != ExitOK || !strings.Contains(dry.stderr, "an upload would stop before sending anything") {
		t.Errorf("the dry-run on the restored ledger: exit %d, want 0 and a warning\n%s", dry.code, dry.stderr)
	}
	if b, err := os.ReadFile(dryReport); err != nil || !strings.Contains(string(b), "an upload would stop before sending anything") {
		t.Errorf("the dry-run's report does not say the upload would stop (%v):\n%s", err, b)
	}
	r := runAt(t, clock, env, "upload", "--config", cfg, export)
	if r.code != ExitUsage {
		t.Fatalf("the night after the restore: exit %d, want %d (nothing sent)\n%s", r.code, ExitUsage, r.stderr)
	}
	for _, want := range []string{"ledger.path", "is at change", "ledger erase", "consent.revocations_file", "nothing was sent"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("the stop does not say %q:\n%s", want, r.stderr)
		}
	}
	if len(g.Counted()) != counted {
		t.Errorf("the restored ledger sent %d events", len(g.Counted())-counted)
	}
	if r := runAt(t, clock, env, "upload", "--config", cfg, "--accept-restored-ledger", export); r.code != ExitOK {
		t.Fatalf("--accept-restored-ledger: exit %d\n%s", r.code, r.stderr)
	}
	clock.Advance(24 * time.Hour)
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
		t.Errorf("the night after: exit %d\n%s", r.code, r.stderr)
	}
}
