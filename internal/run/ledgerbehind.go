package run

// # A ledger older than its last run
//
// A reviewer put a backup of the ledger back after 14 more nights
// (keeping reports/ and last-run.json) and ran the next night: every
// conversion sent since the backup went again — 2,420 to each platform —
// and exit 0. Meta deduplicates only within 7 days (contract M11), so it
// counted 1,281 visits twice; Google took the known transactionIds as
// adjustments (contract G11). Nothing noticed: the Meta first-upload
// window (dedupwindow.go) guards a ledger that never delivered to the
// dataset, and a restored one had.
//
// The ledger cannot tell it was put back; the state directory can. After
// every upload recorded in a ledger, the state directory keeps, per
// ledger (by its canonical path: configs sharing ledger.path share the
// record, configs with their own ledger each have theirs, and the state
// directory is one per user, not per config), the run it recorded last:
// ledger-runs/<hash>.json. last-run.json is not that record: one file for
// every config of the state directory, overwritten by whichever ran last,
// it names request ids, neither the run nor its ledger; reports/ keeps a
// report per run of every config, named by a clock-made id. Before an
// upload sends anything, a ledger that holds runs but not the one
// recorded is older than its last run: the upload stops, exit 2, nothing
// sent, naming the run and its time (never a value) and what to do —
// restore the newest backup, or, for a ledger replaced on purpose,
// --accept-restored-ledger once. A new, empty ledger (a lost one) is not
// stopped here: it has never delivered, and the Meta window keeps its
// history back (README, Your first upload). Not --accept-new-ids: that
// flag is left in nightly jobs (acceptance.say warns of it), and it would
// pass this stop every night after, as --accept-moved-times is apart for
// the same reason (armNetAndGuard).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
)

// ledgerRunsDir is the state directory's folder of per-ledger records.
const ledgerRunsDir = "ledger-runs"

// LedgerRecord is what the state directory keeps of the newest run an
// upload recorded in one ledger: ids and times only, nothing of a person.
type LedgerRecord struct {
	Ledger string    `json:"ledger"`
	RunID  string    `json:"run_id"`
	Time   time.Time `json:"time"`
}

// ledgerRecordPath is the record of the ledger at lpath, keyed by its
// canonical path (links resolved: another spelling is the same ledger).
func ledgerRecordPath(dir, lpath string) string {
	sum := sha256.Sum256([]byte(canonical(lpath)))
	return filepath.Join(dir, ledgerRunsDir, hex.EncodeToString(sum[:8])+".json")
}

// recordLedgerRun writes, under the ledger's lock, that runID is the
// newest run the ledger at lpath holds. Called only once the run is the
// ledger's for good (not dropped as refused): a record naming a run the
// ledger never kept would stop the next night.
func recordLedgerRun(env *Env, lpath, runID string, at time.Time) error {
	if env.StateDir == nil {
		return nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(LedgerRecord{Ledger: canonical(lpath), RunID: runID, Time: at.UTC()}, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(ledgerRecordPath(dir, lpath), b)
}

// LedgerBehind is what the state directory records of the ledger at lpath
// when the ledger, holding runs, lacks the newest one recorded there: nil
// when it holds it, is new (no run), or nothing is recorded.
func LedgerBehind(ctx context.Context, env *Env, led *ledger.Ledger, lpath string) (*LedgerRecord, error) {
	if env.StateDir == nil {
		return nil, nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return nil, nil // an unusable state directory fails the run elsewhere
	}
	b, err := os.ReadFile(ledgerRecordPath(dir, lpath))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // no upload of this version recorded in it yet
	}
	if err != nil {
		return nil, fmt.Errorf("read the state directory's record of the ledger's last run: %w", err)
	}
	var rec LedgerRecord
	if err := json.Unmarshal(b, &rec); err != nil || rec.RunID == "" {
		env.Logger.Warn("the state directory's record of the ledger's last run cannot be read; the ledger is not compared with it tonight", "file", ledgerRecordPath(dir, lpath))
		return nil, nil
	}
	has, err := led.HasRun(ctx, rec.RunID)
	if err != nil || has {
		return nil, err
	}
	ids, err := led.RunIDs(ctx, 1)
	if err != nil || len(ids) == 0 {
		return nil, err // a new ledger: the first-upload window guards it
	}
	return &rec, nil
}

// behindProblem is the stop's (and status's) sentence: what was found
// and what to do.
func behindProblem(rec *LedgerRecord, lpath string) string {
	return fmt.Sprintf("the ledger (%s) does not hold run %s of %s, which this state directory records as the newest run uploaded with it: "+
		"the ledger is older than its last run — a backup put back, or an older copy — and every conversion sent since that backup would be sent again "+
		"(Meta deduplicates only within 7 days and counts the older ones twice). "+
		"Restore the newest backup of the ledger (one taken after that run); if the ledger was replaced on purpose and what it lacks may go again, run `hashgate upload --accept-restored-ledger` once",
		DisplayPath(lpath), rec.RunID, rec.Time.UTC().Format(time.RFC3339))
}

// restoredLedgerStop is the upload's check before anything is sent: a
// config error on ledger.path (exit 2) for a ledger behind the state
// directory's record, unless accept (--accept-restored-ledger), which
// warns instead; with accept and nothing behind it warns that the flag
// passed nothing. behind reports what was passed, for the retention note.
func restoredLedgerStop(ctx context.Context, env *Env, led *ledger.Ledger, lpath string, accept bool) (behind *LedgerRecord, err error) {
	rec, err := LedgerBehind(ctx, env, led, lpath)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	switch {
	case rec == nil && accept:
		env.Logger.Warn("--accept-restored-ledger passed nothing tonight: the ledger holds the last run this state directory recorded for it. It is for one night; remove it from a nightly job, where it would let a restored backup send again what it lacks")
	case rec != nil && !accept:
		return nil, &config.Error{Key: "ledger.path", Problem: behindProblem(rec, lpath) + "; nothing was sent"}
	case rec != nil:
		env.Logger.Warn("the ledger does not hold the last run this state directory recorded for it (a restored or replaced ledger); sending as --accept-restored-ledger asked: what it lacks goes again",
			"run", rec.RunID, "recorded", rec.Time.UTC().Format(time.RFC3339))
	}
	return rec, nil
}
