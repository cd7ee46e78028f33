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

// TestUnconfirmedIsSettledOnlyByThePlatform: a request killed in flight
// may have been ingested. A later request settles that only when the
// platform said what became of the event — accepted it, or refused that
// one event. A request refused as a whole says nothing of the earlier
// one: cleared by it, the event was resent on a later night past Meta's
// 7-day window, and counted twice if the killed request had arrived.
// (Found by a review of the isolation's answers; each case on a ledger
// of its own, ten days long, asking about requests older than six days.)
func TestUnconfirmedIsSettledOnlyByThePlatform(t *testing.T) {
	x := evIDs("X", 1)
	for _, c := range []struct {
		name          string
		state, reason string // the later answer
		want          bool   // X still unconfirmed
	}{
		{"the resend stopped with its destination", StateRejected, destination.ReasonStopped + ":100/bad", true},
		{"the resend split after a refusal", StateRejected, destination.ReasonResent + ":100/bad", true},
		{"the resend out of retries", StateRejected, destination.ReasonRetriesExhausted, true},
		{"the resend a test run's", StateValidated, "", true},
		{"the resend refused in a batch the split could not narrow", StateQuarantined, destination.ReasonUnisolated, true},
		{"held back before sending", StateQuarantined, "event_too_old", true},
		{"the resend accepted", StateAccepted, "", false},
		{"the event refused alone", StateQuarantined, destination.ReasonRejected + ":100/2804050", false},
		{"the event named by the platform", StateQuarantined, destination.ReasonRejected + ":INVALID_SHA256_FORMAT", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			now := t0
			l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
			run, _ := l.StartRun(context.Background(), RunInfo{ToolVersion: "test"})
			send(t, l, run, meta, x, StateSent, "")
			now = now.Add(24 * time.Hour)
			send(t, l, run, meta, x, c.state, c.reason)
			if got := unconfirmedOn(t, l, t0.Add(10*24*time.Hour), x[0]); got != c.want {
				t.Fatalf("X unconfirmed: %v, want %v", got, c.want)
			}
		})
	}
}

