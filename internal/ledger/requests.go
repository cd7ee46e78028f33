package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/lowerhex"
)

const (
	idLen = eventid.Len / 2 // bytes of a packed event id
	// maxPacked bounds the ids of one row; a request never holds more
	// (Google's limit is 2,000 events, Meta's 1,000).
	maxPacked = 10000
)

// Destination is where a run sends one platform's events.
type Destination struct {
	// Key is the destination's identity: DestinationKey.
	Key string
	// Test marks a run that cannot make events count (Google validateOnly,
	// Meta test events): its answers are recorded as StateValidated, never
	// as accepted.
	Test bool
	// MaxAge is the oldest event the platform takes (its window). The
	// Filter loads the acceptances of that period up front; zero loads
	// them all.
	MaxAge time.Duration
	// ValueKey, when set, is recorded per sent event: the keyed hash of
	// the value and currency it carried (eventid.ValueKeyer), never the
	// amount, so that a later run can tell a changed value (values.go).
	ValueKey func(c *conversion.Conversion) uint64
	// Restate: an accepted event whose value key changed since is passed
	// on again, marked conversion.Restate (Google's adjustment by
	// transactionId; values.go). Needs ValueKey.
	Restate bool
	// SentTo, when set, names where within the destination a batch's
	// request goes: the platform's destinations it names, in order
	// (Google: the conversion actions, one or the visits' and the
	// bookings'). It is recorded with the request (sentto.go), and its
	// processing status is judged against it, not against tonight's
	// config (Unpolled.SentTo).
	SentTo func(batch []*conversion.Conversion) []string
	// KeepSentTime: the platform deduplicates on the event time (Meta,
	// contract M11), so an event resent after a request that may have
	// reached it goes with the time that request carried, not tonight's
	// (senttime.go). Every destination records the times it sends.
	KeepSentTime bool
	// DedupWindow is how long the platform deduplicates a resend against
	// the first request (platform.Spec.DedupWindow; Meta: 7 days): the
	// sent times of requests recorded longer ago than that are not kept,
	// they would spare nothing. 0: those since the Filter's window opened
	// (Filter.from: the earliest of its destinations' windows).
	DedupWindow time.Duration
}

// DestinationKey is a destination's ledger key: the platform's name and
// its identity (config.DestinationIdentity), "google:1234567890/555000111"
// or "meta:998877".
func DestinationKey(platformName, identity string) string { return platformName + ":" + identity }

// platformOf is the platform part of a destination key.
func platformOf(key string) string {
	p, _, _ := strings.Cut(key, ":")
	return p
}

// destID returns the id of the destination key, creating it. The first
// identity of a platform adopts the rows migrated from schema 1, which
// are filed under the bare platform name (see the package doc).
func (l *Ledger) destID(ctx context.Context, key string) (int64, error) {
	if !strings.Contains(key, ":") {
		return 0, fmt.Errorf("ledger: destination %q is not an identity (platform:id)", key)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if id, ok := l.dests[key]; ok {
		return id, nil
	}
	if l.readOnly {
		return 0, errors.New("ledger: opened read-only")
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM destinations WHERE key = ?`, key).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		now := l.now().UTC().Format(time.RFC3339Nano)
		p := platformOf(key)
		res, err := tx.ExecContext(ctx, `UPDATE destinations SET key = ? WHERE key = ?`, key, p)
		if err != nil {
			return 0, err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)`, "adopted:"+p, key+" at "+now); err != nil {
				return 0, err
			}
		} else if _, err := tx.ExecContext(ctx, `INSERT INTO destinations (key, created_at) VALUES (?, ?)`, key, now); err != nil {
			return 0, err
		}
		if err := tx.QueryRowContext(ctx, `SELECT id FROM destinations WHERE key = ?`, key).Scan(&id); err != nil {
			return 0, err
		}
	case err != nil:
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	l.dests[key] = id
	return id, nil
}

// Request is a request recorded by Sending, to be completed by Answered.
type Request struct {
	id   int64
	dest int64 // its destination's id: the first accepted answer there records the horizon
	test bool
}

// ID is the request's row id in the ledger.
func (r Request) ID() int64 { return r.id }

// pack appends ids as 16-byte binary.
func pack(dst []byte, ids []eventid.ID) ([]byte, error) {
	for _, id := range ids {
		if len(id) != eventid.Len {
			return nil, fmt.Errorf("ledger: event id %q is not %d hex characters", id, eventid.Len)
		}
		var b [idLen]byte
		if !lowerhex.Decode16(&b, string(id)) {
			return nil, fmt.Errorf("ledger: event id %q is not hex", id)
		}
		dst = append(dst, b[:]...)
	}
	return dst, nil
}

