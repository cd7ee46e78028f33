package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/channelreport"
	"github.com/hashgate/hashgate/internal/channels"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/money"
	"github.com/hashgate/hashgate/internal/platform"
)

// Channel report formats.
const (
	ChannelsTable = "table"
	ChannelsJSON  = "json"
	ChannelsCSV   = "csv"
	ChannelsHTML  = "html"
)

// SpendPath is one --spend PLATFORM=FILE.
type SpendPath struct {
	Platform platform.Platform
	Path     string
}

// ChannelsRequest is one `hashgate channels`.
type ChannelsRequest struct {
	Config *config.Config // validated by ValidateForChannels
	// ConfigFile is the config file the settings were read from (it may
	// not exist: the environment can carry every setting); the release
	// record of first days is kept per config file.
	ConfigFile string
	Input      string // path, or "-" for stdin
	Spend      []SpendPath
	// From and To bound the window (zero: the export's first or last day).
	From, To time.Time
	// AsOf is the first day whose appointments are pending (zero: today
	// in the clinic's time zone).
	AsOf   time.Time
	Period string // all, month, week or day
	Format string // ChannelsTable, ChannelsJSON, ChannelsCSV or ChannelsHTML
	// Out is the file written ("" is stdout; required for HTML).
	Out string
	// Exact prints exact figures, for the clinic's own eyes: no
	// perturbation, no suppression, marked not for sharing.
	Exact bool
	// SettingOrigin names where config key k's value came from (an
	// environment variable, the config file), or ""; nil knows none.
	SettingOrigin func(k string) string
}

var channelWriters = map[string]func(io.Writer, *channels.Report) error{
	ChannelsTable: channelreport.WriteTable, ChannelsJSON: channelreport.WriteJSON,
	ChannelsCSV: channelreport.WriteCSV, ChannelsHTML: channelreport.WriteHTML,
}

