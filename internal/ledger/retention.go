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
	cut := r.From.AddDate(0, 0, -days)
	n, err := l.forget(ctx, cut, true, false)
	err = l.fault("delete entries before "+cut.UTC().Format(time.DateOnly), err)
	r.Forgotten = n
	return r, err
}

// # What a clock running fast dated
//
// Forget deletes by the time each entry recorded, and a night whose clock
// ran fast dated its entries ahead: a year fast, no --before date and no
// retention reached them for a year and more, and `ledger forget` left
// them behind whatever date it was given. Their real time is not known,
// but their place is: the ledger records requests and runs in the order
// they happen (one run at a time, under its lock), so an entry was
// recorded before every entry after it. An entry dated more than
// futureSlack ahead of the clock counts as dated as the first entry
// recorded after it that is not: forgotten with the nights before that
// one, never earlier (TestForgetReachesWhatAFastClockDated). While none
// follows it (the fast night was the last), it stays.

// Forget deletes requests (with their events and outcomes) recorded, and
// runs started, before t — an entry dated ahead of the clock by a night
// whose clock ran fast, as the section above says. It returns how many
// event records went.
func (l *Ledger) Forget(ctx context.Context, before time.Time) (int64, error) {
	n, err := l.forget(ctx, before, false, true)
	return n, l.fault("delete entries before "+before.UTC().Format(time.DateOnly), err)
}

// forgetRequests selects the requests Forget deletes: those recorded
// before the cut (?1), and those dated after ahead (?2) whose first
// request recorded after them, dated no later than ahead, is.
const forgetRequests = `SELECT q.id FROM requests q WHERE q.at < ?1 OR (q.at > ?2 AND
	(SELECT n.at FROM requests n WHERE n.id > q.id AND n.at <= ?2 ORDER BY n.id LIMIT 1) < ?1)`

// forget is Forget; nowait (the uploads' retention) checkpoints without
// waiting for readers (securedelete.go); bump (`ledger forget`) bumps the
// generation with what it deletes (bumpIn). The uploads' retention does
// not: its run's end bumps (FinishRun), and secureWrite's nowait tells
// "nothing deleted" by the changes the transaction made.
func (l *Ledger) forget(ctx context.Context, before time.Time, nowait, bump bool) (int64, error) {
	var n int64
	// Under secure_delete: what is forgotten is not left readable in the
	// file (securedelete.go).
	_, err := l.secureWrite(ctx, nowait, func(tx *sql.Tx) (err error) {
		if n, err = l.forgetIn(ctx, tx, before); err != nil || !bump {
			return err
		}
		return bumpIn(ctx, tx)
	})
	return n, err
}

func (l *Ledger) forgetIn(ctx context.Context, tx *sql.Tx, before time.Time) (int64, error) {
	now := l.now()
	cut, ahead := before.UnixMilli(), now.Add(futureSlack).UnixMilli()
	var n sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT sum(n) FROM requests WHERE id IN (`+forgetRequests+`)`, cut, ahead).Scan(&n); err != nil {
		return 0, err
	}
	if n.Int64 > 0 {
		if _, err := tx.ExecContext(ctx, `DELETE FROM outcomes WHERE request IN (`+forgetRequests+`)`, cut, ahead); err != nil {
			return 0, err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM requests WHERE id IN (`+forgetRequests+`)`, cut, ahead); err != nil {
			return 0, err
		}
		// Aliases carry no order of their own: one dated ahead goes when
		// no request dated ahead is left, with the fast nights' requests.
		if _, err := tx.ExecContext(ctx, `DELETE FROM id_aliases WHERE at < ?1 OR (at > ?2 AND NOT EXISTS (SELECT 1 FROM requests WHERE at > ?2))`, cut, ahead); err != nil {
			return 0, err
		}
	}
	// Runs by their start, read as the time it stands for; one started
	// ahead by the start of the first run recorded after it that did not.
	if _, err := tx.ExecContext(ctx, `DELETE FROM runs WHERE started_at < ?1 OR (julianday(started_at) > julianday(?2) AND
		(SELECT julianday(n.started_at) FROM runs n WHERE n.rowid > runs.rowid AND julianday(n.started_at) <= julianday(?2) ORDER BY n.rowid LIMIT 1) < julianday(?1))`,
		before.UTC().Format(time.RFC3339Nano), now.Add(futureSlack).UTC().Format(time.RFC3339Nano)); err != nil {
		return 0, err
	}
	return n.Int64, nil
}
