package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/run"
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
	// Uploaded are the files (or folders of them) already uploaded.
	Uploaded []string
	// AcceptNewIDs passes the stops on order ids changed since the
	// uploaded files were written.
	AcceptNewIDs bool
}

func newWriteCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &WriteOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "write --format google-ads-csv|meta-offline-csv [--out FILE] [--uploaded FILE|DIR]... [--accept-new-ids] [EXPORT|-]",
		Short: "Write a platform's manual-upload file of hashed conversions",
		Long: `write runs the export through the same consent gate and hashing as upload and
writes the platform's own import file instead of calling its API:

  google-ads-csv    Google Ads → Goals → Conversions → Uploads: a
                    Parameters:TimeZone row, then Google Click ID, Email,
                    Phone Number (both SHA-256), Conversion Name
                    (destinations.google.conversion_name), Conversion Time,
                    Conversion Value, Conversion Currency, Order ID, Ad User
                    Data.
  meta-offline-csv  Events Manager → dataset → upload events: event_name,
                    event_time, hashed match keys (repeated columns for several
                    values), value, currency, order_id.

The order id columns carry the keyed event id, never the appointment number.
The file is written with mode 0600 and replaced only when the run succeeds.

The patients the uploads remember as withdrawn (the ledger at ledger.path,
read without changing it) are left out, as an upload leaves them out; under
another secret or input.columns.patient_key than the uploads' it stops
(exit 2) rather than write their visits. After a rotation, the old secret
kept as HASHGATE_PREVIOUS_SECRET is read as the upload reads it.

Meta skips an uploaded event as a duplicate only of one uploaded in the
last four days: a file of a rolling export uploaded every week counts
again what last week's file held. --uploaded names the files you uploaded
(or a folder of them, its *.csv files): the events they hold are left out,
so each visit is in one file you upload. Move a file there once it is
uploaded; a file only written is not uploaded, and its events stay in the
next file. Google refuses an order id it recorded whenever it comes again.

Each file written to --out is remembered by the shape of its export's
order ids (never an id): once it is named by --uploaded, an export whose
ids lost or gained leading zeros since (a spreadsheet re-saved it), or
none of whose ids the files hold though dated within them, stops (exit 2)
before the file is written. --accept-new-ids writes it once the change is
checked (a new numbering).`,
		Example: `  hashgate write --format google-ads-csv --out google-upload.csv export.csv
  hashgate write --format meta-offline-csv --uploaded meta-uploaded/ --out meta-upload.csv export.csv
  # after uploading it in Events Manager:
  mv meta-upload.csv meta-uploaded/meta-$(date +%F).csv`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			if err := f.noExport(args); err != nil {
				return err
			}
			opts.Input = "-"
			if len(args) == 1 {
				opts.Input = args[0]
			}
			opts.flags = c.Flags()
			return writeRun(c.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "", platformcsv.FormatNames()+" (required)")
	outVarP(cmd.Flags(), &opts.Out, "o", "write to FILE instead of stdout (- is stdout)")
	cmd.Flags().StringArrayVar(&opts.Uploaded, "uploaded", nil, "a file of this format already uploaded, or a folder of them (its *.csv files): the events they hold are left out (repeatable)")
	cmd.Flags().BoolVar(&opts.AcceptNewIDs, "accept-new-ids", false, "write even when the order ids departed from those the --uploaded files were written from (leading zeros, timezone) or none of their events is in the export though dated within them (new_event_ids): after checking input.columns.order_id and the secret")
	return cmd
}

func writeRun(ctx context.Context, o *WriteOptions) error {
	f := o.f
	format, ok := platformcsv.Lookup(o.Format)
	if !ok {
		return &UsageError{Err: fmt.Errorf("--format must be %s", platformcsv.FormatNames())}
	}
	cfg, err := o.root.loadConfig(f, o.flags, nil)
	if err != nil {
		return err
	}
	// It sends nothing: a config others can replace is only warned of.
	_ = o.root.checkConfigWritable(f, false)
	if err := o.root.checkSecretFile(f, cfg); err != nil {
		return err
	}
	return run.Write(ctx, f.env(o.root), run.WriteRequest{Config: cfg, Format: format, Out: o.Out, Input: o.Input, Uploaded: o.Uploaded, AcceptNewIDs: o.AcceptNewIDs})
}
