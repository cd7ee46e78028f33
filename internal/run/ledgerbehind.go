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
	"github.com/hashgate/hashgate/internal/report"
)

// # And older than its last change
//
// The run alone missed a change made between uploads: a backup taken
// after night N, `ledger erase` the next morning, that backup put back —
// the ledger holds run N, the record names run N, no stop; the erasure
// lost, its zeroed event ids back, the patient's rows sendable again (a
// review, 2026-12-07). So the ledger keeps a generation
// (ledger/generation.go), bumped by every command that changes what it
// records — upload, `ledger erase`, `unrevoke`, `forget`, `requeue`,
// `confirm` — in the change's own transaction, and each writes it in the
// record after (RecordLedgerChange); a
// ledger whose generation is below the record's is behind it too. A
// record written before the generation (none in it) is judged by its run
// alone, as before.

// ledgerRunsDir is the state directory's folder of per-ledger records.
const ledgerRunsDir = "ledger-runs"

// LedgerRecord is what the state directory keeps of the newest run an
// upload recorded in one ledger: ids and times only, nothing of a person.
type LedgerRecord struct {
	Ledger string    `json:"ledger"`
	RunID  string    `json:"run_id,omitempty"`
	Time   time.Time `json:"time"`
	// Generation is the ledger's generation after the last change
	// recorded (ledger.Generation; 0: a record from before it was kept).
	Generation int64 `json:"generation,omitempty"`
	// ByChange is set when the ledger holds the run but is behind by its
	// generation, Have: for the stop's sentence, never written.
	ByChange bool  `json:"-"`
	Have     int64 `json:"-"`
	// Changed is when the last change recorded was made (Time is the
	// run's): never written apart, Time is.
	Changed time.Time `json:"changed,omitzero"`
}

// ledgerRecordPaths are the records of the ledger at lpath: one keyed by
// its canonical path (links resolved: configs spelling the same ledger
// otherwise share one record, so a restore behind another config's run
// or change stops this one too), and one keyed by the path as configured
// (absolute: config.validateLedger; the state directory's default is
// too). Keyed by the resolved path alone, a ledger directory that is a
// link re-pointed to a replacement disk holding a restored backup had no
// record under its new resolved path, and nothing stopped (a review,
// 2026-12-07); keyed by the configured path alone, two spellings of one
// ledger would each judge by their own last run. Both are written (one
// when they are the same); which are read, LedgerBehind says. The
// resolved path's comes first.
func ledgerRecordPaths(dir, lpath string) []string {
	keys := []string{canonical(lpath)}
	if abs, err := filepath.Abs(lpath); err == nil && abs != keys[0] {
		keys = append(keys, abs)
	}
	paths := make([]string, len(keys))
	for i, k := range keys {
		sum := sha256.Sum256([]byte(k))
		paths[i] = filepath.Join(dir, ledgerRunsDir, hex.EncodeToString(sum[:8])+".json")
	}
	return paths
}

// recordLedgerRun writes, under the ledger's lock, that runID is the
// newest run the ledger at lpath holds, with its generation (bumped by
// the run's end: ledger.FinishRun).
// Called only once the run is the ledger's for good (not dropped as
// refused): a record naming a run the ledger never kept would stop the
// next night.
func recordLedgerRun(ctx context.Context, env *Env, led *ledger.Ledger, lpath, runID string, at time.Time) error {
	return recordLedger(ctx, env, led, lpath, func(rec *LedgerRecord, _ int64) {
		rec.RunID, rec.Time = runID, at.UTC()
	})
}

// RecordLedgerChange records the generation of the ledger at lpath, open
// and locked by the caller, in the state directory beside the last run
// recorded: called by a ledger command once its change is committed
// (`ledger erase`, `unrevoke`, `forget`, `requeue`, `confirm`, a refused
// run's withdrawals), which bumped the generation in its transaction, so
// that the backup from before it, put back, stops the next upload. It
// never lowers the generation recorded: a command run on a ledger behind
// its record (a backup put back) wrote the ledger's, and the next upload
// passed, what the backup lacks lost (a review, 2026-12-07). Only an
// upload accepts a ledger as it is (--accept-restored-ledger).
func RecordLedgerChange(ctx context.Context, env *Env, led *ledger.Ledger, lpath string) error {
	return recordLedger(ctx, env, led, lpath, func(rec *LedgerRecord, recorded int64) {
		rec.Changed, rec.Generation = env.Now().UTC(), max(rec.Generation, recorded)
	})
}

