package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/platformcsv"
)

// WriteOptions are the inputs of `hashgate write`.
type WriteOptions struct {
	f      *Factory
	root   *rootOptions
	flags  *pflag.FlagSet
	Format string
	Out    string
	Input  string
}

const (
	formatGoogleAds   = "google-ads-csv"
	formatMetaOffline = "meta-offline-csv"
)

func newWriteCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &WriteOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "write --format google-ads-csv|meta-offline-csv [--out FILE] [EXPORT|-]",
		Short: "Write a platform's manual-upload file of hashed conversions",
		Long: `write runs the export through the same consent gate and hashing as upload and
writes the platform's own import file instead of calling its API:

  google-ads-csv    Google Ads → Goals → Conversions → Uploads: a
                    Parameters:TimeZone row, then Google Click ID, Email,
                    Phone Number (SHA-256), Conversion Name
                    (destinations.google.conversion_name), Conversion Time,
                    Value, Currency, Order ID, Ad User Data, Ad Personalization.
  meta-offline-csv  Events Manager → dataset → upload events: event_name,
                    event_time, hashed match keys (repeated columns for several
                    values), value, currency, order_id.

The order id columns carry the keyed event id, never the appointment number.
The file is written with mode 0600 and replaced only when the run succeeds.`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = "-"
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.flags = c.Flags()
			return writeRun(c.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "", "google-ads-csv or meta-offline-csv (required)")
	cmd.Flags().StringVarP(&opts.Out, "out", "o", "", "write to FILE instead of stdout")
	return cmd
}

func writeRun(ctx context.Context, o *WriteOptions) error {
	f := o.f
	var p identifier.Platform
	switch o.Format {
	case formatGoogleAds:
		p = identifier.Google
	case formatMetaOffline:
		p = identifier.Meta
	default:
		return &UsageError{Err: fmt.Errorf("--format must be %s or %s", formatGoogleAds, formatMetaOffline)}
	}
	path, explicit := configPath(f, o.root.ConfigPath, o.root.configChanged)
	cfg, err := loadConfig(f, path, explicit, o.flags, nil)
	if err != nil {
		return err
	}
	// The file is for one platform: only its conversions are made, with its
	// identifiers, whether or not its API upload is enabled.
	only := *cfg
	only.Destinations.Google.Enabled = p == identifier.Google
	only.Destinations.Meta.Enabled = p == identifier.Meta
	if err := only.Validate(); err != nil {
		return err
	}
	guard := cfg.PHIGuard()
	if p == identifier.Google {
		if cfg.Destinations.Google.ConversionName == "" {
			return &config.Error{Key: "destinations.google.conversion_name", Problem: "required for google-ads-csv: the name of the offline conversion action in Google Ads"}
		}
		if err := guard.Check("destinations.google.conversion_name", cfg.Destinations.Google.ConversionName); err != nil {
			return &UsageError{Err: err}
		}
	}
	if o.Out != "" {
		if err := guard.Check("--out", filepath.Base(o.Out)); err != nil {
			return &UsageError{Err: err}
		}
	}
	key, demo := eventKey(cfg)
	rev, err := loadWithdrawn(ctx, f, cfg, o.Input, key)
	if err != nil {
		return err
	}
	defer rev.close()
	in, name, err := openInput(f, o.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	if o.Out != "" && o.Input != "-" && sameFile(o.Out, o.Input) {
		return &UsageError{Err: errors.New("--out names the input export; refusing to overwrite it")}
	}
	newSink := func(w io.Writer) (sink.Sink, error) {
		if p == identifier.Google {
			return platformcsv.NewGoogleAds(w, cfg.Destinations.Google.ConversionName, cfg.Location(),
				cfg.Input.Columns.GBRAID != "" || cfg.Input.Columns.WBRAID != "")
		}
		slots := map[identifier.Field]int{identifier.Email: len(cfg.Input.Columns.Email), identifier.Phone: len(cfg.Input.Columns.Phone)}
		return platformcsv.NewMetaOffline(w, only.IdentifierFields(identifier.Meta), slots)
	}
	sum := report.New(name)
	sum.DemoKey = demo
	opt := pipeline.Options{Config: &only, Key: key, Input: in, InputName: name, Revocations: rev.list, RevokedPatients: rev.patients}
	if opt.Reader, err = openExport(opt, sum); err != nil {
		return err
	}
	if err := runToFile(ctx, f, o.Out, opt, sum, newSink); err != nil {
		return err
	}
	if p == identifier.Meta && cfg.Conversion.Value == config.ValueNone && cfg.Conversion.EventName == "Purchase" && !o.root.Quiet {
		fmt.Fprintln(f.IO.ErrOut, "hashgate: note: Meta's file upload requires a value for Purchase events; conversion.value is none (use fixed, or another event name)")
	}
	if !o.root.Quiet {
		return sum.WriteText(f.IO.ErrOut)
	}
	return nil
}
