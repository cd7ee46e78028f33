package pipeline

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/report"
)

// legacyOf is, per line sent, the legacy id of its conversions (one a row).
func legacyOf(t *testing.T, c *capture) map[int]eventid.ID {
	t.Helper()
	out := map[int]eventid.ID{}
	for _, cv := range c.got {
		if was, ok := out[cv.Line]; ok && was != cv.LegacyID {
			t.Errorf("line %d: its conversions carry legacy ids %q and %q", cv.Line, was, cv.LegacyID)
		}
		out[cv.Line] = cv.LegacyID
	}
	return out
}

// TestAnOrderMixingSpellingsTakesItsLegacyIDInAnyRowOrder: an order whose
// rows spell its id otherwise — a text formula and plain text, a
// full-width and a plain id — sends one conversion a destination, which
// carries the legacy id of the row that has one whichever row comes
// first: the ledger then finds the visit sent under the older spelling.
// Two rows of different legacy ids give a text formula's (the spelling
// c55587c sent), else the smaller, in any order. An order whose rows
// agree in spelling keeps its own (none for plain ids).
func TestAnOrderMixingSpellingsTakesItsLegacyIDInAnyRowOrder(t *testing.T) {
	d := eventid.NewDeriver("k")
	wrapped, _ := d.Derive(`="A1"`)
	full, _ := d.Derive("Ａ2")
	wrapped3, _ := d.Derive(`="A3"`)
	full3, _ := d.Derive("Ａ3")
	zw5, _ := d.Derive("A5\u200b")
	full5, _ := d.Derive("Ａ5")
	if full3 > wrapped3 {
		t.Fatal("Ａ3's legacy id is no longer the smaller: the case would not tell a text formula's from the smaller")
	}
	row := func(id, mail string) string {
		return id + ",2026-11-02 09:00,completed," + mail + "@example.com,,,,,,,yes,\n"
	}
	cases := []struct {
		name string
		rows []string
		want eventid.ID
	}{
		{"formula", []string{row(`="A1"`, "a"), row("A1", "a")}, wrapped},
		{"full-width", []string{row("Ａ2", "b"), row("A2", "b")}, full},
		{"formula, full-width and plain", []string{row(`="A3"`, "c"), row("Ａ3", "c"), row("A3", "c")}, wrapped3},
		{"formula and full-width", []string{row(`="A3"`, "c"), row("Ａ3", "c")}, wrapped3},
		{"full-width and zero-width", []string{row("Ａ5", "e"), row("A5\u200b", "e"), row("A5", "e")}, min(full5, zw5)},
		{"plain", []string{row("A4", "d"), row("A4", "d")}, ""},
	}
	// The rows' records in memory, and spilled to disk (read back twice).
	defer func(n int) { orderRowsMemory = n }(orderRowsMemory)
	for i, c := range append(cases, cases...) {
		orderRowsMemory = 0
		if i >= len(cases) {
			orderRowsMemory = 64
		}
		for _, reverse := range []bool{false, true} {
			rows := append([]string(nil), c.rows...)
			if reverse {
				for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
					rows[i], rows[j] = rows[j], rows[i]
				}
			}
			sink, sum := run(t, baseConfig(), strings.Join(rows, "")+row("A9", "z"))
			got := legacyOf(t, sink)
			if len(got) != 2 || sum.Excluded[ReasonDuplicate] != len(rows)-1 {
				t.Errorf("%s reverse=%v: lines sent %v, duplicates %d; want one row of the order and A9's", c.name, reverse, got, sum.Excluded[ReasonDuplicate])
			}
			for line, id := range got {
				if line == len(rows)+2 { // A9, after the header and the order's rows
					if id != "" {
						t.Errorf("%s reverse=%v: a single plain order took legacy id %s", c.name, reverse, id)
					}
				} else if id != c.want {
					t.Errorf("%s reverse=%v: the order's conversions carry legacy id %q, want %q", c.name, reverse, id, c.want)
				}
			}
		}
	}
}

// TestTooManyOrdersMixingSpellingsStopBeforeSending: past maxMixedOrders
// such orders the run stops (a config error, exit 2) and sends nothing,
// rather than keep their legacy ids in memory however many there are.
func TestTooManyOrdersMixingSpellingsStopBeforeSending(t *testing.T) {
	defer func(n int) { maxMixedOrders = n }(maxMixedOrders)
	maxMixedOrders = 1
	body := `="A1",2026-11-02 09:00,completed,a@example.com,,,,,,,yes,` + "\n" +
		"A1,2026-11-02 09:00,completed,a@example.com,,,,,,,yes,\n" +
		"A2,2026-11-02 10:00,completed,b@example.com,,,,,,,yes,\n" +
		`="A2",2026-11-02 10:00,completed,b@example.com,,,,,,,yes,` + "\n"
	cfg := baseConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv", Sink: sink}, report.New("t.csv"))
	var ce *config.Error
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "2 orders spell their order id") || len(sink.got) != 0 {
		t.Fatalf("err %v, %d sent; want the stop, nothing sent", err, len(sink.got))
	}
	for _, v := range []string{"A1", "A2", "example.com"} {
		if strings.Contains(err.Error(), v) {
			t.Errorf("the stop quotes %q: %v", v, err)
		}
	}
}

