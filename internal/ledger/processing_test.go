package ledger

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
)

const (
	clickNotFound = "PROCESSING_ERROR_REASON_CLICK_NOT_FOUND"
	tooRecent     = "PROCESSING_ERROR_REASON_TOO_RECENT_CLICK"
	customVar     = "PROCESSING_WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED"
)

// sixProcessed records a run with one ingested Google request of six
// events and its final verdict: events 1 and 3 failed for good, event 4
// failed in a way a resend can fix, event 2 counts with a warning.
func sixProcessed(t *testing.T, l *Ledger, now time.Time, withIndices bool) (string, []eventid.ID) {
	t.Helper()
	ctx := context.Background()
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("p", 6)
	send(t, l, run, google, ids, StateAccepted, "")
	un, err := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	if err != nil || len(un) != 1 || un[0].Events != 6 || un[0].RequestID != "req" || un[0].Polls != 0 {
		t.Fatalf("unpolled %+v %v", un, err)
	}
	ix := func(i ...int) []int {
		if !withIndices {
			return nil
		}
		return i
	}
	v := destination.Processing{Status: "PARTIAL_SUCCESS", Final: true, Records: 6,
		Errors: []destination.ReasonCount{
			{Reason: clickNotFound, Records: 2, Indices: ix(1, 3)},
			{Reason: tooRecent, Records: 1, Indices: ix(4), Retry: true},
		},
		Warnings: []destination.ReasonCount{{Reason: customVar, Records: 1, Indices: ix(2)}},
	}
	if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
		t.Fatal(err)
	}
	return run, ids
}

