package ledger

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

func hexIDs(ids ...eventid.ID) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = string(id)
	}
	return out
}

// TestRequeueARunsFinalFailures: the final failures of one reason become
// sendable again, the retryable one stays what it was, the failure stays
// recorded with the requeue beside it, and a second requeue does nothing.
func TestRequeueARunsFinalFailures(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, ids := sixProcessed(t, l, now, true)
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 1 {
		t.Fatalf("before the requeue %d pass, want 1 (the retryable failure)", n)
	}

	// Another reason, another destination: nothing.
	for _, sel := range []RequeueSelect{
		{RunID: run, Reason: "PROCESSING_ERROR_REASON_CONVERSION_PRECEDES_CLICK"},
		{RunID: run, Reason: clickNotFound, Destination: "meta"},
		{RunID: "20261120T030000Z-000000", Reason: clickNotFound},
	} {
		res, err := l.Requeue(ctx, sel)
		if err != nil || res.Total() != 0 {
			t.Errorf("%+v: %+v %v", sel, res, err)
		}
	}

	now = now.Add(time.Hour)
	res, err := l.Requeue(ctx, RequeueSelect{RunID: run, Destination: "google", Reason: clickNotFound})
	if err != nil || len(res.Requeued) != 1 || res.Requeued[0] != (Requeued{Destination: google.Key, Reason: clickNotFound, Events: 2}) {
		t.Fatalf("requeue %+v %v", res, err)
	}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 3 {
		t.Errorf("after the requeue %d pass, want 3", n)
	}
	evs, err := l.Events(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		requeued := e.EventID == string(ids[1]) || e.EventID == string(ids[3])
		if requeued && (e.State != StateFailed || !strings.HasPrefix(e.Reason, clickNotFound+"; requeued 2026-11-20T04:00:00Z")) {
			t.Errorf("requeued event %+v", e)
		}
		if !requeued && strings.Contains(e.Reason, "requeued") {
			t.Errorf("event %+v called requeued", e)
		}
	}
	tot, _ := l.ProcessingTotals(ctx)
	if tot[google.Key].Requeued != 2 || tot[google.Key].Failed != 2 {
		t.Errorf("totals %+v", tot[google.Key])
	}

	again, err := l.Requeue(ctx, RequeueSelect{RunID: run, Reason: clickNotFound})
	if err != nil || again.Total() != 0 || len(again.Requeued) != 1 || again.Requeued[0].Already != 2 {
		t.Errorf("second requeue %+v %v", again, err)
	}
	retry, err := l.Requeue(ctx, RequeueSelect{RunID: run, Reason: tooRecent})
	if err != nil || retry.Total() != 0 || len(retry.Requeued) != 1 || retry.Requeued[0].Retryable != 1 {
		t.Errorf("retryable requeue %+v %v", retry, err)
	}
	var n int
	l.db.QueryRow(`SELECT count(*) FROM requeues`).Scan(&n)
	if n != 1 {
		t.Errorf("%d requeue rows, want 1", n)
	}
}

// TestRequeueNamedEvents: event ids select across runs and reasons; an
// id with no final failure is reported back, a processed one never moves.
func TestRequeueNamedEvents(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	_, ids := sixProcessed(t, l, now, true)
	stranger := evIDs("x", 1)[0]
	res, err := l.Requeue(ctx, RequeueSelect{EventIDs: hexIDs(ids[3], ids[0], stranger)})
	if err != nil || res.Total() != 1 || len(res.Unknown) != 2 || res.Unknown[0] != string(ids[0]) || res.Unknown[1] != string(stranger) {
		t.Fatalf("requeue %+v %v", res, err)
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	var c collect
	f, _ := NewFilter(ctx, l, dests, &c)
	for _, id := range ids {
		f.Write(&conversion.Conversion{Platform: identifier.Google, EventID: id, Time: now})
	}
	f.Close()
	if len(c.got) != 2 || c.got[0].EventID != ids[3] || c.got[1].EventID != ids[4] {
		t.Errorf("passed %d, want events 3 and 4", len(c.got))
	}
	if _, err := l.Requeue(ctx, RequeueSelect{}); err == nil {
		t.Error("an empty selection was accepted")
	}
}

// TestRequeueUnplacedFailures: when the platform counts failures without
// naming records, a requeue sends again every event of the request no
// error placed, and says how many it could not place.
func TestRequeueUnplacedFailures(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, ids := sixProcessed(t, l, now, false)
	res, err := l.Requeue(ctx, RequeueSelect{RunID: run, Reason: clickNotFound})
	if err != nil || res.Total() != 6 || res.Requeued[0].Unplaced != 6 {
		t.Fatalf("requeue %+v %v", res, err)
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 6 {
		t.Errorf("%d pass, want 6", n)
	}
}

// TestMigrationToV6KeepsTheLedger: a schema 5 ledger gains the requeue
// record, keeps its failures, and its final failures can be requeued.
func TestMigrationToV6KeepsTheLedger(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	all := migrations
	migrations = all[:5]
	l, err := Open(ctx, path, clock(&now))
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	run, ids := sixProcessed(t, l, now, true)
	l.Close()
	migrations = all
	l = open(t, path, clock(&now))
	st, err := l.Stats(ctx)
	if err != nil || st.SchemaVers < 6 || st.Events[google.Key][StateAccepted] != 6 {
		t.Fatalf("after the upgrade %+v %v", st, err)
	}
	res, err := l.Requeue(ctx, RequeueSelect{RunID: run, Reason: clickNotFound})
	if err != nil || res.Total() != 2 {
		t.Fatalf("requeue on a migrated ledger %+v %v", res, err)
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 3 {
		t.Errorf("%d pass, want 3", n)
	}
	// Forgetting the request forgets its requeue with it.
	if _, err := l.Forget(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	l.db.QueryRow(`SELECT count(*) FROM requeues`).Scan(&n)
	if n != 0 {
		t.Errorf("%d requeue rows outlive their request", n)
	}
}
