// Package ledger remembers, per destination and event id, what each platform
// has accepted, so that any rerun — after a crash, a kill, a network outage
// or with an export that overlaps yesterday's — sends each conversion once.
//
// # What it holds
//
// Event ids (keyed HMACs of order ids; see package eventid), states, reason
// codes, request or fbtrace ids, run ids and timestamps. Nothing else: no
// identifier, no hash of one, no order id, no value. Someone who copies the
// ledger learns how many conversions were sent when, and nothing about whom.
//
// # Why a crash cannot double-count
//
// Before a batch is sent, every event in it is recorded as "sent"; after
// the platform answers, as "accepted" (or "rejected" / "quarantined" with a
// reason). An event recorded "accepted" is never sent again. A crash between
// the two records leaves "sent": the next run resends those events. That
// resend is harmless because each event carries the same deterministic event
// id — Google's transactionId and Meta's event_id — and both platforms
// deduplicate on it (Google reports DUPLICATE_TRANSACTION_ID; Meta keeps the
// first of two events with one event_id and event_name). So the ledger's
// job is to avoid needless resends and to say what happened; the event id is
// what makes a resend safe even when the ledger is lost.
//
// Writes use SQLite's WAL journal with synchronous=FULL, so a record that
// returned is on disk even if the process is killed the next instant.
//
// # One run at a time
//
// A run holds an exclusive lock (flock on "<ledger>.lock") for its whole
// life; a second run fails at once with ErrLocked instead of waiting, so two
// cron jobs that overlap never send the same batch twice.
package ledger

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // pure-Go SQLite: no cgo, one static binary
)

// ErrLocked means another run holds the ledger.
var ErrLocked = errors.New("another hashgate run holds the ledger lock")

// Event states.
const (
	StateSent        = "sent"
	StateAccepted    = "accepted"
	StateRejected    = "rejected"
	StateQuarantined = "quarantined"
)

// migrations are applied in order; PRAGMA user_version counts them. Never
// edit one that has shipped: add another.
var migrations = []string{
	`CREATE TABLE runs (
		id            TEXT PRIMARY KEY,
		started_at    TEXT NOT NULL,
		finished_at   TEXT,
		tool_version  TEXT NOT NULL,
		input_sha256  TEXT NOT NULL DEFAULT '',
		config_sha256 TEXT NOT NULL DEFAULT '',
		exit_code     INTEGER,
		report        TEXT
	);
	CREATE TABLE events (
		destination TEXT NOT NULL,
		event_id    TEXT NOT NULL,
		run_id      TEXT NOT NULL,
		state       TEXT NOT NULL CHECK (state IN ('sent', 'accepted', 'rejected', 'quarantined')),
		reason      TEXT NOT NULL DEFAULT '',
		request_id  TEXT NOT NULL DEFAULT '',
		first_at    TEXT NOT NULL,
		updated_at  TEXT NOT NULL,
		PRIMARY KEY (destination, event_id)
	) WITHOUT ROWID;
	CREATE INDEX events_run ON events (run_id);
	CREATE INDEX events_updated ON events (updated_at);`,
}

// Ledger is an open ledger database.
type Ledger struct {
	db       *sql.DB
	path     string
	unlock   func()
	accepted *sql.Stmt
	now      func() time.Time
}

// Options configure Open.
type Options struct {
	// ReadOnly opens without the run lock, for `hashgate ledger stats|list`.
	ReadOnly bool
	Now      func() time.Time
}

// Open opens (creating, 0600 in a 0700 directory) the ledger at path and,
// unless ReadOnly, takes the run lock, returning ErrLocked when another run
// holds it.
func Open(ctx context.Context, path string, o Options) (*Ledger, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("ledger directory: %w", err)
	}
	l := &Ledger{path: path, now: o.Now, unlock: func() {}}
	if !o.ReadOnly {
		unlock, err := lockFile(path + ".lock")
		if err != nil {
			return nil, err
		}
		l.unlock = unlock
	}
	if f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600); err == nil {
		f.Close()
	} else {
		l.unlock()
		return nil, fmt.Errorf("ledger %s: %w", path, err)
	}
	dsn := "file:" + path + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(ON)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		l.unlock()
		return nil, err
	}
	db.SetMaxOpenConns(1) // one writer; SQLite serialises anyway
	l.db = db
	if err := l.migrate(ctx); err != nil {
		l.Close()
		return nil, err
	}
	if l.accepted, err = db.PrepareContext(ctx, `SELECT 1 FROM events WHERE destination = ? AND event_id = ? AND state = 'accepted'`); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}

// Path is the database file.
func (l *Ledger) Path() string { return l.path }

// Close closes the database and releases the lock.
func (l *Ledger) Close() error {
	var err error
	if l.accepted != nil {
		l.accepted.Close()
	}
	if l.db != nil {
		err = l.db.Close()
	}
	l.unlock()
	return err
}