func TestFailedInProcessingIsNotAccepted(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, ids := sixProcessed(t, l, now, true)

	sums, err := l.Processing(ctx, run, "google")
	if err != nil || len(sums) != 1 {
		t.Fatalf("%+v %v", sums, err)
	}
	s := sums[0]
	if s.Ingested != 6 || s.OK != 3 || s.Processing != 0 || s.NoVerdict != 0 {
		t.Errorf("summary %+v", s)
	}
	if len(s.Failed) != 2 || s.Failed[0] != (ReasonTally{Reason: clickNotFound, Events: 2}) || s.Failed[1] != (ReasonTally{Reason: tooRecent, Events: 1, Resend: true}) {
		t.Errorf("failed %+v", s.Failed)
	}
	if len(s.Warnings) != 1 || s.Warnings[0] != (ReasonTally{Reason: customVar, Events: 1}) {
		t.Errorf("warnings %+v", s.Warnings)
	}

	evs, err := l.Events(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	state := map[eventid.ID]Event{}
	for _, e := range evs {
		state[eventid.ID(e.EventID)] = e
		if e.State == StateAccepted {
			t.Errorf("%s still called accepted", e.EventID)
		}
	}
	for i, want := range []string{StateProcessed, StateFailed, StateProcessed, StateFailed, StateFailed, StateProcessed} {
		if got := state[ids[i]].State; got != want {
			t.Errorf("event %d: %s, want %s", i, got, want)
		}
	}
	if r := state[ids[1]].Reason; r != clickNotFound {
		t.Errorf("event 1 reason %q", r)
	}
	if r := state[ids[4]].Reason; !strings.HasPrefix(r, tooRecent) || !strings.Contains(r, "resent") {
		t.Errorf("event 4 reason %q", r)
	}

	// The next upload sends the retryable failure again, and only it.
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	var c collect
	f, err := NewFilter(ctx, l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		if err := f.Write(&conversion.Conversion{Platform: identifier.Google, EventID: id, Time: now}); err != nil {
			t.Fatal(err)
		}
	}
	f.Close()
	if len(c.got) != 1 || c.got[0].EventID != ids[4] {
		t.Fatalf("resent %d events, want only event 4", len(c.got))
	}
	if un, _ := l.Unpolled(ctx, "google", now.Add(-time.Hour)); len(un) != 0 {
		t.Errorf("a final request is still to poll: %+v", un)
	}
	tot, err := l.ProcessingTotals(ctx)
	if err != nil || tot[google.Key] != (ProcessingTotals{OK: 3, Failed: 2, Resent: 1}) {
		t.Errorf("totals %+v %v", tot, err)
	}
}

// TestCountsWithoutIndicesAreNotGuessed: counts without record indices
// book no event as processed or failed; and since one of the reasons is
// retryable (TOO_RECENT_CLICK), every event no reason placed is resent —
// a processed one is only adjusted with the same values by Google, while
// an unplaced failure booked as done would be lost (issue 21 point 9).
func TestCountsWithoutIndicesAreNotGuessed(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, ids := sixProcessed(t, l, now, false)
	sums, _ := l.Processing(ctx, run)
	s := sums[0]
	if s.Ingested != 6 || s.OK != 3 || s.Failed[0].Unattributed != 2 || s.Failed[0].Events != 2 {
		t.Errorf("summary %+v", s)
	}
	evs, _ := l.Events(ctx, run)
	for _, e := range evs {
		if e.State != StateIngested || !strings.Contains(e.Reason, "did not say which") {
			t.Errorf("event %s: %s %q", e.EventID, e.State, e.Reason)
		}
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 6 {
		t.Errorf("%d of 6 events resent; the retryable failure is among all of them", n)
	}
}

// TestIndicesShorterThanTheCountLeaveTheRestUnattributed: Google names
// one record of three for NO_CONSENT (recordIndices shorter than
// recordCount). The two it did not name are failures all the same: not
// booked as processed, and resent — with every event no reason placed,
// since they are among them — while the CLICK_NOT_FOUND it placed is not.
func TestIndicesShorterThanTheCountLeaveTheRestUnattributed(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("u", 5)
	send(t, l, run, google, ids, StateAccepted, "")
	un, _ := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	v := destination.Processing{Status: "PARTIAL_SUCCESS", Final: true, Records: 5, Errors: []destination.ReasonCount{
		{Reason: "PROCESSING_ERROR_REASON_NO_CONSENT", Records: 3, Indices: []int{0}, Retry: true},
		{Reason: clickNotFound, Records: 1, Indices: []int{4}},
	}}
	if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
		t.Fatal(err)
	}
	sums, _ := l.Processing(ctx, run)
	if s := sums[0]; s.OK != 1 || len(s.Failed) != 2 {
		t.Fatalf("summary %+v: 4 of 5 failed, 1 processed", s)
	} else {
		for _, f := range s.Failed {
			if f.Reason == "PROCESSING_ERROR_REASON_NO_CONSENT" && (f.Events != 3 || f.Unattributed != 2) {
				t.Errorf("NO_CONSENT tally %+v: 3 events, 2 unattributed", f)
			}
		}
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 4 {
		t.Errorf("%d of 5 resent, want 4 (all but the CLICK_NOT_FOUND)", n)
	}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids[4:]); n != 0 {
		t.Error("the event placed under a final reason was resent")
	}
}

func TestRetryableFailureOfAWholeRequestIsResent(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("w", 4)
	send(t, l, run, google, ids, StateAccepted, "")
	un, _ := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	terms := "PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED"
	// FAILED, counts only, every record: every event is concerned.
	v := destination.Processing{Status: "FAILED", Final: true, Records: 4, Errors: []destination.ReasonCount{{Reason: terms, Records: 4, Retry: true}}}
	if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
		t.Fatal(err)
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 4 {
		t.Errorf("%d of 4 resent", n)
	}
	sums, _ := l.Processing(ctx, run)
	if s := sums[0]; s.OK != 0 || s.Failed[0].Events != 4 || s.Failed[0].Unattributed != 0 {
		t.Errorf("summary %+v", s)
	}
}

func TestUnpolledSkipsTestsOldAndFinal(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, run, google, evIDs("old", 2), StateAccepted, "")
	now = now.Add(48 * time.Hour)
	test := google
	test.Test = true
	send(t, l, run, test, evIDs("val", 2), StateAccepted, "") // recorded as validated
	send(t, l, run, google, evIDs("rej", 2), StateRejected, "bad")
	send(t, l, run, meta, evIDs("m", 2), StateAccepted, "")
	send(t, l, run, google, evIDs("new", 3), StateAccepted, "")
	un, err := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	if err != nil || len(un) != 1 || un[0].Events != 3 {
		t.Fatalf("%+v %v", un, err)
	}
	next := now.Add(39 * time.Minute)
	if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Next: next, Verdict: destination.Processing{Status: "PROCESSING", Records: -1}}); err != nil {
		t.Fatal(err)
	}
	un, _ = l.Unpolled(ctx, "google", now.Add(-time.Hour))
	if len(un) != 1 || un[0].Polls != 1 || !un[0].Next.Equal(next) {
		t.Fatalf("after a pending poll %+v", un)
	}
	sums, _ := l.Processing(ctx, run, "google")
	if len(sums) != 1 || sums[0].Processing != 5 || sums[0].Ingested != 5 || sums[0].OK != 0 {
		t.Errorf("summary %+v", sums)
	}
	// Retention: forgetting requests takes their verdicts with them.
	if _, err := l.Forget(ctx, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	var n int
	l.db.QueryRow(`SELECT count(*) FROM processing`).Scan(&n)
	if n != 0 {
		t.Errorf("%d processing rows outlived their requests", n)
	}
}

