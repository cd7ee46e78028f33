// Package ledger remembers, per destination and event id, what each platform
// has accepted, so that any rerun — after a crash, a kill, a network outage
// or with an export that overlaps yesterday's — sends each conversion once.
//
// # What it holds
//
// Event ids (keyed HMACs of order ids; see package eventid) packed as
// binary, destination identities (Ads account and conversion action, Meta
// dataset id), states, reason codes, request or fbtrace ids, run ids and
// timestamps; and, per event sent to a platform that restates values
// (Google), a keyed hash of the value and currency it carried and its
// event time to the minute (values.go). Nothing else: no identifier, no
// hash of one, no order id, no amount. Someone who copies the ledger
// learns how many conversions were sent where and when, whether a value
// changed, and nothing about whom or how much.
//
// # Acceptance is per destination identity
//
// A destination is "google:<operating account>/<conversion action>" or
// "meta:<dataset id>" (DestinationKey of config.DestinationIdentity), not a
// platform: pointing the
// config at another account, action or dataset sends there, instead of
// skipping what the old one accepted. A test run — Google validate_only,
// Meta test_event_code (Destination.Test) — records its answers as
// "validated", which never counts as accepted.
//
// Ledgers written before identities were kept (schema 1) recorded a
// platform name only. Their rows are kept under that name and adopted by
// the first identity of the platform that opens the ledger for an upload:
// the identity the config has when hashgate is upgraded. The adoption is
// recorded in the meta table ("adopted:<platform>"). Change the account or
// dataset before upgrading and the old rows are credited to the new one —
// run once with the old config after upgrading if that matters.
//
// # Why a crash cannot double-count
//
// Before a request is sent, it is recorded with its event ids; after the
// platform answers, its outcome is: "accepted" (or "rejected" /
// "quarantined" with a reason). An event in an accepted request is never
// sent again to that destination. A crash between the two records leaves a
// request without an outcome ("sent"): the next run resends its events.
// That resend is harmless because each event carries the same deterministic
// event id — Google's transactionId, Meta's event_id and order_id. Google
// treats a second ingest of a transactionId as an adjustment of the first —
// value and currency overwritten with the resent ones, nothing counted
// twice (devguides/events/google-ads/conversion-adjustments) — and the
// resend carries the same values. Meta deduplicates physical_store events
// "order_id based or user based" on event_time and event_name, and "the
// maximum deduplication window is 7 days" (offline-events page, "Set Up
// Deduplication"): a resend to Meta after 7 days counts again. So for Meta
// the ledger is what prevents a double count: package run resends an
// unconfirmed event to Meta only while its request is younger than the
// Spec's DedupSafe (6 days; Unconfirmed), and a ledger sends a Meta
// dataset only events dated less than that before its first delivery
// there (Horizon: tonight on a first upload, or after a lost ledger), on
// every night. A lost ledger must be
// restored, not re-created. A test run (Google validateOnly, Meta test
// events) is recorded "validated", never "accepted", and its requests
// are marked test when recorded (schema 13): one left unanswered is never
// resent, kept back or confirmed as a real send (testrequests.go).
//
// # Why writes cost the same whatever the ledger holds
//
// Schema 1 kept one row per event in a B-tree keyed by a random 32-hex id,
// written twice per event (sent, then outcome). Once the tree outgrew a
// batch, every insert dirtied its own page: 7.7 KB written per conversion
// at 20,000 rows, 28 KB at 200,000, growing with the ledger. Schema 2 writes
// one row per request (its ids packed, 16 bytes each, in batch order) and
// one small outcome row after the answer. Both tables are keyed by rowids
// that grow with time, and both indexes (run, time) grow at their right
// edge, so each request dirties the same handful of pages whether the
// ledger is empty or a year full. The batch order is kept so the
// platforms' per-record processing results (indices into the request) can
// be mapped back to event ids.
//
// Reruns ask "accepted before?" once per conversion. Instead of a query
// each (~90 µs), the Filter loads once per run the accepted ids of the
// platform's window (Destination.MaxAge: older events cannot be sent
// anyway) plus a week for clock and time-zone skew, as 64-bit keys in a
// sorted array with a bucket index: 8 bytes an acceptance, 8 MB for a year
// of 5,000 conversions a night to two destinations, and a few probes a
// lookup. A window of more than 4M acceptances goes to a keyset.Set
// instead, whose memory is bounded. A conversion older than its window is
// looked up in a second set of the older acceptances, loaded only when
// such a conversion appears (an export spanning a year), so it is counted
// as already accepted rather than too old. An event's time can move later
// after it was sent (a booking dated by its appointment once booked_at is
// blank, a visit's date corrected), so one dated inside its window that
// the window's set lacks asks the older acceptances too: a Bloom filter
// of them rules out nearly every new event, and the few it cannot are
// held and decided at Finish by one more read (oldfilter.go). Keys are
// the first 64 bits of the 128-bit event id mixed with the destination:
// two different events share a key with probability about n·m/2^64 —
// below 10^-7 for a million acceptances and a million-row export — the
// bound the duplicate-order check of package pipeline accepts too.
//
// # Durability, measured
//
// SQLite's WAL journal with synchronous=NORMAL: a commit is in the WAL
// (the OS has it) when it returns, so a killed process loses nothing (the
// SIGKILL tests of internal/cli); a power loss or kernel crash can lose the
// last commits, never the database's consistency. A lost "sent" record or
// outcome means a harmless resend (above), never a false "accepted":
// outcomes are written only after the answer. FULL adds an fsync per
// record, two per request: measured by make bench-upload at 100k rows it
// wrote 12% more (57 against 51 bytes a conversion) and on a disk where an
// fsync takes 10 ms it would add 15 s to a 1M-row upload, for nothing the
// event ids do not already give. wal_autocheckpoint stays at SQLite's 1000
// pages: 100 and 10,000 wrote the same bytes (5.0-5.1 MB at 100k rows),
// because each request's pages are new pages, not rewrites of old ones.
//
// # One run at a time
//
// A run holds an exclusive lock (flock on "<ledger>.lock") for its whole
// life; a second run fails at once with ErrLocked instead of waiting, so two
// cron jobs that overlap never send the same batch twice. The lock file
// names its holder — pid, config, start — for the run it stops
// (LockedError, lockholder.go); an upload may poll for it a while
// (package run, --lock-wait), never block on it.
package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite: no cgo, one static binary
)

