package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"
)

// FoundFailure counts the events of one destination whose processing
// failed with one reason, in verdicts the ledger recorded after the
// destination's reported mark (FailuresFoundAfter).
type FoundFailure struct {
	Destination string // the destination key
	Reason      string // the platform's reason, verbatim
	Events      int64
	// Retry: a resend can overcome the reason, and the next upload sends
	// the events again (destination.ReasonCount.Retry).
	Retry bool
	// Through is when the newest of these verdicts was recorded: the mark
	// an upload that said them advances to (MarkFailuresReported), so a
	// verdict recorded while it ran is still found by the next one.
	Through time.Time
}

// reportedKey is the meta key of the mark up to which a destination's
// processing failures were said by an upload.
func reportedKey(dest string) string { return "failures_reported:" + dest }

// FailureMarks are, for each destination key, when the newest processing
// verdict whose failures an upload said was recorded. The mark is kept per
// destination, and moved only by an upload that said the failures
// (MarkFailuresReported): a run that leaves them unsaid (a validation, a
// stopped or interrupted night) or a config that does not send to the
// destination (two configs sharing ledger.path) leaves them for the next
// upload that does. A destination without a mark (a ledger from before
// marks, a new destination) is given the newest run's start, and that is
// recorded at once: nothing older alerts, and no later run moves it.
func (l *Ledger) FailureMarks(ctx context.Context, dests []string) (map[string]time.Time, error) {
	out := make(map[string]time.Time, len(dests))
	for _, d := range dests {
		v, err := l.metaValue(ctx, reportedKey(d))
		if err != nil {
			return nil, fmt.Errorf("ledger: the failures reported for %s: %w", d, err)
		}
		if v == "" {
			continue
		}
		ms, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("ledger: the failures reported for %s, %q: %w", d, v, err)
		}
		out[d] = time.UnixMilli(ms)
	}
	if len(out) == len(dests) {
		return out, nil
	}
	start, _, err := l.LastRunStart(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range dests {
		if _, ok := out[d]; ok {
			continue
		}
		if err := l.setMeta(ctx, reportedKey(d), strconv.FormatInt(start.UnixMilli(), 10)); err != nil {
			return nil, fmt.Errorf("ledger: the failures reported for %s: %w", d, err)
		}
		out[d] = time.UnixMilli(start.UnixMilli())
	}
	return out, nil
}

// MarkFailuresReported moves each destination's mark to when the newest
// failure an upload said was recorded (FoundFailure.Through). A mark
// never moves back.
func (l *Ledger) MarkFailuresReported(ctx context.Context, found []FoundFailure) error {
	for _, f := range found {
		_, err := l.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value
			WHERE CAST(meta.value AS INTEGER) < CAST(excluded.value AS INTEGER)`,
			reportedKey(f.Destination), strconv.FormatInt(f.Through.UnixMilli(), 10))
		if err != nil {
			return fmt.Errorf("ledger: mark the failures reported for %s: %w", f.Destination, err)
		}
	}
	return nil
}

// FailuresFoundAfter counts, by destination and reason, the events whose
// processing failed in the final verdicts recorded after each
// destination's mark (FailureMarks) — read by an upload's reconcile or by
// `status`, whichever came first. Only the destinations in marks are
// counted: those the config sends to. A final verdict is never read
// again, and the mark moves past it only once an upload has said it, so
// each failure is said once, by the first upload that can (a month of
// nights showed Google failing every event for three nights with exit 0
// each time).
func (l *Ledger) FailuresFoundAfter(ctx context.Context, marks map[string]time.Time) ([]FoundFailure, error) {
	var out []FoundFailure
	for _, dest := range slices.Sorted(maps.Keys(marks)) {
		found, err := l.failuresFoundAfter(ctx, dest, marks[dest])
		if err != nil {
			return nil, err
		}
		out = append(out, found...)
	}
	return out, nil
}

// failuresFoundAfter is FailuresFoundAfter for one destination.
func (l *Ledger) failuresFoundAfter(ctx context.Context, dest string, after time.Time) ([]FoundFailure, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, c.reason, sum(max(c.records, 0)), max(c.retry), max(p.checked)
		FROM processing p JOIN processing_counts c ON c.request = p.request
		JOIN requests r ON r.id = p.request JOIN destinations d ON d.id = r.destination
		WHERE p.final AND c.kind = 'error' AND d.key = ? AND p.checked > ?
		GROUP BY d.key, c.reason ORDER BY d.key, c.reason`, dest, after.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("ledger: processing failures found: %w", err)
	}
	defer rows.Close()
	var out []FoundFailure
	for rows.Next() {
		var f FoundFailure
		var through int64
		if err := rows.Scan(&f.Destination, &f.Reason, &f.Events, &f.Retry, &through); err != nil {
			return nil, err
		}
		f.Through = time.UnixMilli(through)
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
