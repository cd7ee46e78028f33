package google

import (
	"errors"
	"regexp"
	"strconv"
	"sync"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// Bookings (conversion.bookings) go to a conversion action of their own
// (BookingActionID), visits to ConversionActionID. One events:ingest
// request may name several destinations, each with a "reference" unique
// within the request (destination.proto Destination.reference), and each
// event names the ones it goes to in destinationReferences — "If empty,
// the event will be sent to all destinations in the request" (event.proto
// Event.destination_references; googleapis/googleapis
// google/ads/datamanager/v1). So a batch of one kind names its one
// action and no reference — a request of visits is what it was before
// bookings — and a batch holding both names the two actions, "visit" and
// "booking", and every event its own.

// Destination references of a batch that holds both kinds.
const (
	refVisit   = "visit"
	refBooking = "booking"
)

// route is one destination of a request: its reference ("" when it is
// the only one), conversion action, and the action's config key
// (platform.GoogleVisitAction or GoogleBookingAction).
type route struct{ ref, action, key string }

// routes returns the destinations a batch needs.
func (c *Client) routes(batch []*conversion.Conversion) []route {
	visits, bookings := false, false
	for _, cv := range batch {
		if cv.Booking && c.cfg.BookingActionID != "" {
			bookings = true
		} else {
			visits = true
		}
	}
	visit := route{refVisit, c.cfg.ConversionActionID, platform.GoogleVisitAction}
	booking := route{refBooking, c.cfg.BookingActionID, platform.GoogleBookingAction}
	switch {
	case visits && bookings:
		return []route{visit, booking}
	case bookings:
		booking.ref = ""
		return []route{booking}
	}
	visit.ref = ""
	return []route{visit}
}

// eventRef is the reference an event names in a request with routes.
func eventRef(routes []route, cv *conversion.Conversion) string {
	if len(routes) < 2 {
		return ""
	}
	if cv.Booking {
		return refBooking
	}
	return refVisit
}

// SentTo names the conversion actions the request of batch names, in its
// order: what the ledger records with the request
// (ledger.Destination.SentTo), so that its processing status is judged
// against them (verdict), whatever the config says when it is read.
func (c *Client) SentTo(batch []*conversion.Conversion) []string {
	rs := c.routes(batch)
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.action
	}
	return out
}

// destPath reads a destination's place from a field path: Google names a
// refused destination by its index among the request's destinations
// (destinations[1].product_destination_id, INVALID_CONVERSION_ACTION_ID;
// the snake_case paths of BadRequest.fieldViolations, developers.google.
// com/data-manager/api/devguides/concepts/understand-errors). Compiled on
// first use, as eventPath is.
var destPath = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^destinations\[(\d+)\]`)
})

// nameAction makes a stop's fix name the config key of the conversion
// action the answer is about. The error table's fixes name the visits'
// action (platform.GoogleActionFix); a request holding bookings names the
// bookings' action too, second, and one of bookings alone names it first
// (routes), so the place Google names picks the key: a wrong
// booking_conversion_action_id was blamed on conversion_action_id
// (review of bookings over many nights). An answer that names no place,
// to a request of two actions, names both keys; one naming a place the
// request does not have is left as the table says.
func nameAction(err error, routes []route) error {
	var de *destination.Error
	if !errors.As(err, &de) || de.Fix == "" {
		return err
	}
	var keys []string
	if m := destPath().FindStringSubmatch(de.Field); m != nil {
		i, aerr := strconv.Atoi(m[1])
		if aerr != nil || i >= len(routes) {
			return err
		}
		keys = []string{routes[i].key}
	} else {
		for _, r := range routes {
			keys = append(keys, r.key)
		}
	}
	de.Fix = platform.GoogleActionFix(de.Fix, keys...)
	return err
}
