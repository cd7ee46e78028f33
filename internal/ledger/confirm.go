package ledger

import (
	"context"
	"database/sql"
	"maps"
	"slices"
)

// Confirmed by a person: events a run left unconfirmed — sent, no answer
// that settles them (a crash, a timeout, a count not matched) — that a
// person found at the platform (Meta's Events Manager) after the
// platform's deduplication window had closed on a resend. Until then
// every upload kept them and said so, and the only way out,
// `upload --resend-unconfirmed`, counted twice any that had arrived.
//
// Stored as an accepted outcome with reason confirmed_by_user on a row
// of its own (sent = 0, no platform request id: nothing was sent, and no
// status is read for it), so every reader of acceptance — the Filter,
// Unconfirmed, Delivered — takes the events as delivered and none is
// sent again; shown as confirmed_by_user, never as ingested: the
// platform said nothing.
const (
	ReasonConfirmedByUser = "confirmed_by_user"
	StateConfirmedByUser  = "confirmed_by_user"
)

// ConfirmSelect chooses the unconfirmed events to confirm: a run's, of
// every destination or of one (a platform name or a destination key).
type ConfirmSelect struct {
	RunID       string
	Destination string
}

// Confirm records as delivered, confirmed by a person, the events sel's
// run left unconfirmed that no later request settled, and returns how
// many per destination key. Nothing is sent. A run that only validated
// (test requests: testrequests.go) is refused with ErrValidationRun, and
// a test request is never confirmed.
func (l *Ledger) Confirm(ctx context.Context, sel ConfirmSelect) (map[string]int, error) {
	type open struct {
		dest string
		req  int64
	}
	opens := map[string]open{} // packed id + destination → its latest unanswered request of the run
	var first int64 = -1
	// A validation delivers nothing: confirming it recorded test events
	// as delivered, and no upload sent them (testrequests.go).
	if test, err := l.validationOnly(ctx, sel.RunID, sel.Destination); err != nil || test {
		if err == nil {
			err = validationError(sel.RunID, sel.Destination)
		}
		return nil, err
	}
	err := l.each(ctx, `WHERE `+unansweredReal()+` AND r.run_id = ? ORDER BY r.id`, []any{sel.RunID}, func(r *row) error {
		if !destMatches(r.dest, sel.Destination) {
			return nil
		}
		if first < 0 {
			first = r.id
		}
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			opens[r.dest+"\x00"+string(r.ids[i:i+idLen])] = open{r.dest, r.id}
		}
		return nil
	})
	if err != nil || first < 0 {
		return map[string]int{}, err
	}
	// Minus those a later request settled (accepted, or refused alone).
	err = l.each(ctx, `WHERE o.request IS NOT NULL AND r.id > ?`, []any{first}, func(r *row) error {
		if !settles(r) {
			return nil
		}
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			k := r.dest + "\x00" + string(r.ids[i:i+idLen])
			if o, ok := opens[k]; ok && r.id > o.req {
				delete(opens, k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	byDest := map[string][]byte{}
	for _, k := range slices.Sorted(maps.Keys(opens)) {
		o := opens[k]
		byDest[o.dest] = append(byDest[o.dest], k[len(o.dest)+1:]...)
	}
	out := map[string]int{}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	now := l.now().UnixMilli()
	for dest, ids := range byDest {
		var d int64
		var newest sql.NullInt64
		// The newest event time the run sent them with, for the safety
		// net (SetNet): the confirmation's own time would date them now.
		if err := tx.QueryRowContext(ctx, `SELECT d.id, max(coalesce(r.newest_event, r.at)) FROM requests r JOIN destinations d ON d.id = r.destination
			LEFT JOIN outcomes o ON o.request = r.id WHERE `+unansweredReal()+` AND r.run_id = ? AND d.key = ?`, sel.RunID, dest).Scan(&d, &newest); err != nil {
			return nil, err
		}
		for len(ids) > 0 {
			n := min(len(ids)/idLen, maxPacked)
			blob := ids[:n*idLen]
			ids = ids[n*idLen:]
			var id int64
			if err := tx.StmtContext(ctx, l.insRequest).QueryRowContext(ctx, sel.RunID, d, false, now, n, blob, newest, nil, nil, nil, nil, false).Scan(&id); err != nil {
				return nil, err
			}
			if _, err := tx.StmtContext(ctx, l.insOutcome).ExecContext(ctx, id, StateAccepted, ReasonConfirmedByUser, "", now); err != nil {
				return nil, err
			}
			out[dest] += n
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, l.fault("record the events confirmed", err)
	}
	return out, nil
}