// ErrLocked means another run holds the ledger.
var ErrLocked = errors.New("another hashgate run holds the ledger lock")

// Event states.
const (
	StateSent        = "sent" // recorded before sending; no answer recorded
	StateAccepted    = "accepted"
	StateValidated   = "validated" // a test run's answer: checked, never counts as accepted
	StateRejected    = "rejected"
	StateQuarantined = "quarantined"
)

// States lists every state in display order.
// StateRestated (values.go) is counted beside them: a restated event is
// also accepted, by the request that first carried it. StateKeptBack
// (query.go) is shown, never stored: a first upload's hold, stored
// quarantined.
// StateNotSent and StateConfirmedByUser (query.go, confirm.go) are views
// of stored rejected and accepted rows.
var States = []string{StateAccepted, StateConfirmedByUser, StateSent, StateRejected, StateNotSent, StateQuarantined, StateKeptBack, StateValidated, StateRestated}

// synchronous is the SQLite synchronous level; see the package doc.
const synchronous = "NORMAL"

// Ledger is an open ledger database.
type Ledger struct {
	db     *sql.DB
	path   string
	unlock func()
	now    func() time.Time
	// lock is the run lock held, file the ledger's own file held open
	// (gone.go); nil for a ledger opened ReadOnly.
	lock *fileLock
	file *os.File

	mu         sync.Mutex
	dests      map[string]int64 // destination key → id, for this process
	horizons   map[int64]bool   // destination ids whose horizon this process recorded (horizon.go)
	insRequest *sql.Stmt
	insOutcome *sql.Stmt
	readOnly   bool
}

