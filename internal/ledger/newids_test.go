package ledger

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestMigrationFromMainV3: the ledger today's main writes (schema 3,
// testdata/ledger/main-ca6ab7a.db, 40 events to each destination) migrates
// to schema 4: its requests are marked as of the earlier id derivation,
// their newest event unknown, and nothing is lost.
func TestMigrationFromMainV3(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ledger", "main-ca6ab7a.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "l.db")
	os.WriteFile(path, data, 0o600)
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := open(t, path, clock(&now))
	st, err := l.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SchemaVers != len(migrations) || st.Events[meta.Key][StateAccepted] != 40 || st.Events[google.Key][StateAccepted] != 40 {
		t.Fatalf("migrated stats %+v", st)
	}
	through, err := l.legacyThrough(ctx)
	if err != nil || through != 2 {
		t.Fatalf("legacy_ids_through %d, %v; want 2 (both requests)", through, err)
	}
	var nulls int
	l.db.QueryRow(`SELECT count(*) FROM requests WHERE newest_event IS NULL`).Scan(&nulls)
	if nulls != 2 {
		t.Errorf("%d requests without a newest event, want 2", nulls)
	}
	// A new request records its newest event, and is not legacy.
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ev := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	rec := NewRecorder(ctx, l, run, map[platform.Platform]Destination{platform.Meta: meta})
	batch := []*conversion.Conversion{{Platform: platform.Meta, EventID: evIDs("N", 1)[0], Time: ev.Add(-time.Hour)}, {Platform: platform.Meta, EventID: evIDs("O", 1)[0], Time: ev}}
	if err := rec.Sending(platform.Meta, batch); err != nil {
		t.Fatal(err)
	}
	var got int64
	l.db.QueryRow(`SELECT newest_event FROM requests WHERE id = 3`).Scan(&got)
	if got != ev.UnixMilli() {
		t.Errorf("newest_event %d, want %d", got, ev.UnixMilli())
	}
	if through, _ := l.legacyThrough(ctx); through != 2 {
		t.Errorf("legacy_ids_through moved to %d", through)
	}
}

