package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestOldBloomRulesOutNewKeys: every key added passes, and about 1 in
// 1,000 of the keys never added do, fewer than 1 in 600 (the rate the held
// events and pendingMax are sized for).
func TestOldBloomRulesOutNewKeys(t *testing.T) {
	const n = 200000
	b := newOldBloom(n)
	defer b.close()
	k := uint64(0x243f6a8885a308d3)
	next := func() uint64 { k = k*6364136223846793005 + 1442695040888963407; return mix64(k) }
	added := make([]uint64, n)
	for i := range added {
		added[i] = next()
		b.add(added[i])
	}
	for _, a := range added {
		if !b.may(a) {
			t.Fatalf("key %x added, not found", a)
		}
	}
	fp := 0
	for range n {
		if b.may(next()) {
			fp++
		}
	}
	if fp > n/600 {
		t.Errorf("%d of %d keys never added pass the filter (%.2g), want under 1 in 600", fp, n, float64(fp)/n)
	}
	t.Logf("false positives: %d of %d", fp, n)
	if e := newOldBloom(0); e.may(1) || e.may(0) {
		t.Error("an empty filter passes a key")
	}
}

// mix64 is splitmix64's finaliser: test keys spread like HMAC output.
func mix64(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// TestTheOlderAcceptancesAreAskedEachWay plays
// TestEventsDatedLaterThanTheirSendingAreFound through each way the
// Filter asks the older acceptances: the Bloom filter, then one read at
// Finish for the events it held; the older set loaded whole once more
// than pendingMax are held; or loaded whole already, by an old-dated
// conversion.
func TestTheOlderAcceptancesAreAskedEachWay(t *testing.T) {
	t.Run("filtered and held", func(t *testing.T) {
		movedEvents(t, func(t *testing.T, f *Filter, oldFirst bool) {
			switch {
			case f.oldMay != nil:
				t.Error("the filter is kept after Finish")
			case oldFirst:
				if f.settled != 0 {
					t.Errorf("the older set was loaded, yet %d events were held", f.settled)
				}
			case f.old != nil || f.settled < 60:
				t.Errorf("%d events held for the older acceptances, want the 60 accepted; older set loaded: %v", f.settled, f.old != nil)
			}
		})
	})
	t.Run("held past pendingMax", func(t *testing.T) {
		defer func(n int) { pendingMax = n }(pendingMax)
		pendingMax = 5
		movedEvents(t, func(t *testing.T, f *Filter, oldFirst bool) {
			if f.old == nil || f.oldMay != nil {
				t.Error("past pendingMax held events, the older set was not loaded in the filter's place")
			}
		})
	})
}

// TestAHeldEventNeverAcceptedIsSent: an event the filter could not rule
// out but that the older acceptances do not hold (one in about a thousand
// new events) is passed on at Finish, not counted as already accepted, as
// it was written: a copy, not the conversion the pipeline reuses.
func TestAHeldEventNeverAcceptedIsSent(t *testing.T) {
	now := t0.AddDate(0, 0, -200)
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	old, fresh := evIDs("O", 3), evIDs("F", 2)
	send(t, l, "old", meta, old, StateAccepted, "")
	now = t0
	var got collect
	f, err := NewFilter(context.Background(), l, map[platform.Platform]Destination{platform.Meta: meta}, &got)
	if err != nil {
		t.Fatal(err)
	}
	tonight := t0.Add(-20 * time.Hour)
	mail, _ := identifier.Prepare(identifier.Meta, identifier.Email, "held@example.com", identifier.Options{})
	other, _ := identifier.Prepare(identifier.Meta, identifier.Email, "next@example.com", identifier.Options{})
	for _, id := range append(append([]eventid.ID{}, old...), fresh...) {
		// Held as the filter's false positives are, whatever it says.
		c := &conversion.Conversion{Platform: platform.Meta, EventID: id, Time: tonight, Identifiers: []identifier.Sent{mail},
			Line: 7, Value: 42.5, HasValue: true, Currency: "TWD", Prepared: []byte("prepared")}
		if err := f.hold(c); err != nil {
			t.Fatal(err)
		}
		c.Identifiers[0] = other // the pipeline reuses its conversions (sink.Sink)
	}
	if len(got.got) != 0 {
		t.Fatalf("%d held events passed before Finish", len(got.got))
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	if len(got.got) != 2 || got.got[0].EventID != fresh[0] || got.got[1].EventID != fresh[1] || f.Skipped(platform.Meta) != 3 {
		t.Fatalf("passed %d (want the 2 never accepted), skipped %d (want 3)", len(got.got), f.Skipped(platform.Meta))
	}
	if got.got[0].Identifiers[0] != mail {
		t.Error("a held event carries the identifiers of the conversion written after it")
	}
	// Held as the pipeline holds its rows (conversion.Codec): read back whole.
	if g := got.got[1]; !g.Time.Equal(tonight) || g.Time.Location() != tonight.Location() || g.Line != 7 || g.Value != 42.5 || !g.HasValue ||
		g.Currency != "TWD" || string(g.Prepared) != "prepared" || len(g.Identifiers) != 1 || g.Platform != platform.Meta {
		t.Errorf("a held event read back as %+v", g)
	}
	f.Close()
}

// TestFinishLetsTheSetsGo: Finish releases the recent acceptances (its
// read of the older ones comes after, at the upload's end), and a
// conversion written after it is an error, never passed on as new.
func TestFinishLetsTheSetsGo(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("A", 3)
	send(t, l, "run", meta, ids, StateAccepted, "")
	var got collect
	f, err := NewFilter(context.Background(), l, map[platform.Platform]Destination{platform.Meta: meta}, &got)
	if err != nil {
		t.Fatal(err)
	}
	c := &conversion.Conversion{Platform: platform.Meta, EventID: ids[0], Time: t0.Add(-time.Hour)}
	if err := f.Write(c); err != nil || f.Skipped(platform.Meta) != 1 {
		t.Fatalf("before Finish: %v, skipped %d", err, f.Skipped(platform.Meta))
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	if f.recent != nil || f.oldMay != nil {
		t.Error("Finish kept a set")
	}
	if err := f.Write(c); err == nil || len(got.got) != 0 {
		t.Errorf("a Write after Finish: %v, %d passed on", err, len(got.got))
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestManyHeldEventsLoadTheOlderAcceptancesBounded: more than pendingMax
// events held for the older acceptances load them into a keyset.Set, whose
// memory is bounded, once they are more than oldSortedMax — never into a
// sorted array of them all (session 21: a year-full ledger's 3.3M older
// keys, 20 MB more than the held events spared) — and every one of them is
// still found accepted.
func TestManyHeldEventsLoadTheOlderAcceptancesBounded(t *testing.T) {
	defer func(p int, m int64) { pendingMax, oldSortedMax = p, m }(pendingMax, oldSortedMax)
	pendingMax, oldSortedMax = 8, 100
	ctx := context.Background()
	now := t0.Add(-200 * 24 * time.Hour)
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	ids := evIDs("O", 500)
	for i := 0; i < len(ids); i += 100 {
		send(t, l, run, meta, ids[i:i+100], StateAccepted, "")
	}
	now = t0
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	var c collect
	f, err := NewFilter(ctx, l, dests, &c)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, id := range ids[:50] { // sent 200 days ago, dated yesterday now
		if err := f.Write(&conversion.Conversion{Platform: platform.Meta, EventID: id, Time: now.Add(-24 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	if len(c.got) != 0 || f.Skipped(platform.Meta) != 50 {
		t.Errorf("passed %d, skipped %d; want 0 and 50", len(c.got), f.Skipped(platform.Meta))
	}
	if _, ok := f.old.(bigSet); !ok {
		t.Errorf("the older acceptances loaded as %T, want a keyset.Set (bigSet): memory grows with the ledger", f.old)
	}
}
