package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/channelreport"
	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
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
	Period string
	JSON   bool
	CSV    bool
	HTML   string
	Out    string
}

func newChannelsCmd(f *Factory, root *rootOptions, runF func(context.Context, *ChannelsOptions) error) *cobra.Command {
	opts := &ChannelsOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "channels [--spend PLATFORM=FILE]... [--from DATE] [--to DATE] [--period all|month|week|day] [--json | --csv | --html FILE] EXPORT",
		Short: "Compare spend per channel with the bookings and visits it brought",
		Long: `channels answers "for what we spent, how many patients came in, per channel?"
from the clinic's own export and the platforms' spend downloads, in
aggregates that reveal no one.

Attribution, per appointment: a Google click id (gclid, gbraid, wbraid) puts
it in the channel whose platform is google, an fbclid in the meta one — a
click id beats a source word; otherwise its input.columns.source value
(trimmed, case- and width-folded) picks the first channel in channels.list
that lists it; otherwise it is Unattributed.

Per channel, for appointments dated --from to --to (inclusive, in the
clinic's timezone; default: the export's first and last day): bookings
(distinct order ids, every status), visits (status in conversion.statuses),
show rate; with --spend, spend, clicks, the conversions the platform claims,
booking rate, cost per booking and per visit; revenue and ROAS under a
conversion.value policy with amounts; new patients, CAC and LTV with
input.columns.patient_key.

--spend takes google=FILE (a Google Ads report download, "CSV" or "Excel
CSV", with a Day segment) or meta=FILE (a Meta Ads Manager export, with or
without a day breakdown); repeat it for several files.

Counts from 1 to channels.min_cell-1 (default 5) print as "<5" and whatever
would let one be worked out is hidden too ("*"). Every row counts, consented
or not, unless channels.consented_only is set: the report is an aggregate
that never leaves the clinic. No destination, credentials or secret are
needed.`,
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
	fl.StringArrayVar(&opts.Spend, "spend", nil, "a platform's spend download: google=FILE or meta=FILE (repeatable)")
	fl.StringVar(&opts.From, "from", "", "first day counted, YYYY-MM-DD (default: the export's first)")
	fl.StringVar(&opts.To, "to", "", "last day counted, YYYY-MM-DD, inclusive (default: the export's last)")
	fl.StringVar(&opts.Period, "period", "all", "all, month, week or day: one table per period besides the whole window")
	fl.BoolVar(&opts.JSON, "json", false, "print JSON")
	fl.BoolVar(&opts.CSV, "csv", false, "print CSV (formula-safe)")
	fl.StringVar(&opts.HTML, "html", "", "write a self-contained HTML page with charts to FILE")
	fl.StringVarP(&opts.Out, "out", "o", "", "write the table, JSON or CSV to FILE instead of stdout")
	return cmd
}

// spendArg is one --spend value.
type spendArg struct{ platform, path string }

