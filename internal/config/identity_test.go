package config

import (
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestDestinationIdentity: what the ledger keys acceptance by follows the
// account, conversion action and dataset (dashes in a customer id are
// spelling, not identity), and a test run is flagged per platform.
func TestDestinationIdentity(t *testing.T) {
	c := Defaults()
	c.Destinations.Google.OperatingAccount = "123-456-7890"
	c.Destinations.Google.ConversionActionID = "555000111"
	c.Destinations.Meta.DatasetID = "998877"
	if got := c.DestinationIdentity(platform.Google); got != "1234567890/555000111" {
		t.Errorf("google identity %q", got)
	}
	if got := c.DestinationIdentity(platform.Meta); got != "998877" {
		t.Errorf("meta identity %q", got)
	}
	if c.TestRun(platform.Google) || c.TestRun(platform.Meta) {
		t.Error("a production config is a test run")
	}
	c.Destinations.Google.ValidateOnly = true
	c.Destinations.Meta.TestEventCode = "TEST123"
	if !c.TestRun(platform.Google) || !c.TestRun(platform.Meta) {
		t.Error("validate_only or test_event_code is not a test run")
	}
}
