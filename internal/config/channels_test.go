package config

import (
	"strings"
	"testing"
)

// channelsOnly is a config with input, conversion, channels and spend, and
// nothing an upload needs.
func channelsOnly() Config {
	c := Defaults()
	c.Timezone = "Asia/Taipei"
	c.Input.Columns.OrderID = []string{"id"}
	c.Input.Columns.AppointmentAt = "at"
	c.Input.Columns.Source = "source"
	c.Conversion.Currency = "TWD"
	return c
}

func TestChannelsNeedsNoUploadSetup(t *testing.T) {
	c := channelsOnly()
	if err := c.ValidateForChannels(); err != nil {
		t.Fatalf("a channels-only config is refused: %v", err)
	}
	// Other commands keep their requirements.
	err := c.Validate()
	for _, want := range []string{"consent.granted", "destinations"} {
		if !strings.Contains(strings.Join(keys(err), " "), want) {
			t.Errorf("Validate no longer requires %s: %v", want, err)
		}
	}
}

func TestChannelsValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*Config)
		key  string
	}{
		{"min_cell 0", func(c *Config) { c.Channels.MinCell = 0 }, "channels.min_cell"},
		{"two google channels", func(c *Config) {
			c.Channels.List = append(c.Channels.List, Channel{Name: "Search", Platform: "google"})
		}, "channels.list[2].platform"},
		{"unknown platform", func(c *Config) { c.Channels.List[0].Platform = "tiktok" }, "channels.list[0].platform"},
		{"health term in a label", func(c *Config) { c.Channels.List[0].Name = "Implant Search" }, "channels.list[0].name"},
		{"CJK health term in a label", func(c *Config) { c.Channels.List[1].Name = "植牙廣告" }, "channels.list[1].name"},
		{"reserved name", func(c *Config) { c.Channels.List[1].Name = "unattributed" }, "channels.list[1].name"},
		{"control character", func(c *Config) { c.Channels.List[1].Name = "Meta\x1b[31m" }, "channels.list[1].name"},
		{"bidi override", func(c *Config) { c.Channels.List[1].Name = "Meta\u202egoogle" }, "channels.list[1].name"},
		{"bidi isolate", func(c *Config) { c.Channels.List[1].Name = "\u2067Meta" }, "channels.list[1].name"},
		{"zero-width space", func(c *Config) { c.Channels.List[1].Name = "Me\u200bta" }, "channels.list[1].name"},
		{"zero-width joiner", func(c *Config) { c.Channels.List[1].Name = "Meta\u200d" }, "channels.list[1].name"},
		{"byte order mark", func(c *Config) { c.Channels.List[1].Name = "\ufeffMeta" }, "channels.list[1].name"},
		{"bidi in a source word", func(c *Config) { c.Channels.List[0].Sources = []string{"goo\u202egle"} }, "channels.list[0].sources[0]"},
		{"zero-width in a source word", func(c *Config) { c.Channels.List[0].Sources = []string{"goo\u200bgle"} }, "channels.list[0].sources[0]"},
		{"no way to belong", func(c *Config) { c.Channels.List = append(c.Channels.List, Channel{Name: "LINE"}) }, "channels.list[2].sources"},
		{"rate for a non-currency", func(c *Config) { c.Spend.Rates = map[string]float64{"XYZW": 1} }, "spend.rates.XYZW"},
		{"negative rate", func(c *Config) { c.Spend.Rates = map[string]float64{"USD": -1} }, "spend.rates.USD"},
		{"bad spend currency", func(c *Config) { c.Spend.Meta.Currency = "NT$" }, "spend.meta.currency"},
		// input.encoding is the export's: a spend download has its own.
		{"bad spend encoding", func(c *Config) { c.Spend.Google.Encoding = "cp936" }, "spend.google.encoding"},
		{"bad meta encoding", func(c *Config) { c.Spend.Meta.Encoding = "latin1" }, "spend.meta.encoding"},
		{"consented_only without a consent column", func(c *Config) { c.Channels.ConsentedOnly = true }, "channels.consented_only"},
		// Days in UTC put a New York clinic's evening visits on the next
		// day, apart from that day's spend (a DST review).
		{"no timezone", func(c *Config) { c.Timezone = "" }, "timezone"},
	} {
		c := channelsOnly()
		c.Channels.List = DefaultChannels()
		tc.edit(&c)
		got := keys(c.ValidateForChannels())
		found := false
		for _, k := range got {
			found = found || k == tc.key
		}
		if !found {
			t.Errorf("%s: want an error on %s, got %v", tc.name, tc.key, got)
		}
	}
}
