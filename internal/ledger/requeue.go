package ledger

// Requeue: events that failed processing for good, made sendable again.
//
// A processing error a resend cannot overcome (CONVERSION_PRECEDES_CLICK,
// INVALID_FORMAT, …; see google.RetryableProcessingError) keeps its event
// "done": the Filter loads it as accepted and the next upload skips it,
// because the same data would fail the same way. But the clinic can fix
// the source — a visit dated before its click, a malformed field — and
// the fixed row keeps its event id (the id is a keyed hash of the order,
// not of the data), so without help it would stay filtered forever.
// `hashgate ledger requeue` records, per request and reason, the positions
// of the events the clinic asks to send again:
//
//   - requeues: one row per (request, reason) requeued at a time, with
//     the positions packed as processing_counts packs them. Nothing is
//     rewritten: the failure stays recorded as the platform gave it, and
//     the requeue beside it (when, which reason) — `ledger list --run`
//     shows both, and the next run's request carries the events again.
//
// resendable leaves requeued positions out of the accepted set, exactly
// as it does the failures a resend can overcome; once the next upload
// sends them, their new request decides, like any other.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// schemaV6 adds the record of requeued events. See requeue.go.
const schemaV6 = `CREATE TABLE requeues (
		id      INTEGER PRIMARY KEY,
		request INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
		reason  TEXT NOT NULL,
		at      INTEGER NOT NULL,
		n       INTEGER NOT NULL,
		indices BLOB NOT NULL
	);
	CREATE INDEX requeues_request ON requeues (request);`

// RequeueSelect says which failed events to requeue: those of a run
// (optionally one destination) that failed with Reason, or the events
// named by EventIDs, whatever their reason. Exactly one of RunID and
// EventIDs is set; the caller validates their grammar.
type RequeueSelect struct {
	RunID string
	// Destination: a destination key ("google:<account>/<action>") or a
	// platform name ("google"); empty: every destination of the run.
	Destination string
	// Reason is the platform's full reason word
	// (PROCESSING_ERROR_REASON_CONVERSION_PRECEDES_CLICK).
	Reason   string
	EventIDs []string // 32 lowercase hex characters each
}

// Requeued is what a requeue did for one destination and reason.
type Requeued struct {
	Destination, Reason string
	// Events made sendable again.
	Events int
	// Unplaced of Events: the platform counted failures without saying
	// which records; every event of the request no error named is
	// requeued with them (a processed one resent is an adjustment with the
	// same values, never a second conversion; see resendable).
	Unplaced int
	// Already: events of the selection requeued before and not yet
	// failed again; nothing to do.
	Already int
	// Retryable: events of the selection whose reason the next upload
	// resends anyway.
	Retryable int
}

// RequeueResult lists what a requeue did, by destination and reason, and
// the event ids given that no final processing failure in the ledger
// holds.
type RequeueResult struct {
	Requeued []Requeued
	Unknown  []string
}

// Total is how many events were made sendable again.
func (r RequeueResult) Total() int {
	n := 0
	for _, q := range r.Requeued {
		n += q.Events
	}
	return n
}