func (l *Ledger) migrate(ctx context.Context) error {
	var version int
	if err := l.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("ledger %s: %w", l.path, err)
	}
	if version > len(migrations) {
		return fmt.Errorf("ledger %s has schema version %d; this hashgate knows %d: upgrade hashgate", l.path, version, len(migrations))
	}
	for v := version; v < len(migrations); v++ {
		tx, err := l.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("ledger migration %d: %w", v+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// RunInfo describes a run when it starts.
type RunInfo struct {
	ToolVersion  string
	InputSHA256  string
	ConfigSHA256 string
}

// StartRun records a run and returns its id (sortable by time).
func (l *Ledger) StartRun(ctx context.Context, info RunInfo) (string, error) {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	now := l.now().UTC()
	id := now.Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
	_, err := l.db.ExecContext(ctx, `INSERT INTO runs (id, started_at, tool_version, input_sha256, config_sha256) VALUES (?, ?, ?, ?, ?)`,
		id, now.Format(time.RFC3339Nano), info.ToolVersion, info.InputSHA256, info.ConfigSHA256)
	return id, err
}

// FinishRun records the run's end, exit code and JSON report.
func (l *Ledger) FinishRun(ctx context.Context, runID string, exitCode int, inputSHA256, report string) error {
	_, err := l.db.ExecContext(ctx, `UPDATE runs SET finished_at = ?, exit_code = ?, input_sha256 = ?, report = ? WHERE id = ?`,
		l.now().UTC().Format(time.RFC3339Nano), exitCode, inputSHA256, report, runID)
	return err
}

// IsAccepted reports whether the platform already accepted the event.
func (l *Ledger) IsAccepted(ctx context.Context, destination, eventID string) (bool, error) {
	var one int
	err := l.accepted.QueryRowContext(ctx, destination, eventID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// Record sets the state of events in one transaction. An accepted event is
// never moved back to another state: a late "sent" or "rejected" for an
// event some earlier request got accepted must not make it look unsent.
func (l *Ledger) Record(ctx context.Context, runID, destination string, eventIDs []string, state, reason, requestID string) error {
	if len(eventIDs) == 0 {
		return nil
	}
	if !validState(state) {
		return fmt.Errorf("ledger: unknown state %q", state)
	}
	now := l.now().UTC().Format(time.RFC3339Nano)
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (destination, event_id, run_id, state, reason, request_id, first_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (destination, event_id) DO UPDATE SET
			run_id = excluded.run_id, state = excluded.state, reason = excluded.reason,
			request_id = excluded.request_id, updated_at = excluded.updated_at
		WHERE events.state != 'accepted'`)
	if err != nil {
		tx.Rollback()
		return err
	}
	defer stmt.Close()
	for _, id := range eventIDs {
		if _, err := stmt.ExecContext(ctx, destination, id, runID, state, reason, requestID, now, now); err != nil {
			tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

// Forget deletes events last updated, and runs started, before t. It
// returns how many events went.
func (l *Ledger) Forget(ctx context.Context, before time.Time) (int64, error) {
	cut := before.UTC().Format(time.RFC3339Nano)
	res, err := l.db.ExecContext(ctx, `DELETE FROM events WHERE updated_at < ?`, cut)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	if _, err := l.db.ExecContext(ctx, `DELETE FROM runs WHERE started_at < ?`, cut); err != nil {
		return n, err
	}
	return n, nil
}

// Stats counts events by destination and state.
type Stats struct {
	Events     map[string]map[string]int // destination → state → count
	Runs       int
	FirstRun   string
	LastRun    string
	SchemaVers int
}

// Stats summarises the ledger.
func (l *Ledger) Stats(ctx context.Context) (Stats, error) {
	s := Stats{Events: map[string]map[string]int{}}
	rows, err := l.db.QueryContext(ctx, `SELECT destination, state, count(*) FROM events GROUP BY destination, state`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var d, st string
		var n int
		if err := rows.Scan(&d, &st, &n); err != nil {
			return s, err
		}
		if s.Events[d] == nil {
			s.Events[d] = map[string]int{}
		}
		s.Events[d][st] = n
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	var first, last sql.NullString
	if err := l.db.QueryRowContext(ctx, `SELECT count(*), min(id), max(id) FROM runs`).Scan(&s.Runs, &first, &last); err != nil {
		return s, err
	}
	s.FirstRun, s.LastRun = first.String, last.String
	err = l.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&s.SchemaVers)
	return s, err
}

// Run is one row of `hashgate ledger list`.
type Run struct {
	ID, StartedAt, FinishedAt, ToolVersion, InputSHA256 string
	ExitCode                                            sql.NullInt64
	Events                                              map[string]int // state → count
}

// Runs lists runs, newest first.
func (l *Ledger) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, started_at, coalesce(finished_at, ''), tool_version, input_sha256, exit_code FROM runs ORDER BY id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.ToolVersion, &r.InputSHA256, &r.ExitCode); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Events = map[string]int{}
		erows, err := l.db.QueryContext(ctx, `SELECT state, count(*) FROM events WHERE run_id = ? GROUP BY state`, out[i].ID)
		if err != nil {
			return nil, err
		}
		for erows.Next() {
			var st string
			var n int
			if err := erows.Scan(&st, &n); err != nil {
				erows.Close()
				return nil, err
			}
			out[i].Events[st] = n
		}
		erows.Close()
	}
	return out, nil
}

// Event is one row of `hashgate ledger list --run ID`.
type Event struct {
	Destination, EventID, State, Reason, RequestID, UpdatedAt string
}

// Events lists the events last touched by a run.
func (l *Ledger) Events(ctx context.Context, runID string) ([]Event, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT destination, event_id, state, reason, request_id, updated_at FROM events WHERE run_id = ? ORDER BY destination, event_id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.Destination, &e.EventID, &e.State, &e.Reason, &e.RequestID, &e.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
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

// validState guards Record against typos.
func validState(s string) bool {
	return strings.Contains(" sent accepted rejected quarantined ", " "+s+" ")
}
