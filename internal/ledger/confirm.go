package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"unsafe"

	"github.com/hashgate/hashgate/internal/keyset"
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
//
// An event is confirmed when, of the requests that carried it, the latest
// that is either one of the run's left unanswered or one that settles it
// (accepted, or refused alone: settles) is the run's. So the requests are
// read once, newest first, and the first of them to name an event decides
// it: memory is a keyset of the events decided (bounded, spilling to
// disk) and one record's worth of ids (maxPacked) per destination, written
// as it fills. Until session 21 the run's events sat in a map of strings
// until the end: 291 MB at 1M unanswered events (make bench-ledger).
func (l *Ledger) Confirm(ctx context.Context, sel ConfirmSelect) (map[string]int, error) {
	// A validation delivers nothing: confirming it recorded test events
	// as delivered, and no upload sent them (testrequests.go).
	if test, err := l.validationOnly(ctx, sel.RunID, sel.Destination); err != nil || test {
		if err == nil {
			err = validationError(sel.RunID, sel.Destination)
		}
		return nil, err
	}
	// One transaction reads and writes: the ledger has one connection.
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	var first, top sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT (SELECT min(r.id) FROM requests r LEFT JOIN outcomes o ON o.request = r.id
		WHERE `+unansweredReal()+` AND r.run_id = ?), (SELECT max(id) FROM requests)`, sel.RunID).Scan(&first, &top); err != nil {
		return nil, err
	}
	if !first.Valid {
		return map[string]int{}, nil
	}
	c := &confirming{l: l, tx: tx, run: sel.RunID, now: l.now().UnixMilli(), out: map[string]int{}, dests: map[string]*confirmDest{},
		seen: keyset.New("", keyset.Sizes{})}
	defer c.seen.Close()
	// Rows recorded up to top only: those Confirm writes come after it.
	// A row with no outcome is here only as the run's unanswered one.
	err = eachOn(ctx, tx, `WHERE r.id >= ? AND r.id <= ? AND ((`+unansweredReal()+` AND r.run_id = ?) OR o.request IS NOT NULL)
		ORDER BY r.id DESC`, []any{first.Int64, top.Int64, sel.RunID}, func(r *row) error {
		if !destMatches(r.dest, sel.Destination) {
			return nil
		}
		open := r.run == sel.RunID && r.sent && r.state == StateSent
		if !open && !settles(r) {
			return nil
		}
		s := salt(r.dest)
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			decided, err := c.seen.Seen(key64(r.ids[i:], s), true)
			if err != nil || decided || !open {
				if err != nil {
					return fmt.Errorf("ledger: %w", err)
				}
				continue
			}
			if err := c.add(ctx, r.dest, r.ids[i:i+idLen]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for _, dest := range slices.Sorted(maps.Keys(c.dests)) {
		if err := c.flush(ctx, dest); err != nil {
			return nil, err
		}
	}
	if err := bumpIn(ctx, tx); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, l.fault("record the events confirmed", err)
	}
	return c.out, nil
}

// confirming is what Confirm keeps while it reads: the events decided,
// and per destination the ids of the record it is filling.
type confirming struct {
	l     *Ledger
	tx    *sql.Tx
	run   string
	now   int64
	seen  *keyset.Set
	dests map[string]*confirmDest
	out   map[string]int
}

type confirmDest struct {
	id     int64
	newest sql.NullInt64
	ids    []byte // packed, at most maxPacked
}

// confirmHeld, when set (tests), hears how many ids a record holds as it
// is written: never more than maxPacked are held.
var confirmHeld func(n int)

// add keeps id to confirm for dest, writing the record when it is full.
func (c *confirming) add(ctx context.Context, dest string, id []byte) error {
	d := c.dests[dest]
	if d == nil {
		d = &confirmDest{}
		// The newest event time the run sent them with, for the safety
		// net (SetNet): the confirmation's own time would date them now.
		if err := c.tx.QueryRowContext(ctx, `SELECT d.id, max(coalesce(r.newest_event, r.at)) FROM requests r JOIN destinations d ON d.id = r.destination
			LEFT JOIN outcomes o ON o.request = r.id WHERE `+unansweredReal()+` AND r.run_id = ? AND d.key = ?`, c.run, dest).Scan(&d.id, &d.newest); err != nil {
			return err
		}
		c.dests[dest] = d
	}
	d.ids = append(d.ids, id...)
	if len(d.ids) >= maxPacked*idLen {
		return c.flush(ctx, dest)
	}
	return nil
}

// flush writes dest's record of ids, in id order, accepted as
// confirmed_by_user.
func (c *confirming) flush(ctx context.Context, dest string) error {
	d := c.dests[dest]
	n := len(d.ids) / idLen
	if n == 0 {
		return nil
	}
	if confirmHeld != nil {
		confirmHeld(n)
	}
	ids := unsafeIDs(d.ids)
	slices.SortFunc(ids, func(a, b [idLen]byte) int { return bytes.Compare(a[:], b[:]) })
	var id int64
	if err := c.tx.StmtContext(ctx, c.l.insRequest).QueryRowContext(ctx, c.run, d.id, false, c.now, n, d.ids, d.newest, nil, nil, nil, nil, false).Scan(&id); err != nil {
		return err
	}
	if _, err := c.tx.StmtContext(ctx, c.l.insOutcome).ExecContext(ctx, id, StateAccepted, ReasonConfirmedByUser, "", c.now); err != nil {
		return err
	}
	c.out[dest] += n
	d.ids = d.ids[:0]
	return nil
}

// unsafeIDs views packed ids as an array of ids, sharing their memory.
func unsafeIDs(b []byte) [][idLen]byte {
	return unsafe.Slice((*[idLen]byte)(unsafe.Pointer(unsafe.SliceData(b))), len(b)/idLen)
}
