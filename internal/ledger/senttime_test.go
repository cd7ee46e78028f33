package ledger

import (
	"context"
	"encoding/binary"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// keeping is meta with its sent times kept, inside Meta's 7 days, as run
// sets it for Meta.
func keeping() map[platform.Platform]Destination {
	d := meta
	d.KeepSentTime, d.DedupWindow = true, 7*24*time.Hour
	return map[platform.Platform]Destination{platform.Meta: d}
}

// metaEvent is a Meta conversion of id at at, in Taipei's zone.
func metaEvent(id eventid.ID, at time.Time) *conversion.Conversion {
	return &conversion.Conversion{Platform: platform.Meta, EventID: id, Time: at.In(time.FixedZone("CST", 8*3600)), Name: "Purchase"}
}

// record sends batch to dests' Meta through a Recorder and answers it
// with o ("" leaves it unanswered, as a crash does).
func record(t *testing.T, l *Ledger, dests map[platform.Platform]Destination, batch []*conversion.Conversion, o destination.Outcome, reason string) {
	t.Helper()
	ctx := context.Background()
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	rec := NewRecorder(ctx, l, run, dests)
	if err := rec.Sending(platform.Meta, batch); err != nil {
		t.Fatal(err)
	}
	if o < 0 {
		return
	}
	if err := rec.Sent(platform.Meta, batch, "req-"+run, o, reason); err != nil {
		t.Fatal(err)
	}
}

const unanswered destination.Outcome = -1

// filtered runs convs through a new Filter of dests and returns what it
// passed on and its sent-time counts for Meta.
func filtered(t *testing.T, l *Ledger, dests map[platform.Platform]Destination, convs ...*conversion.Conversion) ([]*conversion.Conversion, SentTimeCounts) {
	t.Helper()
	var c collect
	f, err := NewFilter(context.Background(), l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, cv := range convs {
		if err := f.Write(cv); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	return c.got, f.SentTimes(platform.Meta)
}

// TestEveryRequestRecordsItsEventTimes: a request records, in batch
// order, the time each event went with, to the second — for any
// destination, kept or not — and an event never sent records none.
func TestEveryRequestRecordsItsEventTimes(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("T", 3)
	a, b := now.Add(-90*time.Minute+17*time.Second), now.Add(-3*time.Hour+59*time.Second)
	record(t, l, map[platform.Platform]Destination{platform.Meta: meta}, []*conversion.Conversion{metaEvent(ids[0], a), metaEvent(ids[1], b)}, destination.Accepted, "")
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err := l.NotSent(ctx, run, meta, ids[2:], StateQuarantined, "event_too_old"); err != nil {
		t.Fatal(err)
	}
	rows, err := l.db.QueryContext(ctx, `SELECT n, sent_times FROM requests ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got [][]byte
	for rows.Next() {
		var n int
		var b []byte
		if err := rows.Scan(&n, &b); err != nil {
			t.Fatal(err)
		}
		got = append(got, b)
	}
	if len(got) != 2 || len(got[0]) != 2*sentTimeLen || got[1] != nil {
		t.Fatalf("sent_times %x", got)
	}
	for i, want := range []time.Time{a, b} {
		if s := binary.BigEndian.Uint32(got[0][i*sentTimeLen:]); int64(s) != want.Unix() {
			t.Errorf("event %d recorded %d, want %d", i, s, want.Unix())
		}
	}
}

// TestAResendGoesWithItsSentTime: an event whose request went unanswered
// (it may have arrived) is resent with the time it was sent with, though
// tonight's export dates it otherwise — Meta deduplicates on the time —
// and counted; so is one refused alone or whole since (decision: neither
// says the open request did not arrive). One only ever refused whole
// (recorded "rejected": nothing arrived), never sent, or of a destination
// that does not keep sent times goes with tonight's; the latest open
// request carrying an event decides.
func TestAResendGoesWithItsSentTime(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("S", 7)
	first := now.Add(-26 * time.Hour)
	second := first.Add(time.Hour)
	tonight := first.Add(2*time.Hour + 30*time.Second)
	dests := keeping()
	batch := func(at time.Time, ix ...int) []*conversion.Conversion {
		var out []*conversion.Conversion
		for _, i := range ix {
			out = append(out, metaEvent(ids[i], at))
		}
		return out
	}
	record(t, l, dests, batch(first, 0, 1, 2, 3), unanswered, "")
	record(t, l, dests, batch(second, 1), destination.Rejected, "retries_exhausted")
	record(t, l, dests, batch(first, 2), destination.Quarantined, destination.ReasonRejected)
	record(t, l, dests, batch(first, 3), destination.Accepted, "")
	record(t, l, dests, batch(first, 5), destination.Rejected, "stopped:190")
	record(t, l, dests, batch(first, 6), unanswered, "")
	record(t, l, dests, batch(second, 6), unanswered, "")
	got, n := filtered(t, l, dests, batch(tonight, 0, 1, 2, 3, 4, 5, 6)...)
	if len(got) != 6 {
		t.Fatalf("passed %d, want all but the accepted one", len(got))
	}
	for i, want := range []time.Time{first, first, first, tonight, tonight, second} {
		if !got[i].Time.Equal(want) {
			t.Errorf("event %s goes at %v, want %v", got[i].EventID, got[i].Time, want)
		}
		if got[i].Time.Location().String() != "CST" {
			t.Errorf("event %d lost its zone: %v", i, got[i].Time.Location())
		}
	}
	if n != (SentTimeCounts{Kept: 4}) {
		t.Errorf("counts %+v, want 4 kept", n)
	}
	// The same time as sent: nothing to count.
	if _, n := filtered(t, l, dests, batch(first, 0)...); n != (SentTimeCounts{}) {
		t.Errorf("an unchanged time was counted: %+v", n)
	}
	// A destination that does not keep them sends tonight's time.
	got, n = filtered(t, l, map[platform.Platform]Destination{platform.Meta: meta}, batch(tonight, 0)...)
	if len(got) != 1 || !got[0].Time.Equal(tonight) || n != (SentTimeCounts{}) {
		t.Errorf("without KeepSentTime: %v %+v", got, n)
	}
}

// TestARefusedRequestKeepsNoSentTime: night 1 the token has expired, the
// batch is recorded rejected (stopped:190) and nothing reached Meta;
// night 2 the clinic has corrected the visit time: the event goes with
// tonight's time, counted as nothing kept — as do bisection's refused
// parents and the batches cut or split to be resent.
func TestARefusedRequestKeepsNoSentTime(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("R", 3)
	first := now.Add(-20 * time.Hour)
	tonight := first.Add(3 * time.Hour)
	dests := keeping()
	for i, reason := range []string{"stopped:190", "resent", "systemic"} {
		record(t, l, dests, []*conversion.Conversion{metaEvent(ids[i], first)}, destination.Rejected, reason)
	}
	got, n := filtered(t, l, dests, metaEvent(ids[0], tonight), metaEvent(ids[1], tonight), metaEvent(ids[2], tonight))
	if len(got) != 3 {
		t.Fatalf("passed %d, want 3", len(got))
	}
	for _, c := range got {
		if !c.Time.Equal(tonight) {
			t.Errorf("%s goes at %v, sent with by a refused request; want tonight's %v", c.EventID, c.Time, tonight)
		}
	}
	if n != (SentTimeCounts{}) {
		t.Errorf("counts %+v, want none", n)
	}
}

// TestASentTimeOutsideTheDedupWindowIsNotKept: a request recorded more
// than Meta's 7 days ago is past its deduplication: its time would spare
// nothing, and could only age the event past what Meta takes; one inside
// the window keeps its time. Without a window named, the acceptance
// window bounds it.
func TestASentTimeOutsideTheDedupWindowIsNotKept(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("W", 2)
	dests := keeping()
	old, recent := t0.Add(-7*24*time.Hour-time.Minute), t0.Add(-7*24*time.Hour+time.Minute)
	now = old
	record(t, l, dests, []*conversion.Conversion{metaEvent(ids[0], old.Add(-time.Hour))}, unanswered, "")
	now = recent
	record(t, l, dests, []*conversion.Conversion{metaEvent(ids[1], recent.Add(-time.Hour))}, unanswered, "")
	now = t0
	tonight := t0.Add(-2 * time.Hour)
	got, n := filtered(t, l, dests, metaEvent(ids[0], tonight), metaEvent(ids[1], tonight))
	if len(got) != 2 || !got[0].Time.Equal(tonight) || !got[1].Time.Equal(recent.Add(-time.Hour)) {
		t.Fatalf("passed %v", got)
	}
	if n != (SentTimeCounts{Kept: 1}) {
		t.Errorf("counts %+v, want 1 kept", n)
	}
	d := dests[platform.Meta]
	d.DedupWindow = 0
	got, _ = filtered(t, l, map[platform.Platform]Destination{platform.Meta: d}, metaEvent(ids[0], tonight))
	if len(got) != 1 || !got[0].Time.Equal(old.Add(-time.Hour)) {
		t.Errorf("without a window, bounded by the acceptance window: %v", got)
	}
}

// TestAKeptTimeDatesTheClickNoLater: the fbc tonight's row builds is
// created at the visit or booking as the export dates it now; with an
// earlier kept event time, the click would come after the event it led
// to: it is created at the kept time instead. An fbc created earlier
// stays as it is.
func TestAKeptTimeDatesTheClickNoLater(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("F", 2)
	first := now.Add(-30 * time.Hour)
	tonight := first.Add(4 * time.Hour)
	dests := keeping()
	record(t, l, dests, []*conversion.Conversion{metaEvent(ids[0], first), metaEvent(ids[1], first)}, unanswered, "")
	late, early := metaEvent(ids[0], tonight), metaEvent(ids[1], tonight)
	late.Formatted = platform.MetaFBC("IwAR2F4-dbP0", tonight)
	early.Formatted = platform.MetaFBC("IwAR2F4-dbP0", first.Add(-time.Hour))
	keep := early.Formatted
	got, _ := filtered(t, l, dests, late, early)
	if len(got) != 2 {
		t.Fatalf("passed %d", len(got))
	}
	if want := platform.MetaFBC("IwAR2F4-dbP0", first); got[0].Formatted != want {
		t.Errorf("fbc %q, want %q: created no later than the kept event time", got[0].Formatted, want)
	}
	if got[1].Formatted != keep {
		t.Errorf("fbc %q, want it as built, %q", got[1].Formatted, keep)
	}
	for _, v := range []string{"", "fb.1.x.IwAR", "fb.2.99999999999999.IwAR", "fb.1.99999999999999"} {
		if got := fbcNotAfter(v, first); got != v {
			t.Errorf("fbcNotAfter(%q) = %q, want it unchanged", v, got)
		}
	}
}

// TestMigrationToV12: a schema 11 ledger's requests have no sent times:
// their unanswered events are resent with tonight's time, counted as
// such, never dated on a guess; a request sent after the upgrade records
// its times, and its resend goes with them.
func TestMigrationToV12(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	ids := evIDs("M", 2)
	first := now.Add(-5 * time.Hour)
	tonight := first.Add(45 * time.Minute)
	all := migrations
	migrations = all[:11]
	l, err := Open(ctx, path, clock(&now))
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	record(t, l, keeping(), []*conversion.Conversion{metaEvent(ids[0], first)}, unanswered, "")
	l.Close()
	migrations = all
	l = open(t, path, clock(&now))
	record(t, l, keeping(), []*conversion.Conversion{metaEvent(ids[1], first)}, unanswered, "")
	got, n := filtered(t, l, keeping(), metaEvent(ids[0], tonight), metaEvent(ids[1], tonight))
	if len(got) != 2 || !got[0].Time.Equal(tonight) || !got[1].Time.Equal(first) {
		t.Fatalf("after the upgrade: %v", got)
	}
	if n != (SentTimeCounts{Kept: 1, Unrecorded: 1}) {
		t.Errorf("counts %+v, want 1 kept, 1 unrecorded", n)
	}
}