// TestTheSenderLeavesOnlyWhatMayHaveArrivedOpen plays the Sender with the
// ledger's own Recorder, on a second night after a first night's request
// of one event was killed in flight. Every request the platform answered
// is answered in the ledger — split parents included, which were left
// open before and held their events as possibly ingested — and the
// killed event stays unconfirmed unless the platform settled it.
func TestTheSenderLeavesOnlyWhatMayHaveArrivedOpen(t *testing.T) {
	for _, c := range []struct {
		name   string
		client destination.Client
		held   bool // the killed event still unconfirmed
	}{
		// One bad event: Meta refuses any batch holding it, the
		// bisection isolates it, the rest is accepted.
		{"the bad event is another", refuseIf{bad: map[eventid.ID]bool{evIDs("N", 8)[5]: true}}, false},
		// The killed event is the bad one: refused alone, settled.
		{"the killed event is refused alone", refuseIf{bad: map[eventid.ID]bool{evIDs("N", 8)[0]: true}}, false},
		// A configuration fault: every request refused alike, the
		// destination stops. Nothing settles the killed request.
		{"every request refused alike", refuseAll{}, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			now := t0
			l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
			night1, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			ids := evIDs("N", 8)
			send(t, l, night1, meta, ids[:1], StateSent, "") // killed
			now = now.Add(24 * time.Hour)
			night2, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			rec := NewRecorder(ctx, l, night2, map[platform.Platform]Destination{platform.Meta: meta})
			s := destination.NewSender(ctx, c.client, destination.Options{Observer: rec, Now: func() time.Time { return now }})
			for _, id := range ids {
				if err := s.Write(&conversion.Conversion{Platform: platform.Meta, EventID: id, Time: now.Add(-time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			_ = s.Close()
			if err := rec.Flush(); err != nil {
				t.Fatal(err)
			}
			reqs, err := l.Requests(ctx, night2)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range reqs {
				if r.Sent && r.State == StateSent {
					t.Errorf("request %d of %d events refused by the platform and left unanswered", r.ID, len(r.EventIDs))
				}
			}
			later := t0.Add(10 * 24 * time.Hour)
			if got := unconfirmedOn(t, l, later, ids[0]); got != c.held {
				t.Errorf("the killed event unconfirmed: %v, want %v", got, c.held)
			}
			for _, id := range ids[1:] {
				if unconfirmedOn(t, l, later, id) {
					t.Errorf("event %s unconfirmed, though every request of it was answered", string(id)[:8])
				}
			}
		})
	}
}

// refuseIf refuses a whole batch (Meta: 400, code 100, nothing named)
// when it holds a bad event, and accepts any other.
type refuseIf struct{ bad map[eventid.ID]bool }

func (refuseIf) Platform() platform.Platform                        { return platform.Meta }
func (refuseIf) MaxBatch() int                                      { return 100 }
func (refuseIf) Preflight(*conversion.Conversion, time.Time) string { return "" }
func (c refuseIf) Send(_ context.Context, b []*conversion.Conversion) (destination.Receipt, error) {
	for _, x := range b {
		if c.bad[x.EventID] {
			return destination.Receipt{}, &destination.Error{Action: platform.Bisect, Status: 400, Code: "100", Reason: "2804050"}
		}
	}
	return destination.Receipt{Accepted: len(b), RequestID: "ok"}, nil
}

// unconfirmedOn: whether id is unconfirmed on the given day, of requests
// older than Meta's six safe days.
func unconfirmedOn(t *testing.T, l *Ledger, day time.Time, id eventid.ID) bool {
	t.Helper()
	m, err := l.Unconfirmed(context.Background(), map[platform.Platform]Destination{platform.Meta: meta}, day.Add(-6*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	return m.Has(platform.Meta, id)
}

// TestUnconfirmedBeforeIsUnconfirmedAtEach: one reading for several cuts
// marks what a reading per cut marks — events opened before, between and
// after the cuts, one of them settled later.
func TestUnconfirmedBeforeIsUnconfirmedAtEach(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	x, y, z := evIDs("X", 2), evIDs("Y", 1), evIDs("Z", 1)
	send(t, l, run, meta, x, StateSent, "") // day 0
	send(t, l, run, meta, z, StateSent, "")
	now = now.Add(2 * 24 * time.Hour)
	send(t, l, run, meta, z, StateAccepted, "") // day 2: Z settled
	now = now.Add(3 * 24 * time.Hour)
	send(t, l, run, meta, y, StateSent, "") // day 5
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	cuts := []time.Time{t0.Add(3 * 24 * time.Hour), t0.Add(10 * 24 * time.Hour), t0.Add(-time.Hour)}
	ms, err := l.UnconfirmedBefore(ctx, dests, cuts...)
	if err != nil {
		t.Fatal(err)
	}
	for j, cut := range cuts {
		one, err := l.Unconfirmed(ctx, dests, cut)
		if err != nil {
			t.Fatal(err)
		}
		if ms[j].Len() != one.Len() {
			t.Fatalf("cut %d: %d marked in one reading, %d alone", j, ms[j].Len(), one.Len())
		}
		for _, id := range append(append(append([]eventid.ID{}, x...), y...), z...) {
			if ms[j].Has(platform.Meta, id) != one.Has(platform.Meta, id) {
				t.Errorf("cut %d, %s: %v in one reading, %v alone", j, id[:2], ms[j].Has(platform.Meta, id), one.Has(platform.Meta, id))
			}
		}
	}
	if ms[0].Len() != 2 || ms[1].Len() != 3 || ms[2].Len() != 0 {
		t.Fatalf("marked %d, %d, %d; want X's two, then Y too, then none", ms[0].Len(), ms[1].Len(), ms[2].Len())
	}
}
