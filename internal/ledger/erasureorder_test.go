package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestErasureToldAtItsTimeAmongRecordedRuns: runs an upload records (with
// a row in runs, so they sort by that row) remembered patient 12's
// withdrawal nights before patient 11's erasure; asked together (the
// digests `ledger find` looks up for one request: a shared identifier),
// the erasure is told last, at its own time. A record of no run sorts as
// the oldest by the runs' order, so without placeErasure find named the
// erasure the first to remember a withdrawal the uploads remembered the
// night she withdrew. TestEraseLeavesOneRecord's runs have no row in
// runs, and sort by time alone: it could not tell.
func TestErasureToldAtItsTimeAmongRecordedRuns(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	var runs []string
	for night := 1; night <= 3; night++ {
		now = t0.Add(time.Duration(night) * 24 * time.Hour)
		id, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, id)
		rememberNight(t, l, id, map[uint64]int64{12: 0})
	}
	now = now.Add(time.Hour)
	if _, err := l.Erase(ctx, []ErasePatient{{Digest: 11}}, nil); err != nil {
		t.Fatal(err)
	}
	w, err := l.Withdrawals(ctx, []uint64{11, 12})
	if err != nil || len(w) < 2 {
		t.Fatalf("patients 11 and 12: %+v, %v", w, err)
	}
	if w[0].Run != runs[0] || !w[len(w)-1].Erasure() || !w[len(w)-1].At.Equal(now) {
		t.Errorf("patients 11 and 12: %+v; want %s's record first and the erasure's last, at its own time", w, runs[0])
	}
}