// Options configure Open.
type Options struct {
	// ReadOnly opens without the run lock, for `hashgate ledger stats|list`,
	// and implies NoUpgrade. It still makes a readable file private:
	// ReadWithdrawals is the read that changes nothing.
	ReadOnly bool
	// NoUpgrade refuses a ledger of an older schema (ErrOlderSchema)
	// instead of migrating it, before anything is made or changed: the
	// commands that read it (`ledger stats|list`, `status`). A migration is
	// one way, and the cron job's older hashgate then refused the ledger.
	NoUpgrade bool
	Now       func() time.Time
	// Warn receives what Open changed on its own: a ledger readable by
	// others made private, a ledger of an older schema upgraded (an older
	// hashgate can no longer open it). nil: not said.
	Warn func(msg string)
	// Existing opens only a ledger that is there (ErrNoLedger otherwise):
	// the commands that read or tidy one. Created empty, it answered "0
	// runs", "nothing ever sent", for a cron job whose XDG_STATE_HOME
	// pointed elsewhere. A 0-byte file is refused whatever the options
	// (ErrEmptyLedger).
	Existing bool
	// Config is the config file of the run (an absolute path), written
	// with its pid and start into the lock file it holds: the run that
	// finds the ledger locked names them (LockedError). "": none named.
	Config string
}

// ErrNoLedger: Options.Existing and no ledger at the path.
var ErrNoLedger = errors.New("no ledger there")

// ErrEmptyLedger: a 0-byte file at the path. hashgate never leaves one (a
// new ledger is made whole before it takes its name: create), so it is a
// copy or restore cut short. Opened, it was a new, empty ledger: `status`
// and `ledger stats` said nothing had been sent, and an upload would have
// forgotten what each destination accepted and which patients withdrew.
var ErrEmptyLedger = errors.New("not a ledger")

// emptyError is ErrEmptyLedger for path, saying what to do.
func emptyError(path string) error {
	return fmt.Errorf("ledger %s is empty (0 bytes): %w — restore it from a backup (a copy or restore cut short leaves 0 bytes); delete it only to start a new ledger, which knows nothing of what was sent or of the patients who withdrew", path, ErrEmptyLedger)
}

// cacheKiB is SQLite's page cache per connection, in KiB (see Open).
const cacheKiB = 256

