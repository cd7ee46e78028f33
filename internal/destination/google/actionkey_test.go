package google

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestAWrongBookingActionNamesItsOwnKey (review of bookings over many
// nights): Google names a refused destination by its place among the
// request's destinations (destinations[i].product_destination_id,
// INVALID_CONVERSION_ACTION_ID). A request of visits and bookings puts
// the bookings' action second, one of bookings alone first; the stop
// names the key of the action at that place —
// destinations.google.booking_conversion_action_id — not the visits'
// conversion_action_id, which is right (contract G5: every stop names
// the key to fix). A wrong visits' action still names its own key.
func TestAWrongBookingActionNamesItsOwnKey(t *testing.T) {
	const visitsKey = "destinations.google.conversion_action_id is not"
	const bookingsKey = "destinations.google.booking_conversion_action_id is not"
	for _, tc := range []struct {
		name     string
		known    string // the one account/action the fake knows
		bookings []bool // the batch, true for a booking
		at, key  string
	}{
		{"visits and bookings", "1234567890/987654321", []bool{false, true}, "destinations[1].product_destination_id", bookingsKey},
		{"bookings alone", "1234567890/987654321", []bool{true, true}, "destinations[0].product_destination_id", bookingsKey},
		{"visits alone", "1234567890/555000111", []bool{false, false}, "destinations[0].product_destination_id", visitsKey},
		{"the visits' action in a request of both", "1234567890/555000111", []bool{false, true}, "destinations[0].product_destination_id", visitsKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dm, c := fake(t, Config{BookingActionID: "555000111"}, nil)
			dm.Destinations = []string{tc.known}
			cs := convs(t, len(tc.bookings))
			for i, b := range tc.bookings {
				if b {
					cs[i].Booking, cs[i].Name, cs[i].HasValue = true, "Schedule", false
				}
			}
			_, err := c.Send(context.Background(), cs)
			var de *destination.Error
			if !errors.As(err, &de) || de.Reason != "INVALID_CONVERSION_ACTION_ID" || de.Field != tc.at {
				t.Fatalf("error %v", err)
			}
			other := visitsKey
			if tc.key == visitsKey {
				other = bookingsKey
			}
			if msg := err.Error(); !strings.Contains(msg, tc.key) || strings.Contains(msg, other) {
				t.Errorf("the stop does not name %q alone: %s", tc.key, msg)
			}
		})
	}
}

// TestAStopNamingNoDestinationNamesBothActions: an answer about a
// conversion action that names no destination, to a request that named
// two, may be about either: its fix names both keys. One naming a
// place beyond the request's destinations is left as the table says.
func TestAStopNamingNoDestinationNamesBothActions(t *testing.T) {
	two := []route{{refVisit, "1", platform.GoogleVisitAction}, {refBooking, "2", platform.GoogleBookingAction}}
	fix := func(field string, routes []route) string {
		de := &destination.Error{Reason: "NOT_FOUND", Field: field, Fix: "check destinations.google.operating_account and conversion_action_id"}
		return nameAction(de, routes).(*destination.Error).Fix
	}
	if got := fix("", two); got != "check destinations.google.operating_account and conversion_action_id or booking_conversion_action_id" {
		t.Errorf("no place, two actions: %s", got)
	}
	if got := fix("", two[1:]); got != "check destinations.google.operating_account and booking_conversion_action_id" {
		t.Errorf("no place, the bookings' action alone: %s", got)
	}
	if got := fix("destinations[2].product_destination_id", two); got != "check destinations.google.operating_account and conversion_action_id" {
		t.Errorf("a place beyond the request: %s", got)
	}
	c := &Client{cfg: Config{ConversionActionID: "1", BookingActionID: "2"}}
	if rs := c.routes([]*conversion.Conversion{{Booking: true}}); len(rs) != 1 || rs[0].key != platform.GoogleBookingAction {
		t.Errorf("routes of bookings alone: %+v", rs)
	}
}
