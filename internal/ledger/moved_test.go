package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestEventsDatedLaterThanTheirSendingAreFound: events accepted long
// before the window opened (200 days ago), dated inside it tonight — a
// booking dated by its appointment once booked_at is blank, a visit whose
// date was corrected — are already accepted, whether or not an old-dated
// conversion loaded the older acceptances first. Before, the window's set
// alone answered for them, and all 40 were sent again to Google and 20 to
// Meta. TestTheOlderAcceptancesAreAskedEachWay (oldfilter_test.go) plays
// it through each way the older acceptances are asked.
func TestEventsDatedLaterThanTheirSendingAreFound(t *testing.T) {
	movedEvents(t, func(t *testing.T, f *Filter, oldFirst bool) {})
}

// movedEvents plays TestEventsDatedLaterThanTheirSendingAreFound, with
// and without an old-dated conversion first; check looks at the Filter
// before it is closed.
func movedEvents(t *testing.T, check func(t *testing.T, f *Filter, oldFirst bool)) {
	for _, c := range []struct {
		name     string
		oldFirst bool // an old-dated conversion loads the older set first
	}{{"window-dated only", false}, {"older set loaded first", true}} {
		t.Run(c.name, func(t *testing.T) {
			now := t0.AddDate(0, 0, -200)
			l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
			old, fresh := evIDs("O", 40), evIDs("F", 40)
			send(t, l, "old-g", google, old, StateAccepted, "")
			send(t, l, "old-m", meta, old[:20], StateAccepted, "")
			now = t0
			dests := map[platform.Platform]Destination{platform.Google: google, platform.Meta: meta}
			var got collect
			f, err := NewFilter(context.Background(), l, dests, &got)
			if err != nil {
				t.Fatal(err)
			}
			if c.oldFirst {
				if err := f.Write(&conversion.Conversion{Platform: platform.Google, EventID: fresh[0], Time: t0.AddDate(0, 0, -150)}); err != nil {
					t.Fatal(err)
				}
			}
			tonight := t0.Add(-20 * time.Hour)
			for _, ids := range [][]eventid.ID{old, fresh[1:]} {
				for _, id := range ids {
					for _, p := range []platform.Platform{platform.Google, platform.Meta} {
						if err := f.Write(&conversion.Conversion{Platform: p, EventID: id, Time: tonight}); err != nil {
							t.Fatal(err)
						}
					}
				}
			}
			if err := f.Finish(); err != nil {
				t.Fatal(err)
			}
			sentBefore := map[platform.Platform]map[eventid.ID]bool{platform.Google: {}, platform.Meta: {}}
			for i, id := range old {
				sentBefore[platform.Google][id] = true
				sentBefore[platform.Meta][id] = i < 20
			}
			passed := map[platform.Platform]int{}
			for _, cv := range got.got {
				passed[cv.Platform]++
				if sentBefore[cv.Platform][cv.EventID] {
					t.Errorf("%s %s, accepted 200 days ago, passed on", cv.Platform, cv.EventID)
				}
			}
			// Google: 39 fresh (+1 old-dated fresh); Meta: 39 fresh and the
			// 20 old ones it never accepted.
			wantG := 39
			if c.oldFirst {
				wantG++
			}
			if passed[platform.Google] != wantG || passed[platform.Meta] != 59 {
				t.Errorf("passed %v, want google %d, meta 59", passed, wantG)
			}
			if f.Skipped(platform.Google) != 40 || f.Skipped(platform.Meta) != 20 {
				t.Errorf("skipped google %d, meta %d, want 40 and 20", f.Skipped(platform.Google), f.Skipped(platform.Meta))
			}
			check(t, f, c.oldFirst)
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestMovedEventsUnderTheDualLookup: with the dual lookup of legacy ids
// on (a composite order id, requests of the earlier derivation within
// retention), an event dated inside its window that was accepted long
// ago — under its id or under its legacy one — is found too, and one
// never accepted is sent.
func TestMovedEventsUnderTheDualLookup(t *testing.T) {
	ctx := context.Background()
	now := t0.AddDate(0, 0, -200)
	legacy, current, fresh := evIDs("LA", 5), evIDs("CA", 5), evIDs("NEW", 5)
	l := legacyLedger(t, &now, func(l *Ledger, run string) {
		send(t, l, run, meta, legacy, StateAccepted, "")
	})
	send(t, l, "after-v4", meta, current, StateAccepted, "")
	now = t0
	var c collect
	f, err := NewFilter(ctx, l, map[platform.Platform]Destination{platform.Meta: meta}, &c)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.UseLegacyIDs(ctx); err != nil {
		t.Fatal(err)
	}
	others := evIDs("OTHER", 15)
	tonight := t0.AddDate(0, 0, -3)
	write := func(id, leg eventid.ID) {
		if err := f.Write(&conversion.Conversion{Platform: platform.Meta, EventID: id, LegacyID: leg, Time: tonight}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 5 {
		write(current[i], others[i])  // accepted under its id
		write(others[5+i], legacy[i]) // accepted under its legacy id
		write(fresh[i], others[10+i]) // never
	}
	if err := f.Finish(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if f.Skipped(platform.Meta) != 10 || len(c.got) != 5 {
		t.Fatalf("skipped %d, passed %d; want 10 and 5", f.Skipped(platform.Meta), len(c.got))
	}
	for i, cv := range c.got {
		if cv.EventID != fresh[i] {
			t.Errorf("passed %s, want the new %s", cv.EventID, fresh[i])
		}
	}
}

// TestEachDestinationsRecentSetStartsAtItsWindow: with Google's window
// (90 days) and Meta's (62) side by side, the recent set holds each
// destination's acceptances from its own window on (a week and a day
// before it), and the Filter finds Meta's older ones — 80 days old, which
// the recent set held whole before — among the older acceptances: each
// event sent 80 days ago and dated tonight, or on an old date, is skipped
// on both platforms, and a new one is passed on.
func TestEachDestinationsRecentSetStartsAtItsWindow(t *testing.T) {
	for _, oldFirst := range []bool{false, true} {
		now := t0.AddDate(0, 0, -80)
		l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
		sent, fresh := evIDs("S", 10), evIDs("N", 2)
		send(t, l, "g", google, sent, StateAccepted, "")
		send(t, l, "m", meta, sent, StateAccepted, "")
		now = t0
		var got collect
		f, err := NewFilter(context.Background(), l, map[platform.Platform]Destination{platform.Google: google, platform.Meta: meta}, &got)
		if err != nil {
			t.Fatal(err)
		}
		for p, d := range map[platform.Platform]Destination{platform.Google: google, platform.Meta: meta} {
			k, _ := idKey(sent[0], salt(d.Key))
			if in, _ := f.recent.Has(k); in != (p == platform.Google) {
				t.Errorf("%s's acceptance of 80 days ago in the recent set: %v", p, in)
			}
		}
		if oldFirst {
			// An old-dated event loads the older acceptances whole.
			if err := f.Write(&conversion.Conversion{Platform: platform.Meta, EventID: fresh[0], Time: t0.AddDate(0, 0, -75)}); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range append(append([]eventid.ID{}, sent...), fresh[1]) {
			for _, p := range []platform.Platform{platform.Google, platform.Meta} {
				if err := f.Write(&conversion.Conversion{Platform: p, EventID: id, Time: t0.Add(-20 * time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.Finish(); err != nil {
			t.Fatal(err)
		}
		if f.Skipped(platform.Google) != 10 || f.Skipped(platform.Meta) != 10 {
			t.Errorf("old first %v: skipped google %d, meta %d, want 10 each", oldFirst, f.Skipped(platform.Google), f.Skipped(platform.Meta))
		}
		for _, cv := range got.got {
			if cv.EventID != fresh[0] && cv.EventID != fresh[1] {
				t.Errorf("old first %v: %s %s, accepted 80 days ago, passed on", oldFirst, cv.Platform, cv.EventID)
			}
		}
		if want := 2; oldFirst && len(got.got) != want+1 || !oldFirst && len(got.got) != want {
			t.Errorf("old first %v: passed %d", oldFirst, len(got.got))
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