func (o *ChannelsOptions) parse() (from, to time.Time, spends []spendArg, err error) {
	usage := func(format string, args ...any) error { return &UsageError{Err: fmt.Errorf(format, args...)} }
	n := 0
	for _, on := range []bool{o.JSON, o.CSV, o.HTML != ""} {
		if on {
			n++
		}
	}
	if n > 1 {
		return from, to, nil, usage("--json, --csv and --html are alternatives: choose one")
	}
	if o.HTML != "" && o.Out != "" {
		return from, to, nil, usage("--out is for the table, JSON or CSV; --html names its own file")
	}
	switch o.Period {
	case "all", "month", "week", "day":
	default:
		return from, to, nil, usage("--period: want all, month, week or day, got %q", o.Period)
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
	if from, err = day("from", o.From); err != nil {
		return
	}
	if to, err = day("to", o.To); err != nil {
		return
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		return from, to, nil, usage("--to %s is before --from %s", o.To, o.From)
	}
	for _, s := range o.Spend {
		p, path, ok := strings.Cut(s, "=")
		p = strings.ToLower(strings.TrimSpace(p))
		if !ok || path == "" || (p != config.PlatformGoogle && p != config.PlatformMeta) {
			return from, to, nil, usage("--spend: want google=FILE or meta=FILE, got %q", s)
		}
		spends = append(spends, spendArg{p, path})
	}
	return from, to, spends, nil
}

func channelsRun(ctx context.Context, o *ChannelsOptions) error {
	f := o.f
	from, to, spends, err := o.parse()
	if err != nil {
		return err
	}
	path, explicit := configPath(f, o.root.ConfigPath, o.root.configChanged)
	cfg, err := loadConfigFor(f, path, explicit, o.flags, nil, (*config.Config).ValidateForChannels)
	if err != nil {
		return err
	}
	guard := cfg.PHIGuard()
	for _, out := range []struct{ flag, path string }{{"--html", o.HTML}, {"--out", o.Out}} {
		if out.path == "" {
			continue
		}
		if err := guard.Check(out.flag, filepath.Base(out.path)); err != nil {
			return &UsageError{Err: err}
		}
		inputs := []string{o.Input}
		for _, s := range spends {
			inputs = append(inputs, s.path)
		}
		for _, in := range inputs {
			if in != "-" && sameFile(out.path, in) {
				return &UsageError{Err: fmt.Errorf("%s names an input file; refusing to overwrite it", out.flag)}
			}
		}
	}
	in, name, err := openInput(f, o.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	opt := channels.Options{Config: cfg, Input: in, InputName: name, From: from, To: to, Period: o.Period}
	for _, s := range spends {
		fh, err := os.Open(s.path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return fmt.Errorf("open spend download %s: %w", s.path, pe.Err)
			}
			return err
		}
		defer fh.Close()
		opt.Spend = append(opt.Spend, channels.SpendInput{Platform: s.platform, Name: s.path, R: fh})
	}
	rep, stats, err := channels.Build(ctx, opt)
	if err != nil {
		return err
	}
	target := o.Out
	write := channelreport.WriteTable
	switch {
	case o.JSON:
		write = channelreport.WriteJSON
	case o.CSV:
		write = channelreport.WriteCSV
	case o.HTML != "":
		target = o.HTML
		write = channelreport.WriteHTML
	}
	w, commit, abort, err := openOutput(f, target)
	if err != nil {
		return err
	}
	defer abort()
	if err := write(w, rep); err != nil {
		return err
	}
	if err := commit(); err != nil {
		return err
	}
	if !o.root.Quiet {
		writeChannelStats(f.IO.ErrOut, rep, stats, target)
	}
	return nil
}

// writeChannelStats accounts on stderr for every row read and every spend
// row, so the person running the report can trust its totals.
func writeChannelStats(w io.Writer, rep *channels.Report, s *channels.Stats, target string) {
	fmt.Fprintf(w, "hashgate channels: %d rows read, %d counted from %s to %s",
		s.Rows, s.Counted, rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly))
	var ex []string
	for _, e := range []struct {
		n    int
		what string
	}{
		{s.OutsideWindow, "outside the window"}, {s.DuplicateRows, "repeat an order id already counted"},
		{s.MissingOrderID, "without an order id"}, {s.InvalidTime, "without a readable date"},
		{s.Malformed, "too short"}, {s.NotConsented, "without consent (channels.consented_only)"},
	} {
		if e.n > 0 {
			ex = append(ex, fmt.Sprintf("%d %s", e.n, e.what))
		}
	}
	if len(ex) > 0 {
		fmt.Fprintf(w, "; not counted: %s", strings.Join(ex, ", "))
	}
	fmt.Fprintln(w)
	if s.ValueSkipped > 0 {
		fmt.Fprintf(w, "hashgate channels: %d visits had no readable value (or one in a currency without a rate) and add nothing to revenue\n", s.ValueSkipped)
	}
	platforms := make([]string, 0, len(s.SpendRows))
	for p := range s.SpendRows {
		platforms = append(platforms, p)
	}
	sort.Strings(platforms)
	for _, p := range platforms {
		fmt.Fprintf(w, "hashgate channels: %s spend: %d rows, %d outside the window, %d total or summary rows skipped\n",
			p, s.SpendRows[p], s.SpendOutside[p], s.SpendSkipped[p])
	}
	for _, name := range s.NoSpend {
		fmt.Fprintf(w, "hashgate channels: no spend download for %s (pass --spend): its cost figures are not shown\n", name)
	}
	if target != "" {
		fmt.Fprintf(w, "hashgate channels: wrote %s\n", target)
	}
}
