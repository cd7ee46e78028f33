package ledger

// Processing: what a platform did with the events it ingested.
//
// "Accepted" in the outcomes table means the platform took the request
// (Google's 200 on events:ingest, Meta's events_received): the events are
// ingested, nothing more. Google still processes them afterwards, and
// records can fail there (EVENT_TOO_OLD, CLICK_NOT_FOUND, consent, terms
// not signed) or count with a warning. Its verdict is read later through
// requestStatus:retrieve and kept here, per request, next to the request
// whose batch order maps the platform's record indices back to event ids:
//
//   - processing: one row per polled request — the platform's status word,
//     whether it is final, how often and when it was asked, and when to
//     ask next (package reconcile keeps Google's schedule).
//   - processing_counts: per request, kind (error or warning) and reason,
//     the platform's count, whether a resend can help (error reasons only,
//     classified by the platform's package) and the 0-based record indices
//     packed as 4-byte big-endian integers — NULL when the platform did not
//     say which records (then only the count is known, and hashgate never
//     guesses which events it meant).
//
// Both stay one row per request (or per reason of a request), so writes
// keep the ledger's constant cost. An event whose request failed with a
// reason a resend can overcome is left out of the accepted set the Filter
// loads, so the next upload sends it again; every other failure keeps the
// event "done": counted under its reason, never resent.

import (
	"context"
	"encoding/binary"
	"errors"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
)

// schemaV3 adds the platforms' processing verdicts. See processing.go.
const schemaV3 = `CREATE TABLE processing (
		request INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
		status  TEXT NOT NULL,
		final   INTEGER NOT NULL,
		polls   INTEGER NOT NULL,
		checked INTEGER NOT NULL,
		next    INTEGER NOT NULL,
		records INTEGER NOT NULL
	);
	CREATE TABLE processing_counts (
		request INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
		kind    TEXT NOT NULL CHECK (kind IN ('error', 'warning')),
		reason  TEXT NOT NULL,
		records INTEGER NOT NULL,
		retry   INTEGER NOT NULL,
		indices BLOB,
		PRIMARY KEY (request, kind, reason)
	) WITHOUT ROWID;`

// schemaV5 lets processing_counts hold records the platform already had
// (kind 'recorded': Google's DUPLICATE_TRANSACTION_ID and DUPLICATE_GCLID,
// destination.Processing.Recorded) beside errors and warnings. SQLite
// cannot change a CHECK constraint, so the table is rebuilt; rows stored
// as errors with those two reasons become 'recorded': the conversion is
// already there, nothing failed.
const schemaV5 = `CREATE TABLE processing_counts_v5 (
		request INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
		kind    TEXT NOT NULL CHECK (kind IN ('error', 'warning', 'recorded')),
		reason  TEXT NOT NULL,
		records INTEGER NOT NULL,
		retry   INTEGER NOT NULL,
		indices BLOB,
		PRIMARY KEY (request, kind, reason)
	) WITHOUT ROWID;
	INSERT INTO processing_counts_v5 (request, kind, reason, records, retry, indices)
		SELECT request,
			CASE WHEN kind = 'error' AND reason IN ('PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', 'PROCESSING_ERROR_REASON_DUPLICATE_GCLID') THEN 'recorded' ELSE kind END,
			reason, records, CASE WHEN kind = 'error' AND reason IN ('PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', 'PROCESSING_ERROR_REASON_DUPLICATE_GCLID') THEN 0 ELSE retry END,
			indices
		FROM processing_counts;
	DROP TABLE processing_counts;
	ALTER TABLE processing_counts_v5 RENAME TO processing_counts;`

// hashgate's own processing statuses, beside the platform's words.
const (
	// ProcessingGaveUp: no final status within the platform's window
	// (Google: 24 hours); final, events neither ok nor failed.
	ProcessingGaveUp = "GAVE_UP"
	// ProcessingNoVerdict: the platform has no status for the request
	// (destination.ErrNoVerdict); final.
	ProcessingNoVerdict = "NO_VERDICT"
)

// Display states of an event in `ledger list`, beside the stored ones: an
// accepted (ingested) event the platform processed without error is
// "processed", one it failed is "failed" with the platform's reason.
const (
	StateIngested  = "ingested"
	StateProcessed = "processed"
	StateFailed    = "failed"
	// StateAlreadyRecorded: the platform already held the conversion
	// (Google's DUPLICATE_TRANSACTION_ID, DUPLICATE_GCLID): not a failure.
	StateAlreadyRecorded = "already_recorded"
)

