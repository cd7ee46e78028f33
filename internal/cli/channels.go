package cli

import (
	"cmp"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/run"
)

// ChannelsOptions are the inputs of `hashgate channels`.
type ChannelsOptions struct {
	f      *Factory
	root   *rootOptions
	flags  *pflag.FlagSet
	Input  string
	Spend  []string // PLATFORM=FILE
	From   string
	To     string
	AsOf   string
	Period string
	JSON   bool
	CSV    bool
	HTML   string
	Out    string
	Exact  bool
}

func newChannelsCmd(f *Factory, root *rootOptions, runF func(context.Context, *ChannelsOptions) error) *cobra.Command {
	opts := &ChannelsOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "channels [--spend PLATFORM=FILE]... [--from DATE] [--to DATE] [--period all|month|week|day] [--json | --csv | --html FILE] EXPORT",
		Short: "Compare spend per channel with the bookings and visits it brought",
		Long: `channels answers "for what we spent, how many patients came in, per channel?"
from the clinic's own export and the platforms' spend downloads, in
aggregates released under a rule that keeps small counts from being worked
out (README: Small cells, and its limits).

Attribution, per appointment: a Google click id (gclid, gbraid, wbraid) puts
it in the channel whose platform is google, an fbclid in the meta one — a
click id beats a source word; otherwise its input.columns.source value
(trimmed, case- and width-folded) picks the first channel in channels.list
that lists it; otherwise it is Unattributed.

Per channel, for appointments dated --from to --to (inclusive, in the
clinic's timezone; default: the export's first and last day): bookings
(distinct order ids, every status; the row with the latest appointment
decides each), and what became of them: visits (conversion.statuses),
no-shows (conversion.no_show_statuses), cancellations
(conversion.cancelled_statuses), pending (on or after --as-of), other;
show rate = visits ÷ (visits + no-shows) with its exact 95% range. With
--spend: spend, clicks, the conversions the platform claims, booking rate,
cost per booking and per visit; revenue and ROAS under a conversion.value
policy with amounts; with input.columns.patient_key, new patients, CAC (cost
per new patient, with its 95% range) and LTV over channels.ltv_days. The
Paid line sums the channels with an ad platform; Total is the clinic's.
The figures are attributed, not incremental.

--spend takes google=FILE (a Google Ads report download, "CSV" or "Excel
CSV", with a Day segment) or meta=FILE (a Meta Ads Manager export, with or
without a day breakdown); repeat it for several files (two ad accounts, or
months downloaded apart: one account's days given twice stop the run). A
day no download covers has no spend data, never spend 0: a channel whose
downloads cover none of a span prints "no data" for its spend and costs
(and so do Paid and Total, which need every paid platform's), one whose
downloads miss some days marks its spend and costs "†". A cost with
nothing to divide by says so ("no visits"), never 0 or infinite.

Counts are released as noisy running totals from 1 January (a window is
the difference of two) and each visit's amount moved by a fixed share of
itself (3-10%), under a key kept in the state directory (channels.key, made on first use), so that
no set of reports — any windows, periods, groupings — gives back a small
count by subtraction; the same report on the same data prints the same
figures.
Counts from 1 to channels.min_cell-1 (default 5) print as "<5" and whatever
would let one be worked out is hidden too ("*") — by any sum among the
printed figures: Total and Paid of the channels, a window of its periods,
visits of new and returning visits, bookings of their outcomes; an amount
more than channels.dominance_share (0.6) of which is one patient's (with
input.columns.patient_key; else one visit's) is hidden, and so is a printed
amount that would give it back alone; a sum of several withheld amounts is
checked cell by cell, not per patient across cells (README, Its limits). --exact prints exact figures,
marked NOT FOR SHARING; a channels.min_cell under 5 or dominance_share over
0.6 is named on every output as below the default protection. Stderr,
which travels with the report, names the rows not counted without their
number (--exact prints it). Every row counts, consented or not, unless
channels.consented_only is true: the report leaves the clinic, and what
keeps a patient from being singled out in it is the release rule, not
consent. No destination, credentials or secret are needed.`,
		Example: `  hashgate channels --spend google=google-ads.csv --spend meta=meta-ads.csv export.csv
  hashgate channels --from 2026-10-01 --to 2026-10-31 --period week --html october.html export.csv
  hashgate channels --json export.csv | jq '.channels[] | {name, visits}'`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = args[0]
			opts.flags = c.Flags()
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return channelsRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&opts.Spend, "spend", nil, "a platform's spend download, PLATFORM=FILE ("+platformNames()+"; repeatable)")
	fl.StringVar(&opts.From, "from", "", "first day counted, YYYY-MM-DD (default: the export's first)")
	fl.StringVar(&opts.To, "to", "", "last day counted, YYYY-MM-DD, inclusive (default: the export's last)")
	fl.StringVar(&opts.AsOf, "as-of", "", "first day whose appointments are still to come, YYYY-MM-DD (default: today in timezone): they count as bookings, pending, never in the show rate")
	fl.StringVar(&opts.Period, "period", "all", "all, month, week or day: one table per period besides the whole window, in every format (the page's trend needs one)")
	fl.BoolVar(&opts.JSON, "json", false, "print JSON")
	fl.BoolVar(&opts.CSV, "csv", false, "print CSV (formula-safe)")
	fl.Var(filePath{&opts.HTML, "use --json or --csv"}, "html", "write a self-contained HTML page with charts to FILE")
	outVarP(fl, &opts.Out, "o", "write the table, JSON or CSV to FILE instead of stdout (- is stdout)")
	fl.BoolVar(&opts.Exact, "exact", false, "exact figures for the clinic's own eyes: no perturbation or suppression, marked NOT FOR SHARING")
	return cmd
}