// Requeue makes the selected events, failed in processing with a final
// reason, sendable again: the next upload sends them if the export still
// holds them. The failure stays recorded; the requeue is recorded beside
// it. Rejected and quarantined events are not selected: they are resent
// already.
func (l *Ledger) Requeue(ctx context.Context, sel RequeueSelect) (RequeueResult, error) {
	var res RequeueResult
	if (sel.RunID == "") == (len(sel.EventIDs) == 0) {
		return res, errors.New("ledger: requeue a run's failures or named events, not both or neither")
	}
	// Every error reason of the candidate requests: which positions each
	// placed matters to the reasons that did not place theirs.
	where, args := `c.kind = 'error'`, []any{}
	if sel.RunID != "" {
		where += ` AND r.run_id = ?`
		args = append(args, sel.RunID)
	}
	rows, err := l.reasonRows(ctx, where, args...)
	if err != nil {
		return res, err
	}
	placed := map[int64][]bool{}
	for _, r := range rows {
		ix, _ := r.events()
		s := placed[r.request]
		if s == nil {
			s = make([]bool, r.n)
			placed[r.request] = s
		}
		for _, i := range ix {
			s[i] = true
		}
	}
	done, err := l.requeuedPositions(ctx, where, args...)
	if err != nil {
		return res, err
	}
	want := map[string]bool{}
	for _, id := range sel.EventIDs {
		want[id] = false
	}
	// request → its event ids: to pick the named ones, and to leave out
	// an erased position (erase.go), which is no event to requeue.
	packed := map[int64][]byte{}
	for _, r := range rows {
		if _, ok := packed[r.request]; ok {
			continue
		}
		var b []byte
		if err := l.db.QueryRowContext(ctx, `SELECT event_ids FROM requests WHERE id = ?`, r.request).Scan(&b); err != nil {
			return res, err
		}
		packed[r.request] = b
	}
	type tallyKey struct{ dest, reason string }
	tallies := map[tallyKey]*Requeued{}
	var order []tallyKey
	tally := func(r reasonRow) *Requeued {
		k := tallyKey{r.dest, r.reason}
		t := tallies[k]
		if t == nil {
			t = &Requeued{Destination: r.dest, Reason: r.reason}
			tallies[k] = t
			order = append(order, k)
		}
		return t
	}
	type insert struct {
		request int64
		reason  string
		take    []int
	}
	var inserts []insert
	for _, r := range rows {
		if sel.RunID != "" && (r.reason != sel.Reason || !destMatches(r.dest, sel.Destination)) {
			continue
		}
		ix, rest := r.events()
		var unplaced []int
		if rest > 0 {
			for i, named := range placed[r.request] {
				if !named {
					unplaced = append(unplaced, i)
				}
			}
		}
		pick := func(i int) bool {
			b := packed[r.request]
			if (i+1)*idLen > len(b) || erasedID(b[i*idLen:]) {
				return false
			}
			if len(want) == 0 {
				return true
			}
			id := fmt.Sprintf("%x", b[i*idLen:(i+1)*idLen])
			if _, ok := want[id]; !ok {
				return false
			}
			want[id] = true
			return true
		}
		var take []int
		nUnplaced := 0
		for _, list := range [][]int{ix, unplaced} {
			for _, i := range list {
				if !pick(i) {
					continue
				}
				t := tally(r)
				switch {
				case r.retry:
					t.Retryable++
				case done[r.request][i]:
					t.Already++
				default:
					if !slices.Contains(take, i) {
						take = append(take, i)
						if len(unplaced) > 0 && slices.Contains(unplaced, i) {
							nUnplaced++
						}
					}
				}
			}
		}
		if len(take) == 0 {
			continue
		}
		slices.Sort(take)
		inserts = append(inserts, insert{r.request, r.reason, take})
		m := done[r.request]
		if m == nil {
			m = map[int]bool{}
			done[r.request] = m
		}
		for _, i := range take {
			m[i] = true
		}
		t := tally(r)
		t.Events += len(take)
		t.Unplaced += nUnplaced
	}
	for _, id := range sel.EventIDs {
		if !want[id] && !slices.Contains(res.Unknown, id) {
			res.Unknown = append(res.Unknown, id)
		}
	}
	for _, k := range order {
		res.Requeued = append(res.Requeued, *tallies[k])
	}
	slices.SortFunc(res.Requeued, func(a, b Requeued) int {
		if c := strings.Compare(a.Destination, b.Destination); c != 0 {
			return c
		}
		return strings.Compare(a.Reason, b.Reason)
	})
	// Read above, written here in one transaction: the ledger has one
	// connection, and the caller holds the run lock, so nothing moved.
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return res, err
	}
	defer tx.Rollback()
	now := l.now().UnixMilli()
	for _, in := range inserts {
		if _, err := tx.ExecContext(ctx, `INSERT INTO requeues (request, reason, at, n, indices) VALUES (?, ?, ?, ?, ?)`,
			in.request, in.reason, now, len(in.take), packIndices(in.take)); err != nil {
			return res, err
		}
	}
	if err := bumpIn(ctx, tx); err != nil {
		return res, err
	}
	return res, tx.Commit()
}

