package ledger

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestFirstUploadHoldsAreShownKeptBackNotQuarantined: the events a first
// upload to Meta holds back (quarantined, before_first_upload) are the
// tool's choice, waiting for `upload --backfill`, not a platform's or a
// validation's verdict. Stats, Runs and Events show them as kept_back,
// apart from quarantined ones (event_too_old stays quarantined, as the
// night's report counts it), while what uploads read of them — the
// stored state and reason — is as before.
func TestFirstUploadHoldsAreShownKeptBackNotQuarantined(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, run, meta, evIDs("N", 5), StateAccepted, "")
	held := evIDs("H", 7)
	if err := l.NotSent(ctx, run, meta, held, StateQuarantined, destination.ReasonBeforeFirstUpload); err != nil {
		t.Fatal(err)
	}
	if err := l.NotSent(ctx, run, meta, evIDs("O", 2), StateQuarantined, destination.ReasonTooOld); err != nil {
		t.Fatal(err)
	}

	st, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if e := st.Events[meta.Key]; e[StateAccepted] != 5 || e[StateKeptBack] != 7 || e[StateQuarantined] != 2 {
		t.Errorf("stats %v: want ingested 5, kept_back 7, quarantined 2 (event_too_old)", e)
	}
	runs, err := l.Runs(ctx, 10)
	if err != nil || len(runs) != 1 {
		t.Fatal(runs, err)
	}
	if e := runs[0].Events; e[StateAccepted] != 5 || e[StateKeptBack] != 7 || e[StateQuarantined] != 2 {
		t.Errorf("run %v: want ingested 5, kept_back 7, quarantined 2 (event_too_old)", e)
	}
	evs, err := l.Events(ctx, run)
	if err != nil || len(evs) != 14 {
		t.Fatalf("%d events, %v", len(evs), err)
	}
	byState := map[string]int{}
	for _, e := range evs {
		byState[e.State+"/"+e.Reason]++
	}
	if byState[StateKeptBack+"/"+destination.ReasonBeforeFirstUpload] != 7 || byState[StateQuarantined+"/"+destination.ReasonTooOld] != 2 {
		t.Errorf("events by state/reason %v", byState)
	}

	// What uploads read is unchanged: the holds are there, as before.
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	before, err := l.HeldBefore(ctx, dests, func(r string) bool { return r == destination.ReasonBeforeFirstUpload })
	if err != nil || before.Len() != 7 || !before.Has(platform.Meta, held[0]) {
		t.Errorf("HeldBefore: %v, %v", before, err)
	}
	reqs, err := l.Requests(ctx, run)
	if err != nil || len(reqs) != 3 || reqs[1].State != StateQuarantined || reqs[1].Reason != destination.ReasonBeforeFirstUpload {
		t.Errorf("requests %+v %v: the hold is stored quarantined, before_first_upload", reqs, err)
	}
}
