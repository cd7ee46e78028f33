package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestTheHorizonIsTheFirstDeliveringRunsStart: the first accepted answer
// records its run's start, not the answer's time (the time the window
// judged that night's events by) — and not a later night's, nor a run's
// whose clock was set back a year. A ledger without the record derives the
// same from its first accepted request, and, that run's row forgotten,
// from the request's own time.
func TestTheHorizonIsTheFirstDeliveringRunsStart(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	if h, err := l.Horizon(ctx, meta); err != nil || !h.IsZero() {
		t.Fatalf("a new ledger's horizon %v, %v: want none", h, err)
	}
	run1, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	now = t0.Add(time.Hour)
	send(t, l, run1, meta, evIDs("A", 2), StateSent, "")
	if h, err := l.Horizon(ctx, meta); err != nil || !h.IsZero() {
		t.Fatalf("sent, unanswered: horizon %v, %v: want none", h, err)
	}
	send(t, l, run1, meta, evIDs("B", 2), StateAccepted, "")
	var n int
	if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM meta WHERE key = ?`, horizonMeta+meta.Key).Scan(&n); err != nil || n != 1 {
		t.Fatalf("the first accepted answer recorded %d horizons (%v), want 1", n, err)
	}
	now = t0.AddDate(-1, 0, 0) // a clock set back
	run2, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, run2, meta, evIDs("C", 2), StateAccepted, "")
	check := func(what string, want time.Time) {
		t.Helper()
		if h, err := l.Horizon(ctx, meta); err != nil || !h.Equal(want) {
			t.Fatalf("%s: horizon %v, %v: want %v", what, h, err, want)
		}
	}
	check("recorded", t0)
	forget := func(sql string) {
		t.Helper()
		if _, err := l.db.ExecContext(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	forget(`DELETE FROM meta WHERE key LIKE 'first_delivered:%'`)
	check("derived", t0)
	forget(`DELETE FROM meta WHERE key LIKE 'first_delivered:%'`)
	forget(`DELETE FROM runs WHERE id = '` + run1 + `'`)
	check("derived, its run forgotten", t0.Add(time.Hour))
	forget(`DELETE FROM outcomes`)
	check("recorded once derived", t0.Add(time.Hour))
}