// Unpolled is an ingested request whose processing verdict is not final.
type Unpolled struct {
	ID          int64 // the ledger's request row
	RunID       string
	Destination string
	RequestID   string // the platform's
	At          time.Time
	Events      int
	Polls       int       // how often its status was read so far
	Next        time.Time // when its status is due; zero: never read
	// SentTo are the platform's destinations the request named, in
	// order, as recorded when it was sent (Destination.SentTo); nil when
	// not recorded (a request of an earlier schema).
	SentTo []string
}

// Unpolled lists, oldest first, the ingested requests of destinations
// whose key starts with platform + ":" recorded at or after since whose
// processing verdict is not final. Test requests ("validated") are never
// listed: a validateOnly request has no status to read (Google answers
// INVALID_REQUEST_ID). Requests without a platform request id are not
// listed either.
func (l *Ledger) Unpolled(ctx context.Context, platform string, since time.Time) ([]Unpolled, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT r.id, r.run_id, d.key, o.request_id, r.at, r.n, coalesce(p.polls, 0), coalesce(p.next, 0), `+sentToColumn()+`
		FROM requests r JOIN destinations d ON d.id = r.destination JOIN outcomes o ON o.request = r.id
		LEFT JOIN processing p ON p.request = r.id
		WHERE o.state = 'accepted' AND r.sent AND o.request_id != '' AND r.at >= ? AND d.key LIKE ? AND coalesce(p.final, 0) = 0
		ORDER BY r.id`, since.UnixMilli(), platform+":%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Unpolled
	for rows.Next() {
		var u Unpolled
		var at, next int64
		var sentTo string
		if err := rows.Scan(&u.ID, &u.RunID, &u.Destination, &u.RequestID, &at, &u.Events, &u.Polls, &next, &sentTo); err != nil {
			return nil, err
		}
		u.SentTo = splitSentTo(sentTo)
		u.At = time.UnixMilli(at).UTC()
		if next > 0 {
			u.Next = time.UnixMilli(next).UTC()
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Poll is the result of reading one request's processing status.
type Poll struct {
	Request int64     // Unpolled.ID
	At      time.Time // when it was read
	Next    time.Time // when to read it again; ignored when Verdict.Final
	Verdict destination.Processing
}

// RecordPoll stores a status read. A final verdict replaces any counts
// stored before; a pending one only moves the schedule.
func (l *Ledger) RecordPoll(ctx context.Context, p Poll) error {
	if p.Request == 0 {
		return errors.New("ledger: a poll of no request")
	}
	v := p.Verdict
	next := p.Next.UnixMilli()
	if v.Final {
		next = 0
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO processing (request, status, final, polls, checked, next, records) VALUES (?, ?, ?, 1, ?, ?, ?)
		ON CONFLICT (request) DO UPDATE SET status = excluded.status, final = excluded.final, polls = polls + 1,
			checked = excluded.checked, next = excluded.next, records = excluded.records`,
		p.Request, v.Status, v.Final, p.At.UnixMilli(), next, v.Records); err != nil {
		return err
	}
	if v.Final {
		if _, err := tx.ExecContext(ctx, `DELETE FROM processing_counts WHERE request = ?`, p.Request); err != nil {
			return err
		}
		for kind, list := range map[string][]destination.ReasonCount{"error": v.Errors, "warning": v.Warnings, "recorded": v.Recorded} {
			for _, c := range list {
				var blob []byte
				if c.Indices != nil {
					blob = packIndices(c.Indices)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO processing_counts (request, kind, reason, records, retry, indices) VALUES (?, ?, ?, ?, ?, ?)
					ON CONFLICT DO UPDATE SET records = records + excluded.records`,
					p.Request, kind, c.Reason, c.Records, c.Retry && kind == "error", blob); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

func packIndices(ix []int) []byte {
	b := make([]byte, 0, 4*len(ix))
	for _, i := range ix {
		b = binary.BigEndian.AppendUint32(b, uint32(i))
	}
	return b
}

// unpackIndices reads packed indices, dropping any outside [0, n): the
// platform's positions are trusted only where they can mean an event.
func unpackIndices(b []byte, n int) []int {
	out := make([]int, 0, len(b)/4)
	for i := 0; i+4 <= len(b); i += 4 {
		if x := int(binary.BigEndian.Uint32(b[i:])); x < n {
			out = append(out, x)
		}
	}
	return out
}

// reasonRow is one processing_counts row with its request.
type reasonRow struct {
	request   int64
	n         int // events in the request
	kind      string
	reason    string
	records   int64
	retry     bool
	indices   []int // nil: the platform did not say which
	hasIndex  bool
	run, dest string
}

// events returns the 0-based positions in its request of the events a
// reason concerns, and how many more records it counts without placing
// them (unattributed). With indices, those the platform named, and the
// rest of its count — recordIndices shorter than recordCount — is
// unattributed: never booked as processed. Without indices, a reason that
// counts every record of the request concerns them all; otherwise every
// record it counts is unattributed.
func (r *reasonRow) events() (ix []int, unattributed int64) {
	if r.hasIndex {
		return r.indices, max(r.records-int64(len(r.indices)), 0)
	}
	if r.records == int64(r.n) && r.n > 0 {
		all := make([]int, r.n)
		for i := range all {
			all[i] = i
		}
		return all, 0
	}
	return nil, max(r.records, 0)
}

func (l *Ledger) reasonRows(ctx context.Context, where string, args ...any) ([]reasonRow, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT c.request, r.n, c.kind, c.reason, c.records, c.retry, c.indices, r.run_id, d.key
		FROM processing_counts c JOIN requests r ON r.id = c.request JOIN destinations d ON d.id = r.destination
		WHERE `+where+` ORDER BY c.request, c.kind, c.reason`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reasonRow
	for rows.Next() {
		var r reasonRow
		var blob []byte
		if err := rows.Scan(&r.request, &r.n, &r.kind, &r.reason, &r.records, &r.retry, &blob, &r.run, &r.dest); err != nil {
			return nil, err
		}
		// An empty list places no event: read it as none, as an absent
		// one. modernc.org/sqlite reads a zero-length BLOB as nil up to
		// v1.62 and as an empty []byte from v1.63.0 (its CHANGELOG.md,
		// 2026-11-22): testing for nil made a whole-request reason with
		// recordIndices [] stop placing the request's events on the
		// driver update, in this ledger and in every one written before.
		if len(blob) > 0 {
			r.hasIndex = true
			r.indices = unpackIndices(blob, r.n)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// resendable returns, per request recorded in [from, to) (unix ms), the
// positions of its events that failed processing with a reason a resend
// can overcome: the Filter leaves them out of the accepted set, so the
// next upload sends them again. Such failures are few; the map is small.
//
// A retryable reason that counts records it does not place (recordIndices
// shorter than recordCount, or none) has its unattributed failures among
// the events of the request no error reason placed: those are all resent.
// Resending one that was processed is harmless — Google treats a known
// transactionId as an adjustment with the same values, nothing counted
// twice — while booking an unplaced failure as processed would lose it.
func (l *Ledger) resendable(ctx context.Context, from, to int64) (map[int64][]bool, error) {
	rows, err := l.reasonRows(ctx, `c.kind = 'error' AND r.at >= ? AND r.at < ?`, from, to)
	if err != nil {
		return nil, err
	}
	out := map[int64][]bool{}
	placed := map[int64][]bool{} // request → positions any error reason named
	unplaced := map[int64]bool{} // request → a retryable reason left some unplaced
	mark := func(m map[int64][]bool, r reasonRow, ix []int) {
		s := m[r.request]
		if s == nil {
			s = make([]bool, r.n)
			m[r.request] = s
		}
		for _, i := range ix {
			s[i] = true
		}
	}
	for _, r := range rows {
		ix, rest := r.events()
		mark(placed, r, ix)
		if !r.retry {
			continue
		}
		mark(out, r, ix)
		if rest > 0 {
			unplaced[r.request] = true
		}
	}
	for _, r := range rows {
		if !unplaced[r.request] {
			continue
		}
		s := out[r.request]
		for i, named := range placed[r.request] {
			if !named {
				s[i] = true
			}
		}
		unplaced[r.request] = false
	}
	// Final failures the clinic fixed at the source and requeued
	// (requeue.go) go out again like the retryable ones.
	requeued, err := l.requeuedIn(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for req, ix := range requeued {
		s := out[req]
		for _, i := range ix {
			if s == nil {
				var n int
				if err := l.db.QueryRowContext(ctx, `SELECT n FROM requests WHERE id = ?`, req).Scan(&n); err != nil {
					return nil, err
				}
				s = make([]bool, n)
				out[req] = s
			}
			if i < len(s) {
				s[i] = true
			}
		}
	}
	return out, nil
}
