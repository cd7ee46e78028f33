package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// horizonMeta prefixes the meta key of a destination's horizon:
// "first_delivered:<destination key>" → the time of this ledger's first
// delivery there, RFC 3339 in UTC. A meta row, not a column: no schema
// step, and an older hashgate reads only the meta keys it knows (by key or
// by their own prefixes), so it opens a ledger with these and ignores them.
const horizonMeta = "first_delivered:"

// Horizon is when this ledger first delivered to dest: the start of the
// run whose request was the first accepted there. Zero: it never did.
//
// A platform that deduplicates a resent event only for a while (Meta: 7
// days) keeps back, from a ledger that never delivered, the events too old
// to be safe if a lost ledger sent them (run/dedupwindow.go). Judged by
// the run, the guard let through any such event a later run brought — the
// second file of a split first night, a backfill the next night — so it is
// judged by the event against this time instead, the same on every night.
//
// Recorded when the first accepted answer is (Answered); a ledger that
// delivered before that was recorded (an older hashgate, or a crash
// between the answer and the record) has it derived here once, from what
// it holds, and recorded then. Derived as the recording does it — the
// start of the run of the first accepted request in the order the ledger
// wrote them (request id), not the earliest started_at of any run that
// delivered: a clock set back one night (a dead CMOS battery, a restored
// VM) would date that run years early and move the horizon with it, and
// every history would pass as younger than it. When retention has
// forgotten that run's row, the request's own time (written as it was
// sent, minutes after the run's start) stands in. And once retention has
// forgotten every accepted request, the ledger can no longer tell it ever
// delivered: recorded before that, the horizon outlives it.
func (l *Ledger) Horizon(ctx context.Context, dest Destination) (time.Time, error) {
	return l.horizon(ctx, dest.Key)
}

func (l *Ledger) horizon(ctx context.Context, key string) (time.Time, error) {
	var v string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, horizonMeta+key).Scan(&v)
	switch {
	case err == nil:
		t, err := time.Parse(time.RFC3339Nano, v)
		if err != nil {
			return time.Time{}, fmt.Errorf("ledger: meta %s%s: %w", horizonMeta, key, err)
		}
		return t, nil
	case !errors.Is(err, sql.ErrNoRows):
		return time.Time{}, err
	}
	var req sql.NullInt64
	err = l.db.QueryRowContext(ctx, `SELECT min(r.id) FROM requests r JOIN outcomes o ON o.request = r.id
		JOIN destinations d ON d.id = r.destination WHERE d.key = ? AND o.state = 'accepted'`, key).Scan(&req)
	if err != nil || !req.Valid {
		return time.Time{}, err
	}
	t, err := l.requestHorizon(ctx, req.Int64)
	if err != nil || l.readOnly {
		return t, err
	}
	_, err = l.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`,
		horizonMeta+key, t.UTC().Format(time.RFC3339Nano))
	return t, err
}

// requestHorizon is the horizon that request id, accepted, sets: its
// run's start, or the request's own time when the run's row is gone.
func (l *Ledger) requestHorizon(ctx context.Context, id int64) (time.Time, error) {
	var started sql.NullString
	var at int64
	if err := l.db.QueryRowContext(ctx, `SELECT (SELECT started_at FROM runs WHERE id = r.run_id), r.at FROM requests r WHERE r.id = ?`, id).Scan(&started, &at); err != nil {
		return time.Time{}, err
	}
	if started.Valid {
		if t, err := time.Parse(time.RFC3339Nano, started.String); err == nil {
			return t.UTC(), nil
		}
	}
	return time.UnixMilli(at).UTC(), nil
}

// firstDelivery records the horizon of r's destination, accepted, unless
// this process did: the first accepted answer there records it. Derived
// as Horizon does, from the first accepted request there, not from r: a
// ledger from before horizons were recorded, on a night that never asked
// for its horizon (a platform without a deduplication window), would
// record tonight. Not in the answer's transaction: lost to a crash
// between the two, the next run derives the same time.
func (l *Ledger) firstDelivery(ctx context.Context, r Request) error {
	l.mu.Lock()
	done := l.horizons[r.dest]
	l.mu.Unlock()
	if done {
		return nil
	}
	var key string
	if err := l.db.QueryRowContext(ctx, `SELECT key FROM destinations WHERE id = ?`, r.dest).Scan(&key); err != nil {
		return err
	}
	if _, err := l.horizon(ctx, key); err != nil {
		return err
	}
	l.mu.Lock()
	l.horizons[r.dest] = true
	l.mu.Unlock()
	return nil
}
