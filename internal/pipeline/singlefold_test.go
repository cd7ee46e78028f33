package pipeline

import (
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
)

// TestASingleColumnOrderIDIsFolded: a single-column order id typed in an
// IME's full-width mode, or pasted from a chat with a zero-width space or
// a soft hyphen, is the order its plain spelling names: the same event id
// (its spelling as written kept as the legacy id, which a ledger made
// before looks up), and one order within a run. Before, each spelling
// was another event id (sent again, exit 0) and the rows of one export
// two orders. Case and leading zeros still tell orders apart.
func TestASingleColumnOrderIDIsFolded(t *testing.T) {
	d := eventid.NewDeriver("k")
	plain, _ := d.Derive("A1")
	for _, s := range []string{"Ａ１", "A1\u200b", "\u200bA1", "A\u00ad1", "A\u20601", "\ufeffA1", "\u00a0Ａ1\u200d"} {
		sink, _ := runWith(t, baseConfig(), header, s+",2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
		if len(sink.got) == 0 {
			t.Fatalf("%q: no conversion", s)
		}
		written, _ := d.Derive(s)
		if s[0] == 0xc2 { // the no-break space is trimmed as written, as white space always was
			written, _ = d.Derive("Ａ1\u200d")
		}
		if got := sink.got[0]; got.EventID != plain || got.LegacyID != written {
			t.Errorf("%q: ids %s (legacy %s), want %s (%s)", s, got.EventID, got.LegacyID, plain, written)
		}
	}
	for _, s := range []string{"a1", "01", "A 1"} {
		sink, _ := runWith(t, baseConfig(), header, s+",2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
		if got := sink.got[0]; got.EventID == plain || got.LegacyID != "" {
			t.Errorf("%q folded: %s (legacy %q)", s, got.EventID, got.LegacyID)
		}
	}
	// One export holding both spellings: one order.
	once, _ := runWith(t, baseConfig(), header, "A1,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
	sink, sum := runWith(t, baseConfig(), header,
		"A1,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n"+
			"Ａ１,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n"+
			"A1\u200b,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
	if len(sink.got) != len(once.got) || sum.Excluded[ReasonDuplicate] != 2 {
		t.Errorf("%d conversions, excluded %v; want 1 and two duplicate_order", len(sink.got), sum.Excluded)
	}
	// An id of nothing but a zero-width space is no id.
	_, sum = runWith(t, baseConfig(), header, "\u200b,2026-10-01 09:00,completed,a@example.com,,,,,,,yes,\n")
	if sum.Excluded[ReasonMissingOrderID] != 1 {
		t.Errorf("an invisible id: excluded %v", sum.Excluded)
	}
}

// TestASingleColumnBookingKeepsItsLegacyID: the booking of a row whose
// single-column id folds (Ｂ１) goes under the plain spelling's booking id,
// carrying the id as written as its legacy id (which a ledger made before
// holds); the plain spelling's booking carries none.
func TestASingleColumnBookingKeepsItsLegacyID(t *testing.T) {
	row := func(id string) string {
		return id + ",2026-11-02 09:00,completed,a@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n"
	}
	bookings := func(c *capture) (ids, legacy []string) {
		for _, cv := range c.got {
			if cv.Booking {
				ids, legacy = append(ids, string(cv.EventID)), append(legacy, string(cv.LegacyID))
			}
		}
		return ids, legacy
	}
	plain, _ := runBookings(t, bookingConfig(), bookingHeader, row("B1"), 1)
	wide, _ := runBookings(t, bookingConfig(), bookingHeader, row("Ｂ１"), 1)
	pid, pleg := bookings(plain)
	wid, wleg := bookings(wide)
	d := eventid.NewDeriver("k")
	written, _ := d.DeriveBooking("Ｂ１")
	if len(pid) == 0 || len(wid) != len(pid) {
		t.Fatalf("bookings %v and %v", pid, wid)
	}
	for i := range pid {
		if wid[i] != pid[i] || pleg[i] != "" || wleg[i] != string(written) {
			t.Errorf("booking %d: %s (legacy %q), plainly %s (legacy %q); want the same id, legacy %s", i, wid[i], wleg[i], pid[i], pleg[i], written)
		}
	}
}
