package platformcsv

import (
	"io"
	"time"

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
	// Narrow changes, in the run's own copy of the config (narrowed to
	// Platform), what the API may be sent but the file may not carry, and
	// returns a notice for the summary when it changed something the
	// config chose (nil: nothing to change).
	Narrow func(cfg *config.Config) (notice string)
	// New starts the file on w; cfg is narrowed to Platform.
	New func(w io.Writer, cfg *config.Config) (sink.Sink, error)
	// First is the first cell of the file's header, which ReadBack knows
	// it by; IDColumn the header of the column holding the event id.
	First, IDColumn string
	// DedupWindow is how long the platform skips an uploaded file's event
	// as a duplicate of one uploaded before; zero when a duplicate is
	// refused whenever it was uploaded. A file holding events older than
	// that may count again those an earlier file uploaded before then.
	DedupWindow time.Duration
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
		First: "Google Click ID", IDColumn: "Order ID",
		// No window: an order id Google recorded is refused whenever it
		// comes again — ConversionUploadError ORDER_ID_ALREADY_IN_USE,
		// "The imported event includes an order ID that was previously
		// recorded, so the event was not processed" (Google Ads API
		// reference) — and Google's import counts one conversion per
		// conversion action, name, time and click (support.google.com/
		// google-ads/answer/7014069: duplicates are reported, not counted).
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
		// A Purchase of value 0 is held back from the file (counted as
		// purchase_value_zero, the pre-flight's reason) whatever
		// destinations.meta.send_zero_value says: that option is for the
		// Conversions API, which does not say whether it takes 0, while
		// Meta's own offline events uploader says of value "We do not
		// accept 0 and negative values" (facebookarchive/offline-
		// conversion-file-uploader, offline-events/README.md, "Mapping for
		// Offline Events").
		Narrow: func(cfg *config.Config) string {
			if !cfg.Destinations.Meta.SendZeroValue {
				return ""
			}
			cfg.Destinations.Meta.SendZeroValue = false
			return "destinations.meta.send_zero_value is for the Conversions API: Meta's offline events file takes no value of 0 (its uploader: \"We do not accept 0 and negative values\"), so a Purchase worth 0 is left out of this file (purchase_value_zero); upload it with `hashgate upload`"
		},
		New: func(w io.Writer, cfg *config.Config) (sink.Sink, error) {
			return NewMetaOffline(w, cfg.IdentifierFields(platform.Meta))
		},
		First: "event_name", IDColumn: "order_id",
		// "When you upload offline event data, duplicates of events that
		// were already uploaded to that offline event set in the last four
		// days will automatically be skipped" (Meta Business Help Centre,
		// "About offline event data deduplication", article
		// 1772588746090250, read in a mirror; its key: event set, event
		// time, match keys, event name, order id). The Conversions API's
		// 7 days (platform.Spec.DedupWindow) are not the file's.
		DedupWindow: 4 * 24 * time.Hour,
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