func (o *ChannelsOptions) request() (run.ChannelsRequest, error) {
	r := run.ChannelsRequest{Input: o.Input, Period: o.Period, Format: run.ChannelsTable, Out: o.Out, Exact: o.Exact}
	usage := func(format string, args ...any) error { return &UsageError{Err: fmt.Errorf(format, args...)} }
	n := 0
	for _, on := range []bool{o.JSON, o.CSV, o.HTML != ""} {
		if on {
			n++
		}
	}
	switch {
	case n > 1:
		return r, usage("--json, --csv and --html are alternatives: choose one")
	case o.HTML != "" && o.Out != "":
		return r, usage("--out is for the table, JSON or CSV; --html names its own file")
	case o.JSON:
		r.Format = run.ChannelsJSON
	case o.CSV:
		r.Format = run.ChannelsCSV
	case o.HTML != "":
		r.Format, r.Out = run.ChannelsHTML, o.HTML
	}
	// The page takes the same periods as the other formats: which figures
	// the release rule hides in the window depends on its periods (a
	// window is the sum of its periods), so a page by week beside a table
	// without periods printed one cell two ways.
	switch o.Period {
	case "all", "month", "week", "day":
	default:
		return r, usage("--period: want all, month, week or day, got %q", o.Period)
	}
	day := func(flag, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return time.Time{}, usage("--%s: want a date such as 2026-11-01, got %q", flag, s)
		}
		return t, nil
	}
	var err error
	if r.From, err = day("from", o.From); err != nil {
		return r, err
	}
	if r.To, err = day("to", o.To); err != nil {
		return r, err
	}
	if r.AsOf, err = day("as-of", o.AsOf); err != nil {
		return r, err
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		return r, usage("--to %s is before --from %s", o.To, o.From)
	}
	for _, s := range o.Spend {
		name, path, ok := strings.Cut(s, "=")
		p, err := platform.Parse(strings.ToLower(strings.TrimSpace(name)))
		if !ok || path == "" || err != nil {
			return r, usage("--spend: want PLATFORM=FILE with a platform of %s, got %q", platformNames(), s)
		}
		r.Spend = append(r.Spend, run.SpendPath{Platform: p, Path: path})
	}
	return r, nil
}

func platformNames() string {
	var names []string
	for _, p := range platform.All {
		names = append(names, p.String())
	}
	return strings.Join(names, ", ")
}

func channelsRun(ctx context.Context, o *ChannelsOptions) error {
	r, err := o.request()
	if err != nil {
		return err
	}
	path, explicit := configPath(o.f, o.root.ConfigPath, o.root.configChanged)
	if r.Config, err = loadConfigFor(o.f, path, explicit, o.flags, nil, (*config.Config).ValidateForChannels); err != nil {
		return err
	}
	// It sends nothing: a config others can replace is only warned of.
	_ = o.root.checkConfigWritable(o.f, false)
	r.ConfigFile = cmp.Or(path, defaultConfigPath)
	// Precedence is the loader's: the environment over the file (no flag
	// sets a channels key).
	r.SettingOrigin = func(k string) string {
		if name := envName(k); o.f.Getenv(name) != "" {
			return "the environment variable " + name
		}
		return "the config file " + run.DisplayPath(path)
	}
	return run.Channels(ctx, o.f.env(o.root), r)
}