// TestAnOrderMixingSpellingsTakesItsLegacyIDAtEachDestination: the
// order's conversion for a destination is its first row that reaches it
// (orderrows.go), so a wrapped row reaching Google alone and a plain one
// reaching Google and Meta send Meta the plain row's: it too carries the
// wrapped spelling's legacy id, in either row order.
func TestAnOrderMixingSpellingsTakesItsLegacyIDAtEachDestination(t *testing.T) {
	wrapped, _ := eventid.NewDeriver("k").Derive(`="S1"`)
	googleAlone := `="S1",2026-11-02 09:00,completed,,,,,,,,yes,` + unionGclid1
	both := "S1,2026-11-02 09:00,completed,ann@example.com,,,,,,,yes," + unionGclid1
	for _, rows := range [][]string{{googleAlone, both}, {both, googleAlone}} {
		cfg := baseConfig()
		cfg.Destinations.Google.Identifiers = nil // click ids only
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		sink := &capture{}
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + strings.Join(rows, "\n") + "\n"), InputName: "t.csv", Sink: sink}, report.New("t.csv")); err != nil {
			t.Fatal(err)
		}
		if len(sink.got) != 2 {
			t.Fatalf("%d conversions, want Google's and Meta's", len(sink.got))
		}
		for _, c := range sink.got {
			if c.LegacyID != wrapped {
				t.Errorf("wrapped row first=%v: %v's conversion (line %d) carries legacy id %q, want the wrapped spelling's", rows[0] == googleAlone, c.Platform, c.Line, c.LegacyID)
			}
		}
	}
}

// TestAnOrderMixingSpellingsTakesItsBookingsLegacyIDInAnyRowOrder: with
// bookings on, an order whose rows mix the spellings (="B1" and B1) sends
// its booking as one conversion a destination, and it carries the wrapped
// spelling's booking legacy id whichever row comes first, as its visits
// do. Before, the booking carried the legacy id of the row that sent it
// (its order's first), none with the plain row first: the ledger's dual
// lookup missed a booking an older hashgate sent under ="B1", and it was
// sent again (the session-29 review). Two legacy ids give a text
// formula's, as a visit's.
func TestAnOrderMixingSpellingsTakesItsBookingsLegacyIDInAnyRowOrder(t *testing.T) {
	d := eventid.NewDeriver("k")
	row := func(id string) string {
		return id + ",2026-11-02 09:00,completed,a@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n"
	}
	wrapped, _ := d.DeriveBooking(`="B1"`)
	wrappedVisit, _ := d.Derive(`="B1"`)
	wrapped3, _ := d.DeriveBooking(`="B3"`)
	full3, _ := d.DeriveBooking("Ｂ3")
	full5, _ := d.DeriveBooking("Ｂ5")
	full5Visit, _ := d.Derive("Ｂ5")
	if full3 > wrapped3 {
		t.Fatal("Ｂ3's legacy id is no longer the smaller: the case would not tell a text formula's from the smaller")
	}
	cases := []struct {
		name           string
		rows           []string
		booking, visit eventid.ID
	}{
		{"formula", []string{row(`="B1"`), row("B1")}, wrapped, wrappedVisit},
		{"formula and full-width", []string{row(`="B3"`), row("Ｂ3")}, wrapped3, ""},
		{"full-width and plain", []string{row("Ｂ5"), row("B5")}, full5, full5Visit},
		{"plain", []string{row("B4"), row("B4")}, "", ""},
	}
	for _, c := range cases {
		for _, reverse := range []bool{false, true} {
			rows := slices.Clone(c.rows)
			if reverse {
				slices.Reverse(rows)
			}
			got, _ := runBookings(t, bookingConfig(), bookingHeader, strings.Join(rows, ""), 1)
			bookings := 0
			for _, cv := range got.got {
				switch {
				case cv.Booking:
					bookings++
					if cv.LegacyID != c.booking {
						t.Errorf("%s reverse=%v: %v's booking carries legacy id %q, want %q", c.name, reverse, cv.Platform, cv.LegacyID, c.booking)
					}
				case c.visit != "" && cv.LegacyID != c.visit:
					t.Errorf("%s reverse=%v: %v's visit carries legacy id %q, want %q", c.name, reverse, cv.Platform, cv.LegacyID, c.visit)
				}
			}
			if bookings != 2 {
				t.Errorf("%s reverse=%v: %d bookings, want one to each destination", c.name, reverse, bookings)
			}
		}
	}
}

