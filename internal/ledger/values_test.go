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

func restating(restate bool) map[platform.Platform]Destination {
	k := eventid.NewValueKeyer("values-test-secret")
	d := google
	d.ValueKey = func(c *conversion.Conversion) uint64 { return k.Key(c.HasValue, c.Value, c.Currency) }
	d.Restate = restate
	return map[platform.Platform]Destination{platform.Google: d}
}

func visit(id eventid.ID, at time.Time, value float64) *conversion.Conversion {
	return &conversion.Conversion{Platform: platform.Google, EventID: id, Time: at, Value: value, HasValue: true, Currency: "TWD"}
}

// deliver sends batch through a Recorder and records Google's acceptance.
func deliver(t *testing.T, l *Ledger, dests map[platform.Platform]Destination, batch []*conversion.Conversion) string {
	t.Helper()
	ctx := context.Background()
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	rec := NewRecorder(ctx, l, run, dests)
	if err := rec.Sending(platform.Google, batch); err != nil {
		t.Fatal(err)
	}
	if err := rec.Sent(platform.Google, batch, "req-"+run, destination.Accepted, ""); err != nil {
		t.Fatal(err)
	}
	return run
}

// pass runs conversions through a new Filter and returns what it passed
// on and what it found to restate.
func pass(t *testing.T, l *Ledger, dests map[platform.Platform]Destination, convs ...*conversion.Conversion) ([]*conversion.Conversion, RestateCounts) {
	t.Helper()
	var c collect
	f, err := NewFilter(context.Background(), l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	for _, cv := range convs {
		if err := f.Write(cv); err != nil {
			t.Fatal(err)
		}
	}
	rc, err := f.Restated(platform.Google)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return c.got, rc
}

// TestRestateFeeChangeRefundAndVanished: a corrected fee and a refund to
// 0 are passed on again, marked Restate, with the id Google holds; the
// unchanged visit is not; a visit gone from the export, dated inside it,
// is counted, not guessed at; once the restatement is accepted, its value
// is the one compared, and the run lists the events as restated.
func TestRestateFeeChangeRefundAndVanished(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	dests := restating(true)
	ids := evIDs("v", 4)
	at := now.Add(-48 * time.Hour)
	deliver(t, l, dests, []*conversion.Conversion{visit(ids[0], at, 1000), visit(ids[1], at.Add(time.Hour), 1000),
		visit(ids[2], at.Add(2*time.Hour), 1000), visit(ids[3], at.Add(3*time.Hour), 1000)})

	// Restate off: recorded, never compared.
	if got, rc := pass(t, l, restating(false), visit(ids[0], at, 900)); len(got) != 0 || rc != (RestateCounts{}) {
		t.Fatalf("restate off passed %d, %+v", len(got), rc)
	}

	now = now.Add(24 * time.Hour)
	got, rc := pass(t, l, dests, visit(ids[0], at, 1000), visit(ids[1], at.Add(time.Hour), 1200),
		visit(ids[3], at.Add(3*time.Hour), 0))
	if len(got) != 2 || got[0].EventID != ids[1] || !got[0].Restate || got[1].EventID != ids[3] || !got[1].Restate || got[1].Value != 0 {
		t.Fatalf("passed %+v", got)
	}
	if rc != (RestateCounts{Restating: 2, Vanished: 1}) {
		t.Errorf("counts %+v, want 2 restating and 1 vanished (event 2)", rc)
	}
	// A fee cell emptied is not a refund: counted, not sent.
	blank := visit(ids[0], at, 0)
	blank.HasValue, blank.Currency = false, ""
	if got, rc := pass(t, l, dests, blank); len(got) != 0 || rc.ValueGone != 1 || rc.Restating != 0 {
		t.Errorf("an emptied value passed %d, %+v", len(got), rc)
	}
	// The same values in another currency are another value.
	if got, _ := pass(t, l, dests, &conversion.Conversion{Platform: platform.Google, EventID: ids[0], Time: at, Value: 1000, HasValue: true, Currency: "USD"}); len(got) != 1 {
		t.Errorf("a currency change was not restated")
	}

	run := deliver(t, l, dests, got)
	evs, err := l.Events(ctx, run)
	if err != nil || len(evs) != 2 || evs[0].State != StateRestated || evs[1].State != StateRestated {
		t.Fatalf("events of the restating run %+v %v", evs, err)
	}
	st, err := l.Stats(ctx)
	if err != nil || st.Events[google.Key][StateRestated] != 2 || st.Events[google.Key][StateAccepted] != 4 {
		t.Errorf("stats %+v %v", st.Events, err)
	}
	runs, _ := l.Runs(ctx, 10)
	if len(runs) != 2 || runs[0].Events[StateRestated] != 2 || runs[1].Events[StateRestated] != 0 {
		t.Errorf("runs %+v", runs)
	}
	// The restated values are now the ones held: nothing more to send.
	if got, rc := pass(t, l, dests, visit(ids[1], at.Add(time.Hour), 1200), visit(ids[3], at.Add(3*time.Hour), 0)); len(got) != 0 || rc.Restating != 0 {
		t.Errorf("after the restatement %d passed, %+v", len(got), rc)
	}
}

// TestRestateNeedsARecordedValue: events accepted before values were
// recorded are counted as not compared and never resent; one that failed
// processing is not Google's to adjust.
func TestRestateNeedsARecordedValue(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("w", 2)
	run, _ := l.StartRun(context.Background(), RunInfo{ToolVersion: "v6"})
	send(t, l, run, google, ids, StateAccepted, "") // no value keys: as before schema 7
	got, rc := pass(t, l, restating(true), visit(ids[0], now.Add(-time.Hour), 5), visit(ids[1], now.Add(-time.Hour), 7))
	if len(got) != 0 || rc != (RestateCounts{NoValueRecord: 2}) {
		t.Errorf("passed %d, %+v", len(got), rc)
	}
}

// TestMigrationToV7 : a schema 6 ledger gains the value columns; its
// requests have none, and a new request records them.
func TestMigrationToV7(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	all := migrations
	migrations = all[:6]
	l, err := Open(ctx, path, clock(&now))
	if err != nil {
		migrations = all
		t.Fatal(err)
	}
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "v6"})
	ids := evIDs("m", 3)
	send(t, l, run, google, ids, StateAccepted, "")
	l.Close()
	migrations = all
	l = open(t, path, clock(&now))
	st, err := l.Stats(ctx)
	if err != nil || st.SchemaVers != len(migrations) || st.Events[google.Key][StateAccepted] != 3 || st.Events[google.Key][StateRestated] != 0 {
		t.Fatalf("after the upgrade %+v %v", st, err)
	}
	dests := restating(true)
	_, rc := pass(t, l, dests, visit(ids[0], now.Add(-time.Hour), 1))
	if rc.NoValueRecord != 1 {
		t.Errorf("%+v", rc)
	}
	deliver(t, l, dests, []*conversion.Conversion{visit(evIDs("n", 1)[0], now.Add(-time.Hour), 1)})
	var n int
	l.db.QueryRow(`SELECT count(*) FROM requests WHERE value_keys IS NOT NULL`).Scan(&n)
	if n != 1 {
		t.Errorf("%d requests with value keys, want 1", n)
	}
}