// Open opens (creating, 0600 in a 0700 directory) the ledger at path and,
// unless ReadOnly, takes the run lock, returning ErrLocked when another run
// holds it. A ledger of an older schema is migrated in one transaction.
// A 0-byte file is not opened (ErrEmptyLedger), and nothing is made or
// changed for it: not the lock file, not its mode.
func Open(ctx context.Context, path string, o Options) (*Ledger, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	// Before anything is made or changed: the lock file, the mode.
	switch st, err := os.Lstat(path); {
	case errors.Is(err, fs.ErrNotExist) && o.Existing:
		return nil, fmt.Errorf("ledger %s: %w: no upload has run with this ledger.path (check it, and $XDG_STATE_HOME where cron runs)", path, ErrNoLedger)
	case err == nil && st.Mode().IsRegular() && st.Size() == 0:
		return nil, emptyError(path)
	case err == nil && st.Mode().IsRegular() && (o.ReadOnly || o.NoUpgrade):
		if err := notOlder(ctx, path); err != nil {
			return nil, err
		}
	}
	o.NoUpgrade = o.NoUpgrade || o.ReadOnly
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("ledger directory: %w", err)
	}
	l := &Ledger{path: path, now: o.Now, unlock: func() {}, dests: map[string]int64{}, horizons: map[int64]bool{}, readOnly: o.ReadOnly}
	if !o.ReadOnly {
		lock, err := lockFile(path + ".lock")
		if err != nil {
			return nil, withAccess(path, lockedBy(path, err))
		}
		lock.tell(Holder{PID: os.Getpid(), Config: o.Config, Started: o.Now().UTC()})
		l.lock, l.unlock = lock, lock.release
	}
	if err := private(path, o.Warn); err != nil {
		l.unlock()
		return nil, err
	}
	if err := create(path, !o.Existing); err != nil {
		l.unlock()
		return nil, osFault(path, err)
	}
	if !o.ReadOnly {
		if err := l.hold(); err != nil {
			l.unlock()
			if errors.Is(err, ErrLocked) { // the ledger's own byte: the holder's lock file was removed
				return nil, &LockedError{Ledger: path, Unknown: "its lock file was removed while it ran; the lock on the ledger itself stopped this run"}
			}
			return nil, err
		}
	}
	dsn, err := fileURI(path)
	if err != nil {
		l.Close()
		return nil, err
	}
	// cache_size: SQLite's page cache, 256 KiB (-N is N KiB;
	// https://sqlite.org/pragma.html#pragma_cache_size) instead of its
	// default 2 MB. It is allocated outside the Go heap (modernc.org/libc's
	// malloc maps memory through modernc.org/memory) and counts in the
	// peak RSS of every upload; the ledger's reads are scans of a window
	// and lookups by index, which the OS page cache serves as well.
	// make bench-upload at 1M rows: upload 84-86 -> 82.5 MB, its rerun
	// 80 -> 76 MB, CPU within the runs' noise.
	dsn += "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(" + synchronous + ")&_pragma=foreign_keys(ON)&_pragma=cache_size(" + strconv.Itoa(-cacheKiB) + ")"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		l.Close()
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer; SQLite serialises anyway
	l.db = db
	if err := l.migrate(ctx, o); err != nil {
		l.Close()
		return nil, err
	}
	insert := `INSERT INTO requests (run_id, destination, sent, at, n, event_ids, newest_event, value_keys, restated, sent_to, sent_times, test) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`
	switch {
	// Only the migration tests, which build a ledger of an earlier schema
	// by cutting the list, get here.
	case len(migrations) < 7: // no value columns yet
		insert = `INSERT INTO requests (run_id, destination, sent, at, n, event_ids, newest_event) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7 WHERE coalesce(?8, ?9, ?10, ?11, ?12, 1) IS NOT NULL RETURNING id`
	case len(migrations) < 11: // no sent_to yet
		insert = `INSERT INTO requests (run_id, destination, sent, at, n, event_ids, newest_event, value_keys, restated) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE coalesce(?10, ?11, ?12, 1) IS NOT NULL RETURNING id`
	case len(migrations) < 12: // no sent_times yet
		insert = `INSERT INTO requests (run_id, destination, sent, at, n, event_ids, newest_event, value_keys, restated, sent_to) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10 WHERE coalesce(?11, ?12, 1) IS NOT NULL RETURNING id`
	case len(migrations) < 13: // no test yet
		insert = `INSERT INTO requests (run_id, destination, sent, at, n, event_ids, newest_event, value_keys, restated, sent_to, sent_times) SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE coalesce(?12, 1) IS NOT NULL RETURNING id`
	}
	if l.insRequest, err = db.PrepareContext(ctx, insert); err != nil {
		l.Close()
		return nil, l.fault("open", err)
	}
	if l.insOutcome, err = db.PrepareContext(ctx, `INSERT INTO outcomes (request, state, reason, request_id, at) VALUES (?, ?, ?, ?, ?)`); err != nil {
		l.Close()
		return nil, l.fault("open", err)
	}
	return l, nil
}

