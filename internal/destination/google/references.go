package google

import "github.com/hashgate/hashgate/internal/conversion"

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
// the only one) and conversion action.
type route struct{ ref, action string }

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
	switch {
	case visits && bookings:
		return []route{{refVisit, c.cfg.ConversionActionID}, {refBooking, c.cfg.BookingActionID}}
	case bookings:
		return []route{{"", c.cfg.BookingActionID}}
	}
	return []route{{"", c.cfg.ConversionActionID}}
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
