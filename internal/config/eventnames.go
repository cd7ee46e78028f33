package config

import (
	"fmt"
	"slices"
	"strings"
)

// customEventNotices are the lines Notices prints for an upload to a
// platform with standard events (platform.Spec.StandardEvents: Meta's)
// whose event names are not among them. Meta takes any other name as a
// custom event, and flags a custom conversion made of it when it
// "suggests specific health conditions", from 2 September 2025
// (developers.facebook.com/docs/marketing-api/reference/custom-conversion;
// docs/contract.md MCC, H8). The health-term guard refuses the terms it
// knows, but cannot know every word a clinic uses for a treatment
// ("GlowPackage"), so a custom name is said on every run rather than
// refused; a standard name says what was done and never what for.
func (c *Config) customEventNotices() []string {
	names := []struct{ key, name string }{{"conversion.event_name", c.Conversion.EventName}}
	if c.Conversion.Bookings.Enabled {
		names = append(names, struct{ key, name string }{"conversion.bookings.event_name", c.Conversion.Bookings.EventName})
	}
	var out []string
	for _, p := range c.Enabled() {
		spec := p.Spec()
		if len(spec.StandardEvents) == 0 {
			continue
		}
		for _, n := range names {
			name := strings.TrimSpace(n.name)
			if name == "" || slices.Contains(spec.StandardEvents, name) {
				continue
			}
			out = append(out, fmt.Sprintf("%s %q is not one of %s's standard events (%s, …): %s takes it as a custom event, "+
				"and flags a custom conversion whose name suggests a health condition; a standard event names what was done, never what for",
				n.key, name, spec.Title, strings.Join(spec.StandardEvents[:3], ", "), spec.Title))
		}
	}
	return out
}
