package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// FoundFailure counts the events of one destination whose processing
// failed with one reason, in verdicts the ledger recorded in a window
// (FailuresFoundAfter).
type FoundFailure struct {
	Destination string // the destination key
	Reason      string // the platform's reason, verbatim
	Events      int64
	// Retry: a resend can overcome the reason, and the next upload sends
	// the events again (destination.ReasonCount.Retry).
	Retry bool
}

// FailuresFoundAfter counts, by destination and reason, the events whose
// processing failed in the final verdicts recorded after after — read by
// an upload's reconcile or by `status`, whichever came first. A final
// verdict is never read again, so each failure falls after exactly one
// upload's start: the upload that counts the failures found since the
// run before it reports each once, however many `status` runs read it in
// between (a month of nights showed Google failing every event for three
// nights with exit 0 each time).
func (l *Ledger) FailuresFoundAfter(ctx context.Context, after time.Time) ([]FoundFailure, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, c.reason, sum(max(c.records, 0)), max(c.retry)
		FROM processing p JOIN processing_counts c ON c.request = p.request
		JOIN requests r ON r.id = p.request JOIN destinations d ON d.id = r.destination
		WHERE p.final AND c.kind = 'error' AND p.checked > ?
		GROUP BY d.key, c.reason ORDER BY d.key, c.reason`, after.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("ledger: processing failures found: %w", err)
	}
	defer rows.Close()
	var out []FoundFailure
	for rows.Next() {
		var f FoundFailure
		if err := rows.Scan(&f.Destination, &f.Reason, &f.Events, &f.Retry); err != nil {
			return nil, err
		}
		if f.Events > 0 {
			out = append(out, f)
		}
	}
	return out, rows.Err()
}

// LastRunStart is when the newest run recorded (by the order runs were
// recorded) started; ok is false when the ledger holds no run. A start
// recorded ahead of the clock now (a night whose clock ran fast) is
// returned as now less a day: taken at its word, it would hide every
// failure found until the clock caught up.
func (l *Ledger) LastRunStart(ctx context.Context) (t time.Time, ok bool, err error) {
	var s sql.NullString
	err = l.db.QueryRowContext(ctx, `SELECT started_at FROM runs ORDER BY `+runsNewestFirst+` LIMIT 1`).Scan(&s)
	if err == sql.ErrNoRows || err == nil && !s.Valid {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("ledger: the last run's start: %w", err)
	}
	t, err = time.Parse(time.RFC3339Nano, s.String)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("ledger: the last run's start %q: %w", s.String, err)
	}
	if now := l.now(); t.After(now) {
		t = now.Add(-futureSlack)
	}
	return t, true, nil
}
