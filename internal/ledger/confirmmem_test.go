package ledger

import (
	"context"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
)

// TestConfirmHoldsNoRunInMemory: `ledger confirm` of a run of 100,000
// unanswered events — a later run settled a fifth of them — confirms the
// others, each once, and allocates about 30 bytes an event (the driver's
// copy of each record's ids, 16): the run's events are decided as the
// requests are read (a keyset outside the heap), not gathered first. Until
// session 21 they sat in a map of strings: 291 MB at 1M events, 315 bytes
// an event allocated here.
func TestConfirmHoldsNoRunInMemory(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	night, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	const n, per = 100000, 1000
	all := evIDs("E", n)
	for i := 0; i < n; i += per {
		send(t, l, night, meta, all[i:i+per], StateSent, "")
	}
	later, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	settled := map[eventid.ID]bool{}
	for i := 0; i < n; i += 5 * per {
		send(t, l, later, meta, all[i:i+per], StateAccepted, "")
		for _, id := range all[i : i+per] {
			settled[id] = true
		}
	}
	most := 0
	confirmHeld = func(k int) { most = max(most, k) }
	defer func() { confirmHeld = nil }()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, err := l.Confirm(ctx, ConfirmSelect{RunID: night})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if want := n - len(settled); got[meta.Key] != want {
		t.Fatalf("confirmed %v, want %d", got, want)
	}
	if most > maxPacked {
		t.Errorf("a record of %d ids held, want at most %d", most, maxPacked)
	}
	if perEvent := float64(after.TotalAlloc-before.TotalAlloc) / n; perEvent > 80 {
		t.Errorf("Confirm allocated %.0f bytes an event, want at most 80: it holds the run", perEvent)
	}
	// Each event once, and none settled: the run's events are confirmed
	// as delivered, and a second confirm finds nothing left.
	evs, err := l.Events(ctx, night)
	if err != nil {
		t.Fatal(err)
	}
	confirmed := 0
	for _, e := range evs {
		if e.State == StateConfirmedByUser {
			confirmed++
		}
	}
	if confirmed != n-len(settled) {
		t.Errorf("%d events listed confirmed, want %d", confirmed, n-len(settled))
	}
	if again, err := l.Confirm(ctx, ConfirmSelect{RunID: night}); err != nil || again[meta.Key] != 0 {
		t.Errorf("a second confirm: %v, %v; want none", again, err)
	}
}
