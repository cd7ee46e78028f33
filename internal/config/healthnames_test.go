package config

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// reviewedNames are the event names a review's dry-runs sent as Meta's
// event_name on 2026-12-07, when names were checked word by word only:
// a term in CamelCase or glued to another word, or an everyday specialty
// the built-in list did not hold.
var reviewedNames = []string{"ImplantCompleted", "implantvisit", "BotoxVisit", "DentalVisit", "Dental Visit", "OrthoConsult",
	"Orthodontist", "IVFConsult", "CrownPlaced", "RootCanal", "Psychiatrist", "Dermatologist", "Mental Health Visit",
	"Therapy", "Counseling", "Cosmetic Dentistry", "Pediatrics", "OBGYN", "Sleep Apnea", "Physio", "Chiropractic",
	// refused already: they stay refused
	"Implant_Completed", "Root Canal", "IVF Consult", "Dermatology"}

// TestNamesThatLeaveHideNoTerm: every config string that leaves as a
// name or label — the visits' and the bookings' event names, Google's
// conversion name, a channel's label — refuses each reviewed name under
// its own key, and takes Meta's standard event names.
func TestNamesThatLeaveHideNoTerm(t *testing.T) {
	names := []struct {
		key string
		set func(c *Config, name string)
	}{
		{"conversion.event_name", func(c *Config, n string) { c.Conversion.EventName = n }},
		{"conversion.bookings.event_name", func(c *Config, n string) {
			c.Conversion.Bookings.Enabled, c.Conversion.Bookings.EventName = true, n
		}},
		{"destinations.google.conversion_name", func(c *Config, n string) { c.Destinations.Google.ConversionName = n }},
		{"channels.list[0].name", func(c *Config, n string) { c.Channels.List[0].Name = n }},
	}
	for _, k := range names {
		for _, n := range reviewedNames {
			c := valid()
			k.set(c, n)
			if got := keys(errors.Join(c.Validate(), c.ValidateReport())); !slices.Contains(got, k.key) {
				t.Errorf("%s: %q: keys %q, want %s refused", k.key, n, got, k.key)
			}
		}
	}
	// Meta's standard events (developers.facebook.com/docs/meta-pixel/reference,
	// "Standard Events") say what was done, never what for.
	for _, n := range platform.Meta.Spec().StandardEvents {
		c := valid()
		c.Conversion.EventName = n
		if n == "Schedule" {
			c.Conversion.EventName = "Visit" // Schedule is the bookings' default
		}
		for _, k := range names[2:] {
			k.set(c, n)
		}
		if err := errors.Join(c.Validate(), c.ValidateReport()); err != nil {
			t.Errorf("%q refused: %v", n, err)
		}
	}
}

// TestMetaCustomEventNamesNoticed: a Meta upload whose event name is no
// standard event says so on every run (Notices); a standard one, or no
// Meta upload, says nothing of it.
func TestMetaCustomEventNamesNoticed(t *testing.T) {
	says := func(c *Config, key string) bool {
		return slices.ContainsFunc(c.Notices(), func(n string) bool { return strings.HasPrefix(n, key+" ") })
	}
	c := valid()
	c.Destinations.Meta.Enabled, c.Conversion.EventName = true, "GlowPackage"
	c.Conversion.Bookings.Enabled, c.Conversion.Bookings.EventName = true, "BookedGlow"
	if !says(c, "conversion.event_name") || !says(c, "conversion.bookings.event_name") {
		t.Errorf("custom names not noticed: %q", c.Notices())
	}
	c.Conversion.EventName, c.Conversion.Bookings.EventName = "Purchase", "Schedule"
	if says(c, "conversion.event_name") || says(c, "conversion.bookings.event_name") {
		t.Errorf("standard names noticed: %q", c.Notices())
	}
	c.Conversion.EventName, c.Destinations.Meta.Enabled = "GlowPackage", false
	if says(c, "conversion.event_name") {
		t.Errorf("noticed without Meta: %q", c.Notices())
	}
}