// Channels compares spend per channel with the bookings and visits the
// export records, and writes the report (suppressed as the config asks) to
// stdout or r.Out; the row accounting goes to stderr.
func Channels(ctx context.Context, env *Env, r ChannelsRequest) error {
	write, ok := channelWriters[r.Format]
	if !ok {
		return &UsageError{Err: fmt.Errorf("unknown report format %q", r.Format)}
	}
	cfg := r.Config
	if r.Out != "" {
		flag := outFlag(r)
		if err := cfg.PHIGuard().Check(flag, filepath.Base(r.Out)); err != nil {
			return &UsageError{Err: err}
		}
		inputs := []string{r.Input}
		for _, s := range r.Spend {
			inputs = append(inputs, s.Path)
		}
		for _, in := range inputs {
			if in != "-" && sameFile(r.Out, in) {
				return &UsageError{Err: fmt.Errorf("%s names an input file; refusing to overwrite it", r.Out)}
			}
		}
		if err := checkOutput(env, cfg, flag, r.Out, false); err != nil {
			return err
		}
	}
	// The refusal an upload of the same config makes, before the export
	// is read: under channels.consented_only such a column's "true" counts
	// every arrival as consented, and a config the upload refuses is not
	// one to report on either.
	if err := consentHeaderErrors(cfg); err != nil {
		return err
	}
	in, name, err := OpenInput(ctx, env, r.Input)
	if err != nil {
		return err
	}
	defer in.Close()
	asOf := r.AsOf
	if asOf.IsZero() {
		now := time.Now
		if env.Now != nil {
			now = env.Now
		}
		loc := cfg.Location()
		if loc == nil {
			loc = time.UTC
		}
		y, m, d := now().In(loc).Date()
		asOf = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	opt := channels.Options{Config: cfg, Input: in, InputName: name, From: r.From, To: r.To, AsOf: asOf, Period: r.Period, Exact: r.Exact}
	if !r.Exact && cfg.Channels.MinCell > 1 {
		dir, err := env.StateDir()
		if err != nil {
			return err
		}
		if opt.Key, err = channels.LoadKey(dir); err != nil {
			return err
		}
		opt.StateDir = dir
		// The release record is kept per config file: a chain's branches,
		// each with its config, reported in turn are not one export whose
		// first day moved — and a rolling export saved under a new name
		// each night (export-2026-12-07.csv) is one export, whose moved
		// start must be warned of (keyed by the export's path, it never
		// was: the closing review).
		opt.Export = "config:" + r.ConfigFile
		if abs, err := filepath.Abs(r.ConfigFile); err == nil && r.ConfigFile != "" {
			opt.Export = "config:" + abs
		}
	}
	for _, s := range r.Spend {
		fh, err := os.Open(s.Path)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				return fmt.Errorf("open spend download %s: %w", DisplayPath(s.Path), pe.Err)
			}
			return err
		}
		defer fh.Close()
		opt.Spend = append(opt.Spend, channels.SpendInput{Platform: s.Platform, Name: DisplayPath(s.Path), R: fh})
	}
	rep, stats, err := channels.Build(ctx, opt)
	if err != nil {
		return err
	}
	w, commit, abort, err := openOutput(env, r.Out)
	if err != nil {
		return err
	}
	defer abort()
	err = write(w, rep)
	if err == nil {
		err = commit()
	}
	if err != nil && r.Out != "" {
		// Not last week's report left where this one was asked for.
		abort()
		return outputFailed(outFlag(r), r.Out, bareErr(err))
	}
	if err != nil {
		return err
	}
	if !env.Quiet {
		writeChannelStats(env.ErrOut, rep, stats, r.Out)
	}
	if rep.NotForSharing { // said even under --quiet, as warnings are: every output is marked
		why := "--exact or channels.min_cell 1"
		switch {
		case r.Exact:
			why = "--exact"
		case r.SettingOrigin != nil:
			// min_cell 1 can come silently from the environment, as a
			// weaker setting can (a review of the day's diff).
			if o := r.SettingOrigin("channels.min_cell"); o != "" {
				why = "channels.min_cell 1, set by " + o
			}
		}
		fmt.Fprintf(env.ErrOut, "hashgate channels: exact figures, NOT FOR SHARING (%s): outside the release rule's guarantee\n", why)
	}
	for _, w := range rep.Warnings { // warnings speak even under --quiet
		fmt.Fprintf(env.ErrOut, "hashgate channels: warning: %s\n", w)
	}
	// Either setting can come silently from the environment (a review:
	// HASHGATE_CHANNELS_MIN_CELL=2 printed a day's 2 visits with only the
	// legend changed): said even under --quiet, with where it came from.
	for _, k := range rep.Weaker {
		from := ""
		if r.SettingOrigin != nil {
			if o := r.SettingOrigin(k.Key); o != "" {
				from = ", set by " + o
			}
		}
		fmt.Fprintf(env.ErrOut, "hashgate channels: warning: %s %s (default %s)%s: below hashgate's default protection; every output of this report says so\n",
			k.Key, strconv.FormatFloat(k.Value, 'g', -1, 64), strconv.FormatFloat(k.Default, 'g', -1, 64), from)
	}
	return nil
}

// outFlag is the flag that named r.Out.
func outFlag(r ChannelsRequest) string {
	if r.Format == ChannelsHTML {
		return "--html"
	}
	return "--out"
}