// legacyLedger records ids as hashgate did before schema 4: the requests
// fill writes are then marked as schemaV4's migration marks a schema 3
// ledger's (TestMigrationFromMainV3 migrates a real one).
func legacyLedger(t testing.TB, now *time.Time, fill func(l *Ledger, run string)) *Ledger {
	t.Helper()
	l, err := Open(context.Background(), filepath.Join(t.TempDir(), "l.db"), clock(now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	run, _ := l.StartRun(context.Background(), RunInfo{ToolVersion: "v3"})
	fill(l, run)
	if _, err := l.db.Exec(`UPDATE meta SET value = (SELECT CAST(max(id) AS TEXT) FROM requests) WHERE key = 'legacy_ids_through'`); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestDualLookup: a conversion counts as sent under either id; one the
// platform holds under its legacy id but never confirmed is sent again
// under that id, and remembered (an alias), so a later export whose
// legacy id differs again still finds it.
func TestDualLookup(t *testing.T) {
	ctx := context.Background()
	now := t0
	oldAcc, oldSent, fresh := evIDs("LA", 5), evIDs("LS", 3), evIDs("NEW", 4)
	l := legacyLedger(t, &now, func(l *Ledger, run string) {
		send(t, l, run, meta, oldAcc, StateAccepted, "")
		send(t, l, run, meta, oldSent, StateSent, "") // a crash: never answered
	})
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	conv := func(id, legacy eventid.ID) *conversion.Conversion {
		return &conversion.Conversion{Platform: platform.Meta, EventID: id, LegacyID: legacy, Time: t0.AddDate(0, 0, -3), RecordKey: 0xfeed}
	}
	var c collect
	f, err := NewFilter(ctx, l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.UseLegacyIDs(ctx); err != nil {
		t.Fatal(err)
	}
	newIDs := evIDs("CUR", 12)
	for i, id := range oldAcc {
		f.Write(conv(newIDs[i], id))
	}
	for i, id := range oldSent {
		f.Write(conv(newIDs[5+i], id))
	}
	for i, id := range fresh {
		f.Write(conv(newIDs[8+i], id))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if f.Skipped(platform.Meta) != 5 || len(c.got) != 7 {
		t.Fatalf("skipped %d, passed %d; want 5 and 7", f.Skipped(platform.Meta), len(c.got))
	}
	for i, cv := range c.got[:3] {
		if cv.EventID != oldSent[i] {
			t.Errorf("an unconfirmed event goes as %s, not under the id the platform holds (%s)", cv.EventID, oldSent[i])
		}
		if cv.RecordKey != 0 {
			t.Errorf("an event sent under its legacy id keeps the record key of the id it left (%x): the coverage would count it under that id's", cv.RecordKey)
		}
	}
	for i, cv := range c.got[3:] {
		if cv.EventID != newIDs[8+i] {
			t.Errorf("a new event goes as %s, want its own id", cv.EventID)
		}
		if cv.RecordKey != 0xfeed {
			t.Errorf("a new event lost its record key")
		}
	}
	// The export re-saved: its legacy ids are others now. The aliases
	// learnt above still find the five accepted and the three held.
	var c2 collect
	f2, _ := NewFilter(ctx, l, dests, &c2)
	if err := f2.UseLegacyIDs(ctx); err != nil {
		t.Fatal(err)
	}
	other := evIDs("RESAVED", 8)
	for i := range 8 {
		f2.Write(conv(newIDs[i], other[i]))
	}
	f2.Close()
	if f2.Skipped(platform.Meta) != 5 || len(c2.got) != 3 || c2.got[0].EventID != oldSent[0] {
		t.Fatalf("re-saved: skipped %d, passed %d", f2.Skipped(platform.Meta), len(c2.got))
	}
}

// TestDualLookupOffWhenItCannotMatter: a ledger without legacy requests
// (new, or pruned) never makes the second lookup.
func TestDualLookupOffWhenItCannotMatter(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	send(t, l, run, meta, evIDs("A", 3), StateAccepted, "")
	f, _ := NewFilter(ctx, l, map[platform.Platform]Destination{platform.Meta: meta}, &collect{})
	if err := f.UseLegacyIDs(ctx); err != nil {
		t.Fatal(err)
	}
	f.Write(&conversion.Conversion{Platform: platform.Meta, EventID: evIDs("B", 1)[0], LegacyID: evIDs("A", 1)[0], Time: t0})
	f.Close()
	if f.dual != 0 || f.Skipped(platform.Meta) != 0 {
		t.Fatalf("%d second lookups, %d skipped", f.dual, f.Skipped(platform.Meta))
	}
}

// TestNetStopsUnseenIDs: most conversions dated before what was delivered
// and unknown stop the run before anything passes; a few late entries, or
// conversions after the newest delivered, do not.
func TestNetStopsUnseenIDs(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	delivered := evIDs("D", 30)
	newestDelivered := t0.AddDate(0, 0, -2)
	req, err := l.SendingNewest(ctx, run, meta, delivered, newestDelivered)
	if err != nil {
		t.Fatal(err)
	}
	l.Answered(ctx, req, StateAccepted, "", "r")
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	try := func(ids []eventid.ID, at time.Time) (int, error) {
		var c collect
		f, _ := NewFilter(ctx, l, dests, &c)
		if err := f.SetNet(ctx, Net{Min: 20, Sample: 1000}); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if err := f.Write(&conversion.Conversion{Platform: platform.Meta, EventID: id, Time: at}); err != nil {
				return len(c.got), err
			}
		}
		err := f.Finish()
		f.Close()
		return len(c.got), err
	}
	// The same visits under other ids (a changed order id): stop.
	n, err := try(evIDs("X", 30), newestDelivered.Add(-time.Hour))
	var ne *NewIDsError
	if !errors.As(err, &ne) || n != 0 || ne.Unseen != 30 || ne.Conversions != 30 {
		t.Fatalf("changed ids: %d passed, %v", n, err)
	}
	// Delivered ones plus 19 late entries: under the minimum.
	if n, err := try(append(append([]eventid.ID{}, delivered...), evIDs("L", 19)...), newestDelivered.Add(-time.Hour)); err != nil || n != 19 {
		t.Fatalf("late entries: %d passed, %v", n, err)
	}
	// 25 late entries among 30 known: not more than half.
	if n, err := try(append(append([]eventid.ID{}, delivered...), evIDs("L", 25)...), newestDelivered.Add(-time.Hour)); err != nil || n != 25 {
		t.Fatalf("late entries among known: %d passed, %v", n, err)
	}
	// New visits, after the newest delivered: the nightly case.
	if n, err := try(evIDs("N", 50), newestDelivered.Add(time.Hour)); err != nil || n != 50 {
		t.Fatalf("new visits: %d passed, %v", n, err)
	}
	// A sample decides before the end: the first of a long run.
	if n, err := try(evIDs("Y", 1500), newestDelivered.Add(-time.Hour)); !errors.As(err, &ne) || n != 0 {
		t.Fatalf("long run: %d passed, %v", n, err)
	}
}

// BenchmarkFilterLookup measures the dual lookup's cost per conversion
// against a ledger window of 100,000 accepted events: "single" is a
// composite-id config on a ledger with no legacy requests (the lookup is
// skipped), "dual" one whose events all need the second lookup (the first
// night after the upgrade, the worst case: nothing found under the current
// id, every pair recorded as an alias), "aliased" the nights after, when
// the aliases find them.
func BenchmarkFilterLookup(b *testing.B) {
	ctx := context.Background()
	now := t0
	const n = 100_000
	accepted := evIDs("B", n)
	fill := func(l *Ledger) {
		run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "bench"})
		for i := 0; i < n; i += maxPacked {
			r, err := l.Sending(ctx, run, meta, accepted[i:min(n, i+maxPacked)])
			if err != nil {
				b.Fatal(err)
			}
			l.Answered(ctx, r, StateAccepted, "", "r")
		}
	}
	current := evIDs("C", n)
	for _, mode := range []string{"single", "dual", "aliased"} {
		b.Run(mode, func(b *testing.B) {
			l := legacyLedger(b, &now, func(l *Ledger, _ string) { fill(l) })
			if mode == "single" {
				l.db.Exec(`UPDATE meta SET value = '0' WHERE key = 'legacy_ids_through'`)
			}
			dests := map[platform.Platform]Destination{platform.Meta: meta}
			c := conversion.Conversion{Platform: platform.Meta, Time: t0}
			if mode == "aliased" {
				// The nights after the first: every event found through
				// the alias its first dual lookup recorded.
				f, _ := NewFilter(ctx, l, dests, &collect{})
				if err := f.UseLegacyIDs(ctx); err != nil {
					b.Fatal(err)
				}
				for i := range n {
					c.EventID, c.LegacyID = current[i], accepted[i]
					f.lookup(&c)
				}
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
			}
			f, err := NewFilter(ctx, l, dests, &collect{})
			if err != nil {
				b.Fatal(err)
			}
			if err := f.UseLegacyIDs(ctx); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				c.EventID, c.LegacyID = current[i%n], accepted[i%n]
				if _, err := f.lookup(&c); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			f.newAliases = nil
			f.Close()
		})
	}
}