// destMatches says whether a destination key is the one sel names: the
// key itself, or a platform name naming all its destinations.
func destMatches(dest, sel string) bool {
	return sel == "" || dest == sel || platformOf(dest) == sel
}

// requeueRows reads requeues rows with their request's event count —
// the query selects q.request, r.n, q.indices and q.at, in that order —
// and hands each row's positions to fn.
func (l *Ledger) requeueRows(ctx context.Context, query string, args []any, fn func(req int64, positions []int, at int64)) error {
	rows, err := l.db.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var req, at int64
		var n int
		var blob []byte
		if err := rows.Scan(&req, &n, &blob, &at); err != nil {
			return err
		}
		fn(req, unpackIndices(blob, n), at)
	}
	return rows.Err()
}

// requeuedPositions returns, per request matching where (on r, d or c as
// reasonRows reads them), the positions requeued so far. A requeued event
// that fails again does so in the request that carried it again, which a
// later requeue selects.
func (l *Ledger) requeuedPositions(ctx context.Context, where string, args ...any) (map[int64]map[int]bool, error) {
	out := map[int64]map[int]bool{}
	err := l.requeueRows(ctx, `SELECT q.request, r.n, q.indices, q.at FROM requeues q JOIN requests r ON r.id = q.request
		JOIN destinations d ON d.id = r.destination
		WHERE q.request IN (SELECT c.request FROM processing_counts c JOIN requests r ON r.id = c.request JOIN destinations d ON d.id = r.destination WHERE `+where+`)`, args,
		func(req int64, positions []int, _ int64) {
			m := out[req]
			if m == nil {
				m = map[int]bool{}
				out[req] = m
			}
			for _, i := range positions {
				m[i] = true
			}
		})
	return out, err
}

// requeuedIn returns, per request recorded in [from, to) (unix ms), the
// positions requeued: resendable adds them to what the next upload sends.
func (l *Ledger) requeuedIn(ctx context.Context, from, to int64) (map[int64][]int, error) {
	out := map[int64][]int{}
	err := l.requeueRows(ctx, `SELECT q.request, r.n, q.indices, q.at FROM requeues q JOIN requests r ON r.id = q.request
		WHERE r.at >= ? AND r.at < ?`, []any{from, to},
		func(req int64, positions []int, _ int64) { out[req] = append(out[req], positions...) })
	return out, err
}

// requeueNotes returns, per request of a run, the requeued positions and
// when they were requeued, for `ledger list --run`.
func (l *Ledger) requeueNotes(ctx context.Context, runID string) (map[int64]map[int]time.Time, error) {
	out := map[int64]map[int]time.Time{}
	err := l.requeueRows(ctx, `SELECT q.request, r.n, q.indices, q.at FROM requeues q JOIN requests r ON r.id = q.request
		WHERE r.run_id = ? ORDER BY q.id`, []any{runID},
		func(req int64, positions []int, at int64) {
			m := out[req]
			if m == nil {
				m = map[int]time.Time{}
				out[req] = m
			}
			for _, i := range positions {
				m[i] = time.UnixMilli(at).UTC()
			}
		})
	return out, err
}

// requeuedTotals counts, per destination, the events requeued by hand.
func (l *Ledger) requeuedTotals(ctx context.Context) (map[string]int64, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, sum(q.n) FROM requeues q JOIN requests r ON r.id = q.request
		JOIN destinations d ON d.id = r.destination GROUP BY d.key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var d string
		var n int64
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d] = n
	}
	return out, rows.Err()
}