// fileURI is path as an SQLite URI naming that file and nothing else: the
// path made absolute (so ":memory:" or "//host" are file names, not
// special forms) with "%", "?" and "#" escaped. Written raw, a "?" in
// ledger.path began URI options — "ledger.db?mode=memory" opened an
// in-memory ledger that forgot every acceptance and resent everything —
// and the driver (modernc.org/sqlite conn.go) cuts the DSN at the first
// "?" to read its own options. SQLite decodes %HH in a URI's path
// (sqlite.org/uri.html §3.1).
func fileURI(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("ledger %s: %w", path, err)
	}
	abs = filepath.ToSlash(abs)
	var b strings.Builder
	b.WriteString("file:")
	if !strings.HasPrefix(abs, "/") {
		b.WriteByte('/') // a Windows drive: file:/C:/…
	}
	for i := 0; i < len(abs); i++ {
		switch c := abs[i]; c {
		case '%', '?', '#':
			fmt.Fprintf(&b, "%%%02X", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), nil
}

// private checks the ledger before it is opened: a symlink is refused (the
// ledger decides what is sent again; a link lets whoever planted it choose
// the file), and a ledger, WAL or shared-memory file readable or writable
// by group or others is made 0600, with a warning. It holds which events
// were sent when, which is about patients even without their names.
func private(path string, warn func(string)) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		st, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("ledger %s: %w", p, err)
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("ledger %s is a symbolic link: name the file itself in ledger.path (hashgate does not keep its ledger through a link)", p)
		}
		if !st.Mode().IsRegular() {
			return fmt.Errorf("ledger %s is not a regular file", p)
		}
		if perm := st.Mode().Perm(); perm&0o077 != 0 {
			if err := os.Chmod(p, perm&0o700); err != nil {
				return fmt.Errorf("ledger %s is readable by others (mode %04o) and could not be made private: chmod 600 it (%w)", p, perm, err)
			}
			if warn != nil {
				warn(fmt.Sprintf("ledger %s was readable by others (mode %04o): made private (%04o)", p, perm, perm&0o700))
			}
		}
	}
	return nil
}

// create makes the ledger at path when there is none and may (an upload,
// under the run lock: no other process makes one meanwhile): an SQLite
// file, 0600, whose header SQLite writes at path+".new" before it is
// renamed into place. Made at path, it was 0 bytes until SQLite's first
// write, and an upload killed then left an empty file the next one refuses
// (ErrEmptyLedger). What a killed creation left at ".new" is overwritten.
// migrate writes the schema, as for a ledger of an older one. A ledger
// that is there is opened without following a symbolic link planted after
// private's check.
func create(path string, may bool) error {
	if _, err := os.Lstat(path); !errors.Is(err, fs.ErrNotExist) || !may {
		f, err := openRW(path)
		if errors.Is(err, fs.ErrNotExist) {
			return ErrNoLedger
		}
		if err == nil {
			err = f.Close()
		}
		return err
	}
	tmp := path + ".new"
	for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	if err != nil {
		return err
	}
	f.Close()
	dsn, err := fileURI(tmp)
	if err != nil {
		return err
	}
	db, err := sql.Open("sqlite", dsn+"?_pragma=journal_mode(WAL)")
	if err != nil {
		return err
	}
	var v int
	err = db.QueryRow("PRAGMA user_version").Scan(&v) // the WAL pragma writes the header
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if st, err := os.Stat(tmp); err != nil || st.Size() == 0 {
		return fmt.Errorf("making %s: SQLite wrote no header (%v)", filepath.Base(tmp), err)
	}
	return os.Rename(tmp, path)
}

// Path is the database file.
func (l *Ledger) Path() string { return l.path }

// Close closes the database and releases the lock.
func (l *Ledger) Close() error {
	var err error
	for _, s := range []*sql.Stmt{l.insRequest, l.insOutcome} {
		if s != nil {
			s.Close()
		}
	}
	if l.db != nil {
		err = l.db.Close()
	}
	if l.file != nil {
		l.file.Close() // after SQLite's: see hold
	}
	l.unlock()
	return err
}

