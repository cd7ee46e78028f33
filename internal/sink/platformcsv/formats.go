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
		Check: func(cfg *config.Config) error {
			// The file has no column for data_processing_options that we
			// can source: uploaded by hand, it would drop the Limited Data
			// Use the API sends.
			if cfg.Destinations.Meta.LimitedDataUse {
				return &config.Error{Key: "destinations.meta.limited_data_use", Problem: "is on, and Meta's offline events file carries no data processing options: the upload would drop Limited Data Use; upload through the API (hashgate upload) instead"}
			}
			return nil
		},
		New: func(w io.Writer, cfg *config.Config) (sink.Sink, error) {
			slots := map[platform.Field]int{platform.Email: len(cfg.Input.Columns.Email), platform.Phone: len(cfg.Input.Columns.Phone)}
			return NewMetaOffline(w, cfg.IdentifierFields(platform.Meta), slots)
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