// dropRefusedRun drops run runID, refused before anything was sent (a
// structural stop, a usage or config refusal: it leaves nothing in the
// ledger), and says whether it did. Dropped, the run may still have
// changed what the ledger remembers — the withdrawals a stopped night
// read (upload: readIt) — so the change is recorded as a ledger
// command's is: returning before the run's record, the backup from before
// that night, put back, passed the next upload and sent the withdrawn
// patient's visit (a review, 2026-12-07).
func dropRefusedRun(ctx context.Context, env *Env, led *ledger.Ledger, lpath, runID string) bool {
	ctx = context.WithoutCancel(ctx)
	dropped, err := led.DropRunIfEmpty(ctx, runID)
	if err != nil {
		env.Logger.Warn("could not drop the refused run from the ledger", "error", err)
		return false
	}
	if dropped {
		warnUnrecorded(env, RecordLedgerChange(ctx, env, led, lpath))
	}
	return dropped
}

// warnUnrecorded warns of err, RecordLedgerChange's: the change is made,
// only the guard of its backup is missing.
func warnUnrecorded(env *Env, err error) {
	if err != nil {
		env.Logger.Warn("could not record the ledger's change in the state directory; a ledger restored from a backup taken before it is not noticed", "error", err)
	}
}

// recordLedger writes the record with the ledger's generation, as set
// changes the one there (or a new one; recorded is the generation it
// held). It bumps nothing: the change
// bumped in its own transaction (a crash between a change's commit and a
// later bump left the change at the old generation).
func recordLedger(ctx context.Context, env *Env, led *ledger.Ledger, lpath string, set func(rec *LedgerRecord, recorded int64)) error {
	if env.StateDir == nil {
		return nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return err
	}
	gen, err := led.Generation(ctx)
	if err != nil {
		return err
	}
	for _, file := range ledgerRecordPaths(dir, lpath) {
		var rec LedgerRecord
		if b, err := os.ReadFile(file); err == nil {
			_ = json.Unmarshal(b, &rec) // unreadable: written anew
		}
		recorded := rec.Generation
		rec.Ledger, rec.Generation = canonical(lpath), gen
		set(&rec, recorded)
		b, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return err
		}
		if err := WriteFileAtomic(file, b); err != nil {
			return err
		}
	}
	return nil
}

// runsReader is what LedgerBehind reads of a ledger: an open one
// (*ledger.Ledger), or a dry-run's read that changes nothing
// (*ledger.RunsPeek).
type runsReader interface {
	HasRun(ctx context.Context, runID string) (bool, error)
	RunIDs(ctx context.Context, limit int) ([]string, error)
	Generation(ctx context.Context) (int64, error)
}

// LedgerBehind is what the state directory records of the ledger at lpath
// when the ledger, holding runs, lacks the newest one recorded there: nil
// when it holds it, is new (no run), or nothing is recorded. Its records
// are read (ledgerRecordPaths); the first it is behind is told. The
// record under the path as configured is passed over when one is kept
// under the resolved path and it was written for that same resolved path
// (its Ledger): every spelling of the ledger writes the resolved path's,
// while the configured one is written by its own config alone, and went
// stale as another config sharing the ledger under another spelling ran —
// once a run it named was forgotten (retention, `ledger forget`), the
// ledger, which had lost nothing, stopped the upload (a review,
// 2026-12-07). It is read when written for another resolved path (a link
// re-pointed to a disk holding a restored backup), or when the resolved
// path keeps none.
func LedgerBehind(ctx context.Context, env *Env, led runsReader, lpath string) (*LedgerRecord, error) {
	if env.StateDir == nil {
		return nil, nil
	}
	dir, err := env.StateDir()
	if err != nil {
		return nil, nil // an unusable state directory fails the run elsewhere
	}
	resolved, kept := canonical(lpath), false
	for i, file := range ledgerRecordPaths(dir, lpath) {
		rec, err := readLedgerRecord(env, file)
		switch {
		case err != nil:
			return nil, err
		case rec == nil:
			continue
		case i == 0:
			kept = true
		case kept && rec.Ledger == resolved:
			continue // superseded by the resolved path's record
		}
		if rec, err := ledgerBehindRecord(ctx, led, rec); rec != nil || err != nil {
			return rec, err
		}
	}
	return nil, nil
}

