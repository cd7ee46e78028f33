package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestUnconfirmedIsJudgedPerEvent: an event is unconfirmed when its
// latest request went unanswered and no request recorded after it answered
// for the event. Each case is played on a ledger of its own, ten days
// long, asking about requests older than six days.
func TestUnconfirmedIsJudgedPerEvent(t *testing.T) {
	x, y, z := evIDs("X", 1), evIDs("Y", 1), evIDs("Z", 2)
	for _, c := range []struct {
		name   string
		nights func(send func(ids []eventid.ID, state string))
		want   bool // X unconfirmed
	}{
		{"killed after its only request", func(send func([]eventid.ID, string)) {
			send(x, StateSent)
		}, true},
		// Found by a review: the answers were counted from the earliest
		// unanswered request of all events, so an old unrelated one (every
		// split parent is one) let night 1's answer clear X's night-2 kill.
		{"answered once, killed the next night, an old unanswered request of another event", func(send func([]eventid.ID, string)) {
			send(y, StateSent)
			send(x, StateRejected)
			send(x, StateSent)
		}, true},
		{"a split: the whole unanswered, its halves answered", func(send func([]eventid.ID, string)) {
			send(append(append([]eventid.ID{}, x...), z...), StateSent)
			send(x, StateAccepted)
			send(z, StateRejected)
		}, false},
		{"killed, then answered on a later night", func(send func([]eventid.ID, string)) {
			send(x, StateSent)
			send(x, StateAccepted)
		}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			now := t0
			l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			c.nights(func(ids []eventid.ID, state string) {
				send(t, l, run, meta, ids, state, "")
				now = now.Add(24 * time.Hour)
			})
			now = t0.Add(10 * 24 * time.Hour)
			m, err := l.Unconfirmed(ctx, map[platform.Platform]Destination{platform.Meta: meta}, now.Add(-6*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Has(platform.Meta, x[0]); got != c.want {
				t.Fatalf("X unconfirmed: %v, want %v", got, c.want)
			}
		})
	}
}
