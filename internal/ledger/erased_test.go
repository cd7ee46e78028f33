package ledger

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestErasedPositionsAreNoEvents: Erase zeroes a patient's positions in
// place (positions stay), and the readers of requests.event_ids took the
// all-zero id for an event: `ledger list --run` printed it as 000…, `ledger
// list` and `ledger stats` counted it. It is nothing: neither listed nor
// counted, and the Filter's accepted set (and the Bloom filter of older
// acceptances fed from it) does not hold it, so it matches no event.
func TestErasedPositionsAreNoEvents(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	hers, other := evIDs("HER", 1), evIDs("OTHER", 1)
	send(t, l, run, meta, []eventid.ID{hers[0], other[0]}, StateAccepted, "")
	if _, err := l.Erase(ctx, nil, [][idLen]byte{packed(t, hers[0])}); err != nil {
		t.Fatal(err)
	}
	zero := strings.Repeat("0", eventid.Len)
	evs, err := l.Events(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 || evs[0].EventID != string(other[0]) {
		t.Errorf("ledger list --run: %+v; want the other patient's event alone", evs)
	}
	st, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := st.Events[meta.Key][StateAccepted]; n != 1 {
		t.Errorf("ledger stats: %d accepted, want 1 (an erased position is no event)", n)
	}
	runs, err := l.Runs(ctx, 10)
	if err != nil || len(runs) != 1 {
		t.Fatal(runs, err)
	}
	if n := runs[0].Events[StateAccepted]; n != 1 {
		t.Errorf("ledger list: %d accepted in the run, want 1", n)
	}
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	if n := filterPasses(t, l, dests, platform.Meta, now, []eventid.ID{eventid.ID(zero)}); n != 1 {
		t.Error("the Filter matched the all-zero id of an erased position as an event already sent")
	}
}

// TestErasedPositionsAreNotRequeued: a requeue of a run's failures took
// an erased failed position as an event to send again, and counted it.
func TestErasedPositionsAreNotRequeued(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, ids := sixProcessed(t, l, now, true) // ids 1 and 3 failed with clickNotFound
	if _, err := l.Erase(ctx, nil, [][idLen]byte{packed(t, ids[1])}); err != nil {
		t.Fatal(err)
	}
	res, err := l.Requeue(ctx, RequeueSelect{RunID: run, Destination: "google", Reason: clickNotFound})
	if err != nil || len(res.Requeued) != 1 || res.Requeued[0].Events != 1 {
		t.Fatalf("requeue %+v %v; want the one failed event not erased", res, err)
	}
	res, err = l.Requeue(ctx, RequeueSelect{EventIDs: []string{strings.Repeat("0", eventid.Len)}})
	if err != nil || res.Total() != 0 {
		t.Errorf("requeue of the all-zero id: %+v %v; want nothing requeued", res, err)
	}
}
