package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestHasRun: a started run is there and an unknown id is not; a run
// whose row Forget removed while requests of it remain (it spanned the
// cut) is still there, since ledger list --run still shows its events;
// a run forgotten whole is gone.
func TestHasRun(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 23, 59, 0, 0, time.UTC)
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	gone, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, gone, google, evIDs("gone", 2), StateAccepted, "")
	spans, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	now = now.Add(2 * time.Minute) // past midnight: its request is after the cut
	send(t, l, spans, google, evIDs("spans", 2), StateAccepted, "")
	for id, want := range map[string]bool{gone: true, spans: true, "20261123T020000Z-a1b2c3": false} {
		if got, err := l.HasRun(ctx, id); err != nil || got != want {
			t.Errorf("HasRun(%s) = %v, %v; want %v", id, got, err, want)
		}
	}
	if _, err := l.Forget(ctx, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]bool{gone: false, spans: true} {
		if got, err := l.HasRun(ctx, id); err != nil || got != want {
			t.Errorf("after Forget: HasRun(%s) = %v, %v; want %v", id, got, err, want)
		}
	}
	if evs, err := l.Events(ctx, spans); err != nil || len(evs) != 2 {
		t.Errorf("the spanning run's events after Forget: %d, %v", len(evs), err)
	}
}