// Sending records, before it is sent, a request to dest with ids in
// batch order. It returns once the record is committed.
func (l *Ledger) Sending(ctx context.Context, runID string, dest Destination, ids []eventid.ID) (Request, error) {
	return l.SendingNewest(ctx, runID, dest, ids, time.Time{})
}

// SendingNewest is Sending that also records the newest event time the
// request carries (zero: unknown), which the safety net reads (Net).
func (l *Ledger) SendingNewest(ctx context.Context, runID string, dest Destination, ids []eventid.ID, newest time.Time) (Request, error) {
	return l.sending(ctx, runID, dest, ids, newest, nil, nil, nil, nil)
}

// sending is SendingNewest with the request's value keys and restated
// positions (values.go; nil: none recorded), where within dest it goes
// (sentto.go; nil: not recorded) and the event times it carries
// (senttime.go; nil: not recorded).
func (l *Ledger) sending(ctx context.Context, runID string, dest Destination, ids []eventid.ID, newest time.Time, values, restated []byte, sentTo any, times []byte) (Request, error) {
	if err := l.Gone(); err != nil {
		return Request{}, err // recorded nowhere a later run reads: not sent
	}
	d, blob, err := l.prepare(ctx, dest, ids)
	if err != nil {
		return Request{}, err
	}
	var at sql.NullInt64
	if !newest.IsZero() {
		at = sql.NullInt64{Int64: newest.UnixMilli(), Valid: true}
	}
	var id int64
	err = l.insRequest.QueryRowContext(ctx, runID, d, true, l.now().UnixMilli(), len(ids), blob, at, values, restated, sentTo, times, dest.Test).Scan(&id)
	return Request{id: id, dest: d, test: dest.Test}, l.fault("record a request before it is sent", err)
}

// prepare resolves the destination and packs the ids.
func (l *Ledger) prepare(ctx context.Context, dest Destination, ids []eventid.ID) (int64, []byte, error) {
	if len(ids) == 0 || len(ids) > maxPacked {
		return 0, nil, fmt.Errorf("ledger: a record of %d events", len(ids))
	}
	d, err := l.destID(ctx, dest.Key)
	if err != nil {
		return 0, nil, l.fault("record a destination", err)
	}
	blob, err := pack(make([]byte, 0, len(ids)*idLen), ids)
	return d, blob, err
}

// Answered records the outcome of a request: StateAccepted, StateRejected
// or StateQuarantined, with a reason and the platform's request id. For a
// test destination an accepted request is recorded as StateValidated.
func (l *Ledger) Answered(ctx context.Context, r Request, state, reason, requestID string) error {
	switch state {
	case StateAccepted:
		if r.test {
			state = StateValidated
		}
	case StateRejected, StateQuarantined, StateValidated:
	default:
		return fmt.Errorf("ledger: %q is not an outcome", state)
	}
	if r.id == 0 {
		return errors.New("ledger: answer to a request never recorded")
	}
	_, err := l.insOutcome.ExecContext(ctx, r.id, state, reason, requestID, l.now().UnixMilli())
	if err != nil || state != StateAccepted {
		return l.fault("record a request's answer", err)
	}
	return l.fault("record the first delivery to a destination", l.firstDelivery(ctx, r))
}

// NotSent records events that never left — quarantined before sending —
// with their reason, in one row.
func (l *Ledger) NotSent(ctx context.Context, runID string, dest Destination, ids []eventid.ID, state, reason string) error {
	return l.notSentAt(ctx, runID, dest, ids, nil, state, reason)
}

// notSentAt is NotSent recording the event times the ids carried (times:
// sentTimesOf's packing, nil for none): a hold applies to the same event
// only (heldtimes.go).
func (l *Ledger) notSentAt(ctx context.Context, runID string, dest Destination, ids []eventid.ID, times []byte, state, reason string) error {
	return l.fault("record events held back before sending", l.notSent(ctx, runID, dest, ids, times, state, reason))
}

func (l *Ledger) notSent(ctx context.Context, runID string, dest Destination, ids []eventid.ID, times []byte, state, reason string) error {
	if state != StateQuarantined && state != StateRejected {
		return fmt.Errorf("ledger: %q is not a state for events never sent", state)
	}
	d, blob, err := l.prepare(ctx, dest, ids)
	if err != nil {
		return err
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := l.now().UnixMilli()
	var id int64
	if err := tx.StmtContext(ctx, l.insRequest).QueryRowContext(ctx, runID, d, false, now, len(ids), blob, nil, nil, nil, nil, nilIfEmpty(times), dest.Test).Scan(&id); err != nil {
		return err
	}
	if _, err := tx.StmtContext(ctx, l.insOutcome).ExecContext(ctx, id, state, reason, "", now); err != nil {
		return err
	}
	return tx.Commit()
}

// nilIfEmpty is b, or NULL for none.
func nilIfEmpty(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