// writeChannelStats accounts on stderr for every row read and every spend
// row, so the person running the report can trust its totals. Stderr
// travels with the report (cron mails it with stdout): under the release
// rule it prints no count of the export's rows — not the rows read either,
// which two exports a day apart difference into a day's count — only what
// kinds of row went uncounted and which problems were seen; --exact (or
// channels.min_cell 1) prints the counts, for the clinic's own eyes. The
// spend downloads' row counts are the platforms' figures, no patient's.
func writeChannelStats(w io.Writer, rep *channels.Report, s *channels.Stats, target string) {
	exact := rep.NotForSharing
	from, to := rep.From.Format(time.DateOnly), rep.To.Format(time.DateOnly)
	if exact {
		fmt.Fprintf(w, "hashgate channels: %d rows read, %d counted from %s to %s", s.Rows, s.Counted, from, to)
	} else {
		fmt.Fprintf(w, "hashgate channels: rows counted from %s to %s", from, to)
	}
	var ex []string
	for _, e := range []struct {
		n    int
		what string
	}{
		{s.OutsideWindow, "outside the window"}, {s.DuplicateRows, "that repeat an order id already counted"},
		{s.MissingOrderID, "without an order id"}, {s.InvalidTime, "without a readable date"},
		{s.Malformed, "too short"}, {s.TooLarge, "larger than input.max_record_bytes"}, {s.NotConsented, "without consent (channels.consented_only)"},
	} {
		switch {
		case e.n > 0 && exact:
			ex = append(ex, fmt.Sprintf("%d %s", e.n, strings.TrimPrefix(e.what, "that ")))
		case e.n > 0:
			ex = append(ex, "rows "+e.what)
		}
	}
	if len(ex) > 0 {
		fmt.Fprintf(w, "; not counted: %s", strings.Join(ex, ", "))
	}
	fmt.Fprintln(w)
	if !exact {
		fmt.Fprintln(w, "hashgate channels: how many rows of each kind, and of each problem below, prints with --exact, for the clinic's own eyes: the release rule keeps counts of the export's rows off stderr, which travels with the report")
	}
	switch {
	case s.HeaderRepeated > 0 && exact:
		// Said as the upload says it (a review: channels skipped them
		// without a word).
		fmt.Fprintln(w, "hashgate channels: "+export.RepeatedHeaderNote(s.HeaderRepeated, s.HeaderRepeatedLine))
	case s.HeaderRepeated > 0:
		// Its line would tell how many rows come before it.
		fmt.Fprintln(w, "hashgate channels: the header line repeated below it (exports joined into one file?): skipped, not rows (where: --exact)")
	}
	some := func(n int, noun string) string {
		if exact {
			return fmt.Sprintf("%d %s", n, noun)
		}
		return "some " + noun
	}
	if s.OtherClinic > 0 {
		// Not among the rows read: this report is this clinic's rows alone.
		fmt.Fprintf(w, "hashgate channels: %s of other clinics left out (input.other_clinic_rows: exclude): not rows of this report\n", some(s.OtherClinic, "rows"))
	}
	if s.BookedAtUnreadable > 0 {
		fmt.Fprintf(w, "hashgate channels: %s had no readable booked_at: their bookings count by appointment only, not in bookings_made\n", some(s.BookedAtUnreadable, "rows"))
	}
	if s.ValueSkipped > 0 {
		fmt.Fprintf(w, "hashgate channels: %s had no readable value (or one in a currency without a rate) and add nothing to revenue\n", some(s.ValueSkipped, "visits"))
		switch {
		case s.DecimalCommaAt != "" && exact:
			fmt.Fprintf(w, "hashgate channels: the first, %s, is %s\n", s.DecimalCommaAt, money.MarkAdvice(false))
		case s.DecimalCommaAt != "":
			// Its line would tell how many rows come before it.
			fmt.Fprintf(w, "hashgate channels: some are %s (where: --exact)\n", money.MarkAdvice(false))
		}
	}
	platforms := make([]string, 0, len(s.SpendRows))
	for p := range s.SpendRows {
		platforms = append(platforms, p)
	}
	sort.Strings(platforms)
	for _, p := range platforms {
		fmt.Fprintf(w, "hashgate channels: %s spend: %d rows, %d dates outside the window, %d total or summary rows skipped\n",
			p, s.SpendRows[p], s.SpendOutside[p], s.SpendSkipped[p])
	}
	for _, name := range s.NoSpend {
		fmt.Fprintf(w, "hashgate channels: no spend download for %s (pass --spend): its cost figures are not shown\n", name)
	}
	if target != "" {
		fmt.Fprintf(w, "hashgate channels: wrote %s\n", DisplayPath(target))
	}
}

// loadReleaseKey is the installation's release key in the state directory
// (channels.LoadKey), made on first use.
func loadReleaseKey(env *Env) ([]byte, error) {
	dir, err := env.StateDir()
	if err != nil {
		return nil, err
	}
	return channels.LoadKey(dir)
}