// TestAWrappedOrderWhoseRowSendsOnlyItsBookingIsNotMixed: an order's
// visits are compared among the rows that send a visit, its bookings
// among the rows that send a booking. A wrapped order (="B1" on every
// row) whose cancelled row sends its booking alone spells its id one way:
// it is not among the orders mixing spellings (maxMixedOrders, here 0,
// would stop the run), though that row carries no visit legacy id.
func TestAWrappedOrderWhoseRowSendsOnlyItsBookingIsNotMixed(t *testing.T) {
	defer func(n int) { maxMixedOrders = n }(maxMixedOrders)
	maxMixedOrders = 0
	for _, rows := range [][2]string{{"completed", "cancelled"}, {"cancelled", "completed"}} {
		body := ""
		for _, status := range rows {
			body += `="B1",2026-11-02 09:00,` + status + ",a@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n"
		}
		c, _ := runBookings(t, bookingConfig(), bookingHeader, body, 1)
		if len(c.got) != 4 {
			t.Errorf("%v: %d conversions, want a visit and a booking to each destination", rows, len(c.got))
		}
	}
}

// TestAnOrderMixedInItsVisitAndItsBookingCountsOnce: maxMixedOrders
// bounds orders, not kinds: an order whose visit and booking both mix
// their spellings is one order towards it (at the bound, it still runs).
func TestAnOrderMixedInItsVisitAndItsBookingCountsOnce(t *testing.T) {
	defer func(n int) { maxMixedOrders = n }(maxMixedOrders)
	maxMixedOrders = 1
	row := func(id string) string {
		return id + ",2026-11-02 09:00,completed,a@example.com,yes,," + bookingGCLID + ",2026-10-20 14:30\n"
	}
	c, _ := runBookings(t, bookingConfig(), bookingHeader, row("B1")+row(`="B1"`), 1)
	if len(c.got) != 4 {
		t.Errorf("%d conversions, want a visit and a booking to each destination", len(c.got))
	}
}

// TestACompositeOrderMixingSpellingsTakesTheFormulasLegacyID: with a
// composite order id every row carries a legacy id — a plain row its
// cells as written, a wrapped one (="C1") the formula's spelling, which
// c55587c sent the visit under. An order mixing the two carries the
// formula's, in either row order, whichever is the smaller: before, it
// took the smaller, and when that was the plain row's the ledger missed
// the visit and it went again (the session-29 review). Two prior
// spellings give the smaller. Each row's own legacy id is read from a
// run of that row alone.
func TestACompositeOrderMixingSpellingsTakesTheFormulasLegacyID(t *testing.T) {
	cfg := func() *config.Config {
		c := baseConfig()
		c.Input.Columns.OrderID = []string{"id", "at"}
		return c
	}
	row := func(id, mail string) string {
		return id + ",2026-11-02 09:00,completed," + mail + "@example.com,,,,,,,yes,\n"
	}
	alone := func(r string) eventid.ID {
		got := legacyOf(t, first(run(t, cfg(), r)))
		if len(got) != 1 {
			t.Fatalf("a row alone sent lines %v", got)
		}
		for _, id := range got {
			return id
		}
		return ""
	}
	plainSmaller := 0
	for i := range 16 { // of which some have the plain row's the smaller
		id := "C" + strconv.Itoa(i+1)
		wrapped, plain := row(`="`+id+`"`, id), row(id, id)
		want, other := alone(wrapped), alone(plain)
		if want == "" || other == "" || want == other {
			t.Fatalf("%s: the wrapped row's legacy id %q and the plain row's %q; want two different ones", id, want, other)
		}
		if other < want {
			plainSmaller++
		}
		for _, rows := range [][]string{{wrapped, plain}, {plain, wrapped}, {plain, wrapped, plain}} {
			got := legacyOf(t, first(run(t, cfg(), strings.Join(rows, ""))))
			if len(got) != 1 {
				t.Fatalf("%s %d rows: lines sent %v; want one", id, len(rows), got)
			}
			for line, l := range got {
				if l != want {
					t.Errorf("%s: sent from line %d of %d rows, the order carries legacy id %q, want the formula's %q (the plain row's %q)", id, line, len(rows), l, want, other)
				}
			}
		}
	}
	if plainSmaller == 0 {
		t.Fatal("no order whose plain row's legacy id is the smaller: the test would not tell the formula's from the smaller")
	}
	// Two prior spellings of one order — a formula, and a part with a
	// zero-width space the release before kept (rowKey.prior both) —
	// give the smaller of their two, in either row order.
	a, b := row(`="D1"`, "d"), row("D1\u200b", "d")
	la, lb := alone(a), alone(b)
	if la == "" || lb == "" || la == lb {
		t.Fatalf("the two prior spellings' legacy ids %q and %q; want two different ones", la, lb)
	}
	for _, rows := range [][]string{{a, b}, {b, a}} {
		for line, l := range legacyOf(t, first(run(t, cfg(), strings.Join(rows, "")))) {
			if l != min(la, lb) {
				t.Errorf("two prior spellings, sent from line %d: the order carries legacy id %q, want the smaller of %q and %q", line, l, la, lb)
			}
		}
	}
}

func first(c *capture, _ *report.Summary) *capture { return c }