// readLedgerRecord reads the record in file: nil when there is none, or
// it cannot be read (warned of: written anew by the next upload).
func readLedgerRecord(env *Env, file string) (*LedgerRecord, error) {
	b, err := os.ReadFile(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil // no upload of this version recorded in it yet
	}
	if err != nil {
		return nil, fmt.Errorf("read the state directory's record of the ledger's last run: %w", err)
	}
	var rec LedgerRecord
	if err := json.Unmarshal(b, &rec); err != nil || rec.RunID == "" && rec.Generation <= 0 {
		env.Logger.Warn("the state directory's record of the ledger's last run cannot be read; the ledger is not compared with it tonight", "file", file)
		return nil, nil
	}
	return &rec, nil
}

// ledgerBehindRecord is LedgerBehind for one record, rec.
func ledgerBehindRecord(ctx context.Context, led runsReader, rec *LedgerRecord) (*LedgerRecord, error) {
	has, err := rec.RunID == "", error(nil)
	if !has {
		if has, err = led.HasRun(ctx, rec.RunID); err != nil {
			return nil, err
		}
	}
	gen, err := led.Generation(ctx)
	if err != nil {
		return nil, err
	}
	if has && gen >= rec.Generation {
		return nil, nil
	}
	ids, err := led.RunIDs(ctx, 1)
	if err != nil || len(ids) == 0 && gen == 0 {
		return nil, err // a new ledger: the first-upload window guards it
	}
	if has {
		rec.ByChange, rec.Have = true, gen // it holds the run, not the changes made after
	}
	return rec, nil
}

// behindProblem is the stop's (and status's) sentence: what was found
// and what to do.
func behindProblem(rec *LedgerRecord, lpath string) string {
	what := fmt.Sprintf("does not hold run %s of %s, which this state directory records as the newest run uploaded with it", rec.RunID, rec.Time.UTC().Format(time.RFC3339))
	after := "one taken after that run"
	if rec.ByChange {
		what = fmt.Sprintf("is at change %d, and this state directory records change %d made to it (%s)", rec.Have, rec.Generation, changedAt(rec))
		after = "one taken after that change"
	}
	return fmt.Sprintf("the ledger (%s) %s: "+
		"the ledger is older than its last run or change — a backup put back, or an older copy — and every conversion sent since that backup would be sent again "+
		"(Meta deduplicates only within 7 days and counts the older ones twice); "+
		"what was changed in it since is lost too, and must be made again: erasures (`hashgate ledger erase`: her zeroed event ids are back), "+
		"withdrawals remembered (or list those patients in consent.revocations_file), `ledger unrevoke`, `requeue` and `forget`. "+
		"Restore the newest backup of the ledger (%s); if the ledger was replaced on purpose and what it lacks may go again, redo those changes and run `hashgate upload --accept-restored-ledger` once",
		DisplayPath(lpath), what, after)
}

// changedAt is when the record's last change was made: the change's
// time, else its run's.
func changedAt(rec *LedgerRecord) string {
	if !rec.Changed.IsZero() && rec.Changed.After(rec.Time) {
		return rec.Changed.UTC().Format(time.RFC3339)
	}
	return rec.Time.UTC().Format(time.RFC3339)
}

// sayBehind is the dry-run's word on a ledger an upload would stop for
// (LedgerBehind): a dry-run on a restored ledger previewed the full
// resend without a word (a review, 2026-12-07). A warning on stderr and a
// notice in the run report; the exit is the dry-run's. Read as the
// remembered withdrawals are (ledger.PeekRuns: no lock, no mode, no
// companion file changed); a ledger it cannot read says nothing here.
func sayBehind(ctx context.Context, env *Env, cfg *config.Config, sum *report.Summary, demo bool) {
	if demo {
		return
	}
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		return
	}
	led, err := ledger.PeekRuns(ctx, lpath)
	if err != nil {
		return
	}
	defer led.Close()
	rec, err := LedgerBehind(ctx, env, led, lpath)
	if err != nil || rec == nil {
		return
	}
	msg := "an upload would stop before sending anything (exit 2), and this review shows what a restored ledger would send again: " + behindProblem(rec, lpath)
	env.Logger.Warn(msg)
	sum.Notices = append(sum.Notices, msg)
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