// migrate brings the ledger to this hashgate's schema, saying so through
// o.Warn when it was an older one (not a new ledger): from then on an
// older hashgate refuses it. With o.NoUpgrade an older schema is an error
// (notOlder said so before the ledger was opened; this is for a ledger an
// older hashgate wrote meanwhile, which it cannot: it refuses newer ones).
func (l *Ledger) migrate(ctx context.Context, o Options) error {
	var version int
	if err := l.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return l.fault("open", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("ledger %s has schema version %d; this hashgate knows %d: upgrade hashgate", l.path, version, len(migrations))
	}
	if version < len(migrations) && o.NoUpgrade {
		return olderError(l.path, version, "")
	}
	for v := version; v < len(migrations); v++ {
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			return l.fault(fmt.Sprintf("upgrade to schema %d", v+1), err)
		}
		m := migrations[v]
		if m.sql != "" {
			_, err = tx.ExecContext(ctx, m.sql)
		} else {
			err = m.fn(ctx, tx)
		}
		if err != nil {
			tx.Rollback()
			return l.fault(fmt.Sprintf("migration %d", v+1), err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return l.fault(fmt.Sprintf("upgrade to schema %d", v+1), err)
		}
		if err := tx.Commit(); err != nil {
			return l.fault(fmt.Sprintf("upgrade to schema %d", v+1), err)
		}
	}
	if version > 0 && version < len(migrations) && o.Warn != nil {
		o.Warn(fmt.Sprintf("ledger %s upgraded from schema %d to %d: an older hashgate can no longer open it", l.path, version, len(migrations)))
	}
	return nil
}

// FinishRun records the run's end, exit code and JSON report, and bumps
// the generation with it (bumpIn): the upload's change, recorded in the
// state directory after. The start's bump (StartRun) is not enough alone:
// a copy of the ledger taken while the run was sending holds its start
// and part of its requests at the start's generation, and, put back,
// would match a record the run's end left there — it stays behind by
// this one.
func (l *Ledger) FinishRun(ctx context.Context, runID string, exitCode int, inputSHA256, report string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return l.fault("record the run's end", err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `UPDATE runs SET finished_at = ?, exit_code = ?, input_sha256 = ?, report = ? WHERE id = ?`,
		l.now().UTC().Format(time.RFC3339Nano), exitCode, inputSHA256, report, runID)
	if err == nil {
		err = bumpIn(ctx, tx)
	}
	if err == nil {
		err = tx.Commit()
	}
	return l.fault("record the run's end", err)
}

// DropRunIfEmpty deletes the run when it recorded no request: a run
// refused before sending (a structural problem found while reading the
// export) leaves nothing in the ledger. It reports whether it did.
func (l *Ledger) DropRunIfEmpty(ctx context.Context, runID string) (bool, error) {
	res, err := l.db.ExecContext(ctx, `DELETE FROM runs WHERE id = ? AND NOT EXISTS (SELECT 1 FROM requests WHERE run_id = ?)`, runID, runID)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// HasRun says whether the ledger records a run with this id: a command
// given a run id that names none says so, rather than printing an empty
// list or "nothing to do" as if the run had no events. A run whose row
// Forget removed while requests of it remain (a run that spanned the cut)
// still has events, so it is still there.
func (l *Ledger) HasRun(ctx context.Context, runID string) (bool, error) {
	var one int
	err := l.db.QueryRowContext(ctx, `SELECT 1 WHERE EXISTS (SELECT 1 FROM runs WHERE id = ?) OR EXISTS (SELECT 1 FROM requests WHERE run_id = ?)`, runID, runID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("ledger: look up a run: %w", err)
	}
	return true, nil
}

// Report returns the JSON report a run stored.
func (l *Ledger) Report(ctx context.Context, runID string) (string, error) {
	var r sql.NullString
	err := l.db.QueryRowContext(ctx, `SELECT report FROM runs WHERE id = ?`, runID).Scan(&r)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("no run %q in the ledger", runID)
	}
	return r.String, err
}
