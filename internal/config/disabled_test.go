package config

import (
	"slices"
	"strings"
	"testing"
)

// TestADisabledDestinationWithItsKeysIsSaid: config init writes Meta
// disabled, and a clinic that fills in its dataset id or runs a test with
// a Meta test event code, but leaves enabled: false, sent nothing to Meta
// and was told nothing (the docs review of 2026-12-07: `upload --validate`
// exited 0 naming Google alone). Every summary and config validate say so.
func TestADisabledDestinationWithItsKeysIsSaid(t *testing.T) {
	says := func(c *Config, key string) bool {
		return slices.ContainsFunc(c.Notices(), func(n string) bool { return strings.HasPrefix(n, key+" ") })
	}
	c := valid()
	c.Destinations.Meta.Enabled, c.Destinations.Meta.DatasetID = false, "998877"
	if !says(c, "destinations.meta.enabled") {
		t.Errorf("Meta disabled with a dataset id: not said: %q", c.Notices())
	}
	c.Destinations.Meta.DatasetID, c.Destinations.Meta.TestEventCode = "", "TEST1234"
	if !says(c, "destinations.meta.enabled") {
		t.Errorf("Meta disabled with a test event code: not said: %q", c.Notices())
	}
	c.Destinations.Meta.TestEventCode = ""
	if says(c, "destinations.meta.enabled") {
		t.Errorf("Meta disabled with none of its keys: said: %q", c.Notices())
	}
	c.Destinations.Google.Enabled, c.Destinations.Google.ConversionActionID = false, "555000111"
	if !says(c, "destinations.google.enabled") {
		t.Errorf("Google disabled with its conversion action: not said: %q", c.Notices())
	}
	c.Destinations.Google.Enabled = true
	if says(c, "destinations.google.enabled") {
		t.Errorf("Google enabled: said disabled: %q", c.Notices())
	}
	for _, n := range c.Notices() {
		if strings.Contains(n, "555000111") || strings.Contains(n, "998877") {
			t.Errorf("a notice names a key's value: %q", n)
		}
	}
}