// TestRestateUnderTheIDGoogleHolds: an event Google holds under its
// legacy id (the dual lookup finds it there) is restated under that id,
// not under the id the current derivation makes.
func TestRestateUnderTheIDGoogleHolds(t *testing.T) {
	ctx := context.Background()
	now := t0
	dests := restating(true)
	legacy, current := evIDs("LG", 2), evIDs("CU", 2)
	at := now.Add(-24 * time.Hour)
	l := legacyLedger(t, &now, func(l *Ledger, run string) {
		rec := NewRecorder(ctx, l, run, dests)
		batch := []*conversion.Conversion{visit(legacy[0], at, 500), visit(legacy[1], at, 500)}
		if err := rec.Sending(platform.Google, batch); err != nil {
			t.Fatal(err)
		}
		if err := rec.Sent(platform.Google, batch, "req", destination.Accepted, ""); err != nil {
			t.Fatal(err)
		}
	})
	var c collect
	f, err := NewFilter(ctx, l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.UseLegacyIDs(ctx); err != nil {
		t.Fatal(err)
	}
	for i, v := range []float64{500, 650} {
		cv := visit(current[i], at, v)
		cv.LegacyID = legacy[i]
		if err := f.Write(cv); err != nil {
			t.Fatal(err)
		}
	}
	rc, _ := f.Restated(platform.Google)
	f.Close()
	if len(c.got) != 1 || c.got[0].EventID != legacy[1] || !c.got[0].Restate || rc.Restating != 1 || rc.Vanished != 0 {
		t.Fatalf("passed %+v, %+v; want the changed one under its legacy id", c.got, rc)
	}
}
