package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
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
			send(x, StateAccepted) // an answer that settles, but before the kill
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

// refuseAll refuses every request as a whole, alike: a configuration
// fault.
type refuseAll struct{}

func (refuseAll) Platform() platform.Platform                        { return platform.Meta }
func (refuseAll) MaxBatch() int                                      { return 100 }
func (refuseAll) Preflight(*conversion.Conversion, time.Time) string { return "" }
func (refuseAll) Send(context.Context, []*conversion.Conversion) (destination.Receipt, error) {
	return destination.Receipt{}, &destination.Error{Action: platform.Bisect, Status: 400, Code: "100", Reason: "bad"}
}

// TestSystemicStopLeavesNoEventSent: the Sender with the ledger's own
// Recorder, against a platform that refuses everything alike. The
// destination stops (the systemic guard), and no event is left "sent" —
// possibly ingested — in the ledger: every request that carried it was
// refused, the latest of them answered. The guard's probes were left
// unanswered (found by a review), and held back as unconfirmed.
func TestSystemicStopLeavesNoEventSent(t *testing.T) {
	ctx := context.Background()
	l, run, rec := metaRecorder(t)
	s := destination.NewSender(ctx, refuseAll{}, destination.Options{Observer: rec, Now: func() time.Time { return t0 }})
	for _, id := range evIDs("S", 8) {
		if err := s.Write(&conversion.Conversion{Platform: platform.Meta, EventID: id, Time: t0.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	_ = s.Close()
	if r := s.Result(); r.Stop != platform.StopDestination || r.Unsent != 8 {
		t.Fatalf("result %+v", r)
	}
	evs, err := l.Events(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.State == StateSent {
			t.Errorf("event %s left %q: every request that carried it was refused", e.EventID[:8], e.State)
		}
	}
	m, err := l.Unconfirmed(ctx, map[platform.Platform]Destination{platform.Meta: meta}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range evIDs("S", 8) {
		if m.Has(platform.Meta, id) {
			t.Errorf("event %s unconfirmed after a refusal of every request", string(id)[:8])
		}
	}
}

// TestAFastClocksUnansweredRequestIsHeld: a night whose clock ran a year
// fast left an unanswered request dated a year ahead; the nights after,
// with the clock right, took it for younger than Meta's window forever and
// would resend its event past it. A request dated more than a day ahead
// counts as older than every cut: held for a person to decide; one a few
// hours ahead (a clock stepped back) is taken at its word.
func TestAFastClocksUnansweredRequestIsHeld(t *testing.T) {
	for _, c := range []struct {
		name  string
		ahead time.Duration
		want  bool
	}{{"a year ahead", 365 * 24 * time.Hour, true}, {"three hours ahead", 3 * time.Hour, false}} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			x := evIDs("X", 1)
			now := t0.Add(c.ahead)
			l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			send(t, l, run, meta, x, StateSent, "")
			now = t0.Add(24 * time.Hour) // the clock right again, a night later
			m, err := l.Unconfirmed(ctx, map[platform.Platform]Destination{platform.Meta: meta}, now.Add(-6*24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			if got := m.Has(platform.Meta, x[0]); got != c.want {
				t.Fatalf("X held as past the window: %v, want %v", got, c.want)
			}
		})
	}
}