// TestDuplicatesAreAlreadyRecordedNotFailed: Google's DUPLICATE_* reasons
// mean it already holds the conversion: the events are shown and stored as
// already_recorded, never failed, never resent, and not counted as
// processed by this request either.
func TestDuplicatesAreAlreadyRecordedNotFailed(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("d", 4)
	send(t, l, run, google, ids, StateAccepted, "")
	un, _ := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	v := destination.Processing{Status: "PARTIAL_SUCCESS", Final: true, Records: 4,
		Errors:   []destination.ReasonCount{{Reason: clickNotFound, Records: 1, Indices: []int{3}}},
		Recorded: []destination.ReasonCount{{Reason: "PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID", Records: 2, Indices: []int{0, 1}}}}
	if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
		t.Fatal(err)
	}
	sums, _ := l.Processing(ctx, run)
	s := sums[0]
	if s.OK != 1 || len(s.Failed) != 1 || len(s.AlreadyRecorded) != 1 || s.AlreadyRecorded[0].Events != 2 {
		t.Fatalf("summary %+v", s)
	}
	evs, _ := l.Events(ctx, run)
	states := map[string]int{}
	for _, e := range evs {
		states[e.State]++
	}
	if states[StateAlreadyRecorded] != 2 || states[StateFailed] != 1 || states[StateProcessed] != 1 {
		t.Fatalf("states %v", states)
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 0 {
		t.Errorf("%d resent", n)
	}
}

// TestMigrationToV5RecordsDuplicates: a schema 4 ledger that stored
// DUPLICATE_* as errors reads them as already_recorded after the upgrade.
func TestMigrationToV5RecordsDuplicates(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	all := migrations
	migrations = all[:4]
	l, err := Open(ctx, path, clock(&now))
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "v4"})
	send(t, l, run, google, evIDs("m", 3), StateAccepted, "")
	un, _ := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	_, err = l.db.Exec(`INSERT INTO processing (request, status, final, polls, checked, next, records) VALUES (?, 'PARTIAL_SUCCESS', 1, 1, 0, 0, 3);
		INSERT INTO processing_counts (request, kind, reason, records, retry, indices) VALUES (?, 'error', 'PROCESSING_ERROR_REASON_DUPLICATE_GCLID', 3, 0, NULL)`, un[0].ID, un[0].ID)
	l.Close()
	migrations = all
	if err != nil {
		t.Fatal(err)
	}
	l = open(t, path, clock(&now))
	sums, err := l.Processing(ctx, run)
	if err != nil || len(sums) != 1 || len(sums[0].Failed) != 0 || len(sums[0].AlreadyRecorded) != 1 || sums[0].AlreadyRecorded[0].Events != 3 {
		t.Fatalf("after the upgrade: %+v %v", sums, err)
	}
}

// TestEmptyIndicesPlaceNoEvent: a reason whose recordIndices is an empty
// list (stored as a zero-length BLOB) names no event, as one without the
// list: counting every record of the request, it concerns them all — the
// four events are failed under CLICK_NOT_FOUND, none unattributed, and
// not resent. modernc.org/sqlite v1.63.0 reads that BLOB as an empty
// []byte where earlier versions read nil; a nil test then turned the
// four into "the platform did not say which".
func TestEmptyIndicesPlaceNoEvent(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("e", 4)
	send(t, l, run, google, ids, StateAccepted, "")
	un, _ := l.Unpolled(ctx, "google", now.Add(-time.Hour))
	v := destination.Processing{Status: "FAILED", Final: true, Records: 4, Errors: []destination.ReasonCount{
		{Reason: clickNotFound, Records: 4, Indices: []int{}},
	}}
	if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
		t.Fatal(err)
	}
	var stored string
	if err := l.db.QueryRowContext(ctx, `SELECT typeof(indices) FROM processing_counts`).Scan(&stored); err != nil || stored != "blob" {
		t.Fatalf("indices stored as %q (%v): the test needs the zero-length BLOB", stored, err)
	}
	sums, _ := l.Processing(ctx, run)
	if s := sums[0]; s.OK != 0 || len(s.Failed) != 1 || s.Failed[0].Events != 4 || s.Failed[0].Unattributed != 0 {
		t.Errorf("summary %+v: all 4 failed under CLICK_NOT_FOUND, none unattributed", s)
	}
	evs, _ := l.Events(ctx, run)
	for _, e := range evs {
		if e.State != StateFailed || e.Reason != clickNotFound {
			t.Errorf("event %s: %s %q, want failed %s", e.EventID, e.State, e.Reason, clickNotFound)
		}
	}
	dests := map[identifier.Platform]Destination{identifier.Google: google}
	if n := filterPasses(t, l, dests, identifier.Google, now, ids); n != 0 {
		t.Errorf("%d of 4 resent; CLICK_NOT_FOUND is final", n)
	}
}
