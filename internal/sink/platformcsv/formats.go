package platformcsv

import (
	"io"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/sink"
)

// Format is one platform's manual-upload file, as `hashgate write --format`
// names it.
type Format struct {
	Name     string
	Platform platform.Platform
	// Check refuses a config the file cannot be written from (nil: none).
	// cfg is the whole config, before the run is narrowed to Platform.
	Check func(cfg *config.Config) error
	// New starts the file on w; cfg is narrowed to Platform.
	New func(w io.Writer, cfg *config.Config) (sink.Sink, error)
	// Note, when it returns "", says nothing; else a line for stderr after
	// the file is written.
	Note func(cfg *config.Config) string
}

// Formats lists every file `hashgate write` makes.
var Formats = []Format{
	{
		Name: "google-ads-csv", Platform: platform.Google,
		Check: func(cfg *config.Config) error {
			name := cfg.Destinations.Google.ConversionName
			if name == "" {
				return &config.Error{Key: "destinations.google.conversion_name", Problem: "required for google-ads-csv: the name of the offline conversion action in Google Ads"}
			}
			return cfg.PHIGuard().Check("destinations.google.conversion_name", name)
		},
		New: func(w io.Writer, cfg *config.Config) (sink.Sink, error) {
			return NewGoogleAds(w, cfg.Destinations.Google.ConversionName, cfg.Location(),
				cfg.Input.Columns.GBRAID != "" || cfg.Input.Columns.WBRAID != "")
		},
	},
	{
		Name: "meta-offline-csv", Platform: platform.Meta,
		New: func(w io.Writer, cfg *config.Config) (sink.Sink, error) {
			slots := map[platform.Field]int{platform.Email: len(cfg.Input.Columns.Email), platform.Phone: len(cfg.Input.Columns.Phone)}
			return NewMetaOffline(w, cfg.IdentifierFields(platform.Meta), slots)
		},
		Note: func(cfg *config.Config) string {
			if cfg.Conversion.Value == config.ValueNone && cfg.Conversion.EventName == "Purchase" {
				return "Meta's file upload requires a value for Purchase events; conversion.value is none (use fixed, or another event name)"
			}
			return ""
		},
	},
}

// Lookup finds a format by name.
func Lookup(name string) (Format, bool) {
	for _, f := range Formats {
		if f.Name == name {
			return f, true
		}
	}
	return Format{}, false
}
