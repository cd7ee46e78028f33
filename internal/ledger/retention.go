package ledger

import (
	"context"
	"database/sql"
	"time"
)

// # Retention that no clock can turn against the ledger
//
// Retention (ledger.retention_days) deletes what is older than so many
// days. Measured from this machine's clock alone, a clock a year fast for
// one night deleted every acceptance the platforms still held within
// their windows, and the night the clock was set right sent those visits
// again: Meta, which deduplicates only within 7 days, counted them twice.
//
// So Retain measures from the earlier of the clock and the newest event
// time a platform accepted (requests.newest_event of an accepted request).
// That time comes from the export — the clinic's appointments, not this
// machine's clock — and the platforms themselves refuse an event dated
// after their own (right) clock or older than their window, so it is never
// later than the real time of its acceptance. A clock that runs fast, for a
// night or for weeks, moves nothing: a fast night delivers nothing newer
// than what is real (its visits are too old to it, or refused as in the
// future by the platform). A clock that runs slow prunes less. The cost: a
// ledger whose uploads deliver nothing for a while (the clinic closed, a
// destination stopped) keeps its older entries that much longer.
//
// With nothing accepted that carries an event time (a ledger whose
// acceptances all predate schema 4, and a new one) nothing is pruned.

// Retention is what Retain did.
type Retention struct {
	// Forgotten counts the event records deleted.
	Forgotten int64
	// From is what retention was measured from: the clock, or the newest
	// event time a platform accepted when that is earlier.
	From time.Time
	// Ahead is how far the clock is ahead of From (0 when From is the
	// clock).
	Ahead time.Duration
	// NoAnchor: nothing accepted carries an event time, so nothing was
	// pruned; Held counts the event records the clock alone would have
	// deleted then.
	NoAnchor bool
	Held     int64
}

// Retain deletes what is older than days, measured as the package doc
// above says, never from a clock ahead of what the platforms accepted.
func (l *Ledger) Retain(ctx context.Context, days int) (Retention, error) {
	now := l.now()
	var newest sql.NullInt64
	if err := l.db.QueryRowContext(ctx, `SELECT max(r.newest_event) FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE o.state = 'accepted'`).Scan(&newest); err != nil {
		return Retention{}, l.fault("read the newest event accepted", err)
	}
	if !newest.Valid {
		var n sql.NullInt64
		if err := l.db.QueryRowContext(ctx, `SELECT sum(n) FROM requests WHERE at < ?`, now.AddDate(0, 0, -days).UnixMilli()).Scan(&n); err != nil {
			return Retention{}, l.fault("count what retention would delete", err)
		}
		return Retention{From: now, NoAnchor: true, Held: n.Int64}, nil
	}
	r := Retention{From: now}
	if t := time.UnixMilli(newest.Int64); t.Before(now) {
		r.From, r.Ahead = t, now.Sub(t)
	}
	n, err := l.Forget(ctx, r.From.AddDate(0, 0, -days))
	r.Forgotten = n
	return r, err
}
