package config

import (
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/phi"
)

// Bookings is conversion.bookings: each booking sent once, when it is
// made, as a conversion of its own (issue 27 point 3). A booking is an
// earlier signal than the visit it leads to, whatever becomes of it
// (cancelled, no-show); bidding learns from it weeks sooner.
type Bookings struct {
	Enabled bool `mapstructure:"enabled"`
	// EventName is the event bookings are sent as to Meta, and their
	// name in the review CSV and manual-upload files. Google takes the
	// conversion action instead (destinations.google.
	// booking_conversion_action_id). Checked by the PHI guard like
	// conversion.event_name.
	EventName string `mapstructure:"event_name"`
}

// DefaultBookingEventName is Meta's standard event for "the booking of an
// appointment to visit one of your locations" (Meta Pixel reference,
// developers.facebook.com/docs/meta-pixel/reference, standard events;
// facebook.com/business/help/402791146561655): neutral, it says an
// appointment was booked, not what for.
const DefaultBookingEventName = "Schedule"

// validateBookings checks conversion.bookings.
func (c *Config) validateBookings(guard *phi.Guard) error {
	var ps problems
	b := c.Conversion.Bookings
	if !b.Enabled {
		return nil
	}
	name := strings.TrimSpace(b.EventName)
	switch {
	case name == "":
		ps.bad("conversion.bookings.event_name", "must not be empty (the default is %s)", DefaultBookingEventName)
	case strings.EqualFold(name, strings.TrimSpace(c.Conversion.EventName)):
		ps.bad("conversion.bookings.event_name", "is conversion.event_name (%q): Meta would count every booking as a visit; keep the default %s", c.Conversion.EventName, DefaultBookingEventName)
	}
	for _, p := range c.Enabled() {
		// A booking carries no value (nothing was bought yet), and the
		// platform rejects this name without one (Spec.ValueRequired: Meta's
		// Purchase): every booking would be held back as
		// purchase_without_value, night after night — validated, then
		// lost (a review of bookings over nights).
		if spec := p.Spec(); slices.Contains(spec.ValueRequired, name) {
			ps.bad("conversion.bookings.event_name", "is %s, which %s rejects without a value, and a booking carries none (nothing was bought yet): every booking would be held back; keep the default %s", name, spec.Title, DefaultBookingEventName)
		}
	}
	if term, ok := guard.Find(b.EventName); ok {
		ps.bad("conversion.bookings.event_name", "contains the health term %q, which must never leave as an event name (keep the neutral %s; if the term is not health-related here, add it to privacy.allow_terms)", term, DefaultBookingEventName)
	}
	return ps.err()
}
