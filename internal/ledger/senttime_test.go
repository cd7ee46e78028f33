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

// keeping is meta with its sent times kept, as run sets it for Meta.
func keeping() map[platform.Platform]Destination {
	d := meta
	d.KeepSentTime = true
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
// (or was refused whole: it may have arrived) is resent with the time it
// was sent with, though tonight's export dates it otherwise — Meta
// deduplicates on the time — and counted; one the platform refused on its
// own since, or of a destination that does not keep sent times, goes
// with tonight's; the latest request carrying an event decides.
func TestAResendGoesWithItsSentTime(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("S", 5)
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
	got, n := filtered(t, l, dests, batch(tonight, 0, 1, 2, 3, 4)...)
	if len(got) != 4 {
		t.Fatalf("passed %d, want all but the accepted one", len(got))
	}
	for i, want := range []time.Time{first, second, tonight, tonight} {
		if !got[i].Time.Equal(want) {
			t.Errorf("event %d goes at %v, want %v", i, got[i].Time, want)
		}
		if got[i].Time.Location().String() != "CST" {
			t.Errorf("event %d lost its zone: %v", i, got[i].Time.Location())
		}
	}
	if n != (SentTimeCounts{Kept: 2}) {
		t.Errorf("counts %+v, want 2 kept", n)
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

// TestAProcessingFailureResendKeepsItsSentTime: of an accepted request,
// the event that failed processing with a reason a resend can overcome is
// resent with the time it was sent with (an unplaced failure may have
// been processed); the one processed is not resent at all.
func TestAProcessingFailureResendKeepsItsSentTime(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("P", 2)
	first := now.Add(-7 * time.Hour)
	tonight := first.Add(-3 * time.Hour)
	dests := keeping()
	record(t, l, dests, []*conversion.Conversion{metaEvent(ids[0], first), metaEvent(ids[1], first)}, destination.Accepted, "")
	var req int64
	if err := l.db.QueryRowContext(ctx, `SELECT max(id) FROM requests`).Scan(&req); err != nil {
		t.Fatal(err)
	}
	v := destination.Processing{Status: "FAILED", Final: true, Records: 2, Errors: []destination.ReasonCount{{Reason: "SOMETHING_TRANSIENT", Records: 1, Indices: []int{1}, Retry: true}}}
	if err := l.RecordPoll(ctx, Poll{Request: req, At: now, Verdict: v}); err != nil {
		t.Fatal(err)
	}
	got, n := filtered(t, l, dests, metaEvent(ids[0], tonight), metaEvent(ids[1], tonight))
	if len(got) != 1 || got[0].EventID != ids[1] || !got[0].Time.Equal(first) || n != (SentTimeCounts{Kept: 1}) {
		t.Fatalf("passed %v, counts %+v", got, n)
	}
}
