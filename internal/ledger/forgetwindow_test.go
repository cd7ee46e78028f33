package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestForgetWindowIsTheLongestOfTheDestinations: the cut may not be later
// than the clock minus the longest window of the ledger's destinations
// and the platforms given; SendableAfter counts the delivered events a
// cut forgets that are still inside their platform's window, not those
// past it, nor those a later acceptance still covers.
func TestForgetWindowIsTheLongestOfTheDestinations(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	w, err := l.ForgetWindow(ctx, nil)
	if err != nil || w.Window != 0 || w.CheckForget(now.Add(-time.Hour), time.UTC) != nil {
		t.Fatalf("an empty ledger: %+v %v", w, err)
	}
	old, young, again := evIDs("O", 2), evIDs("Y", 3), evIDs("A", 1)
	send(t, l, "old", meta, old, StateAccepted, "")
	now = now.Add(70 * 24 * time.Hour)
	send(t, l, "young", meta, young, StateAccepted, "")
	send(t, l, "young", meta, again, StateAccepted, "")
	now = now.Add(48 * time.Hour)
	send(t, l, "later", meta, again, StateAccepted, "") // accepted again after the cut: kept
	w, err = l.ForgetWindow(ctx, nil)
	if err != nil || w.Platform != platform.Meta || w.Window != 62*24*time.Hour {
		t.Fatalf("a Meta ledger: %+v %v", w, err)
	}
	cut := now.Add(-12 * time.Hour)
	if err := w.CheckForget(cut, time.UTC); !errors.Is(err, ErrForgetSendable) {
		t.Errorf("a cut inside Meta's window: %v", err)
	}
	if err := w.CheckForget(now.Add(-63*24*time.Hour), time.UTC); err != nil {
		t.Errorf("a cut past Meta's window: %v", err)
	}
	if g, _ := l.ForgetWindow(ctx, []platform.Platform{platform.Google}); g.Platform != platform.Google || g.Window != 90*24*time.Hour {
		t.Errorf("with Google configured: %+v", g)
	}
	got, err := l.SendableAfter(ctx, cut)
	if err != nil || got[meta.Key] != 3 {
		t.Fatalf("sendable after the cut: %v %v; want the 3 young ones", got, err)
	}
}
