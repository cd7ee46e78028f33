package ledger

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// guarded runs convs through a new Filter of dests with the net and the
// time guard armed (warn: the guard only says), and returns what it
// passed on, Finish's error, and the Filter's MovedTimes.
func guarded(t *testing.T, l *Ledger, dests map[platform.Platform]Destination, warn bool, convs ...*conversion.Conversion) ([]*conversion.Conversion, error, []*MovedTimesError) {
	t.Helper()
	ctx := context.Background()
	var got collect
	f, err := NewFilter(ctx, l, dests, &got)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if !warn {
		if err := f.SetNet(ctx, Net{Min: 20, Sample: 1000}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SetTimeGuard(ctx, TimeGuard{Min: 5, Sample: 1000, Warn: warn}); err != nil {
		t.Fatal(err)
	}
	for _, c := range convs {
		if err := f.Write(c); err != nil {
			return got.got, err, nil
		}
	}
	err = f.Finish()
	return got.got, err, f.MovedTimes()
}

// TestKnownIDsAtOtherTimesStop: ten events Meta accepted come back, under
// the same ids, at other times (another branch's visits whose order ids
// collide in a shared ledger), with two new ones: the Filter stops with
// nothing passed on. The same ten at their own times — or a second off,
// as a restatement dated to the minute sends them — pass the new ones;
// so do two moved of ten, and bookings moved all.
func TestKnownIDsAtOtherTimesStop(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	ids, fresh := evIDs("K", 10), evIDs("N", 2)
	// Sent with seconds: the minute is what is compared.
	at := func(i int) time.Time {
		return t0.Add(-time.Duration(30+i) * time.Hour).Truncate(time.Minute).Add(20 * time.Second)
	}
	var batch []*conversion.Conversion
	for i, id := range ids {
		batch = append(batch, metaEvent(id, at(i)))
	}
	record(t, l, dests, batch, destination.Accepted, "")
	night := func(shift func(i int) time.Duration, booking bool) []*conversion.Conversion {
		var out []*conversion.Conversion
		for i, id := range ids {
			c := metaEvent(id, at(i).Add(shift(i)))
			c.Booking = booking
			out = append(out, c)
		}
		for _, id := range fresh {
			out = append(out, metaEvent(id, t0.Add(-time.Hour)))
		}
		return out
	}
	moved := func(int) time.Duration { return 3 * time.Hour }
	got, err, _ := guarded(t, l, dests, false, night(moved, false)...)
	var me *MovedTimesError
	if !errors.As(err, &me) || me.Moved != 10 || me.Compared != 10 || len(got) != 0 {
		t.Fatalf("moved: %v (%+v), %d passed on", err, me, len(got))
	}
	for name, shift := range map[string]func(int) time.Duration{
		"same times":   func(int) time.Duration { return 0 },
		"a second off": func(int) time.Duration { return time.Second },
		"two moved": func(i int) time.Duration {
			if i < 2 {
				return 24 * time.Hour
			}
			return 0
		},
	} {
		if got, err, _ := guarded(t, l, dests, false, night(shift, false)...); err != nil || len(got) != 2 {
			t.Errorf("%s: %v, %d passed on, want the 2 new", name, err, len(got))
		}
	}
	if got, err, _ := guarded(t, l, dests, false, night(moved, true)...); err != nil || len(got) != 2 {
		t.Errorf("bookings moved: %v, %d passed on, want the 2 new", err, len(got))
	}
	// --accept-moved-times: said, not stopped; once accepted, compared no more.
	got, err, found := guarded(t, l, dests, true, night(moved, false)...)
	if err != nil || len(got) != 2 || len(found) != 1 || found[0].Moved != 10 {
		t.Fatalf("warn: %v, %d passed on, found %v", err, len(got), found)
	}
	if err := l.AcceptMovedTimes(context.Background(), "tonight"); err != nil {
		t.Fatal(err)
	}
	if got, err, _ := guarded(t, l, dests, false, night(moved, false)...); err != nil || len(got) != 2 {
		t.Errorf("after the move was accepted: %v, %d passed on", err, len(got))
	}
}

// TestMovedCountBelowTheStop: two of ten accepted events come back at
// another time — fewer than the stop's five — and the night goes on; the
// Filter counts them (MovedCount) for the run report, where they went
// unsaid. A night the guard stops counts nothing: the stop says it.
func TestMovedCountBelowTheStop(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	ids := evIDs("K", 10)
	at := func(i int) time.Time { return t0.Add(-time.Duration(30+i) * time.Hour).Truncate(time.Minute) }
	var batch []*conversion.Conversion
	for i, id := range ids {
		batch = append(batch, metaEvent(id, at(i)))
	}
	record(t, l, dests, batch, destination.Accepted, "")
	count := func(moved int) (MovedCount, error) {
		ctx := context.Background()
		var got collect
		f, err := NewFilter(ctx, l, dests, &got)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := f.SetNet(ctx, Net{Min: 20, Sample: 1000}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetTimeGuard(ctx, TimeGuard{Min: 5, Sample: 1000}); err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			c := metaEvent(id, at(i))
			if i < moved {
				c.Time = c.Time.Add(24 * time.Hour)
			}
			if err := f.Write(c); err != nil {
				t.Fatal(err)
			}
		}
		err = f.Finish()
		return f.MovedCount(platform.Meta), err
	}
	if c, err := count(2); err != nil || c != (MovedCount{Moved: 2, Compared: 10}) {
		t.Errorf("two moved: %+v, %v; want 2 of 10 counted, no stop", c, err)
	}
	if c, err := count(0); err != nil || c != (MovedCount{Compared: 10}) {
		t.Errorf("none moved: %+v, %v", c, err)
	}
	if c, err := count(8); err == nil || c != (MovedCount{}) {
		t.Errorf("eight moved: %+v, %v; want the stop and no count", c, err)
	}
}

// TestAStoppedNightSendsNoBooking: bookings with new ids written before
// the visits whose times moved are held with them until the verdict: the
// guard stops and nothing, bookings included, was passed on. Passed
// (the same times), they go on with the rest. Held bookings are bounded
// as the sample is: at Sample of them the net decides and passes them on.
func TestAStoppedNightSendsNoBooking(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	ids, bookings := evIDs("K", 10), evIDs("B", 3)
	at := func(i int) time.Time { return t0.Add(-time.Duration(30+i) * time.Hour).Truncate(time.Minute) }
	var batch []*conversion.Conversion
	for i, id := range ids {
		batch = append(batch, metaEvent(id, at(i)))
	}
	record(t, l, dests, batch, destination.Accepted, "")
	night := func(shift time.Duration) []*conversion.Conversion {
		var out []*conversion.Conversion
		for _, id := range bookings {
			c := metaEvent(id, t0.Add(-2*time.Hour))
			c.Booking = true
			out = append(out, c)
		}
		for i, id := range ids {
			out = append(out, metaEvent(id, at(i).Add(shift)))
		}
		return out
	}
	got, err, _ := guarded(t, l, dests, false, night(3*time.Hour)...)
	var me *MovedTimesError
	if !errors.As(err, &me) || me.Moved != 10 || len(got) != 0 {
		t.Fatalf("moved: %v (%+v), %d passed on before the stop", err, me, len(got))
	}
	if got, err, _ := guarded(t, l, dests, false, night(0)...); err != nil || len(got) != 3 {
		t.Fatalf("same times: %v, %d passed on, want the 3 bookings", err, len(got))
	}

	ctx := context.Background()
	var out collect
	f, err := NewFilter(ctx, l, dests, &out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetNet(ctx, Net{Min: 20, Sample: 2}); err != nil {
		t.Fatal(err)
	}
	for _, c := range night(0)[:3] {
		if err := f.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if len(out.got) != 3 {
		t.Fatalf("%d bookings passed on before Finish, want all 3: the net decides at Sample bookings held", len(out.got))
	}
}
