package config

import (
	"fmt"
	"slices"
	"strings"
)

// MetaStandardEvents are Meta's standard events: the Meta Pixel
// reference's "Standard Events" table
// (developers.facebook.com/docs/meta-pixel/reference: AddPaymentInfo …
// ViewContent) and the base code's PageView. Any other event_name is a
// custom event, and a custom conversion made of it is what Meta flags
// when it "suggests specific health conditions", from 2 September 2025
// (developers.facebook.com/docs/marketing-api/reference/custom-conversion;
// docs/contract.md MCC). The health-term guard refuses the names it
// knows; a standard name says what was done and never what for.
var MetaStandardEvents = []string{"AddPaymentInfo", "AddToCart", "AddToWishlist", "CompleteRegistration", "Contact",
	"CustomizeProduct", "Donate", "FindLocation", "InitiateCheckout", "Lead", "Purchase", "Schedule", "Search",
	"StartTrial", "SubmitApplication", "Subscribe", "ViewContent", "PageView"}

// metaCustomEventNotices are the lines Notices prints for a Meta upload
// whose event names are not standard events: the guard cannot know every
// word that names a treatment in a clinic's own language ("GlowPackage"),
// so a custom name is said on every run rather than refused.
func (c *Config) metaCustomEventNotices() []string {
	if !c.Destinations.Meta.Enabled {
		return nil
	}
	var out []string
	names := []struct{ key, name string }{{"conversion.event_name", c.Conversion.EventName}}
	if c.Conversion.Bookings.Enabled {
		names = append(names, struct{ key, name string }{"conversion.bookings.event_name", c.Conversion.Bookings.EventName})
	}
	for _, n := range names {
		name := strings.TrimSpace(n.name)
		if name == "" || slices.Contains(MetaStandardEvents, name) {
			continue
		}
		out = append(out, fmt.Sprintf("%s %q is not one of Meta's standard events (Purchase, Schedule, Lead, …): Meta takes it as a custom event, "+
			"and flags a custom conversion whose name suggests a health condition; a standard event names what was done, never what for", n.key, name))
	}
	return out
}
