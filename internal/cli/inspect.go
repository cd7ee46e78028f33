package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/channelreport"
	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/inspect"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/run"
)

// InspectOptions are the inputs of `hashgate inspect`.
type InspectOptions struct {
	f         *Factory
	root      *rootOptions
	Input     string
	Encoding  string
	Delimiter string
	HeaderRow int
	JSON      bool
}

func newInspectCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &InspectOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "inspect EXPORT",
		Short: "Profile an export for writing a config, without printing any cell",
		Long: `inspect reads an export and reports what a config needs: the encoding,
delimiter and header line it detected, and per column the fill rate, the
number of distinct values and the formats its cells have ("date, ROC
yyy/mm/dd 97%", "phone, TW mobile 88%"), then proposes input.columns from
header names in English, 繁體中文 and 简体中文.

Only what cannot be patient data is printed: counts, format names, header
names, and consent, status or channel words of hashgate's own vocabulary
that share no token with the names, phones, e-mails or notes of the export;
other values are counted, never shown, and no value of a treatment,
procedure, diagnosis or note column is. Column names hashgate recognises are
always shown; others only when the values below the line change shape (it
is a header, not data) or --header-row names the line. Give "-" to read
standard input. 'hashgate config init --from EXPORT' turns the result into
a starting config.

With --config (or HASHGATE_CONFIG) naming a config with channels.list, it
also counts per channel — by the source words the channel report matches —
the rows with a Google and with a Meta click id: how much of each channel
Google can still measure when it receives click ids only. Counts under
channels.min_cell are withheld as in the channel report; the others are
exact (not perturbed like a released report): keep the output in the clinic.`,
		Example: `  hashgate inspect export.csv
  hashgate inspect --config hashgate.yaml export.csv
  hashgate inspect --encoding big5 --header-row 3 export.csv
  hashgate inspect --json export.csv | jq '.columns[] | {header, filled}'`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Input = args[0]
			return inspectRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Encoding, "encoding", "auto", "auto, utf-8, utf-16, big5, gbk or gb18030")
	fl.StringVar(&opts.Delimiter, "delimiter", "", `field separator: "", ",", ";", "tab" or "|" (empty detects)`)
	fl.IntVar(&opts.HeaderRow, "header-row", 0, "1-based header line (0 finds it)")
	fl.BoolVar(&opts.JSON, "json", false, "print the profile as JSON")
	return cmd
}

func inspectRun(ctx context.Context, o *InspectOptions) error {
	chOpt, err := inspectChannels(o)
	if err != nil {
		return err
	}
	p, err := profileExportWith(ctx, o.f, o.root, o.Input, o.Encoding, o.Delimiter, o.HeaderRow, chOpt)
	if err != nil {
		return err
	}
	if o.JSON {
		enc := json.NewEncoder(o.f.IO.Out)
		enc.SetIndent("", "  ")
		return enc.Encode(p)
	}
	return writeProfile(o.f.IO.Out, p)
}

// inspectChannels reads the channels of the config --config (or
// HASHGATE_CONFIG) names, for the click-id share per channel; nil when no
// config was named (./hashgate.yaml alone is not asked for: inspect is
// what a clinic runs before it has a config) or it has no channels.list.
// Only the keys are checked: the export the config is being written for
// may not be mapped yet.
func inspectChannels(o *InspectOptions) (*inspect.Channels, error) {
	if o.root == nil {
		return nil, nil
	}
	path, explicit := configPath(o.f, o.root.ConfigPath, o.root.configChanged)
	if !explicit {
		return nil, nil
	}
	cfg, err := loadConfigFor(o.f, path, true, nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if len(cfg.Channels.List) == 0 {
		return nil, nil
	}
	return &inspect.Channels{List: cfg.Channels.List, SourceColumn: cfg.Input.Columns.Source, MinCell: cfg.Channels.MinCell}, nil
}

// profileExport opens and profiles one export with the given read settings.
func profileExport(ctx context.Context, f *Factory, root *rootOptions, path, encoding, delimiter string, headerRow int) (*inspect.Profile, error) {
	return profileExportWith(ctx, f, root, path, encoding, delimiter, headerRow, nil)
}

// profileExportWith is profileExport with the click-id share per channel
// of ch (nil for none).
func profileExportWith(ctx context.Context, f *Factory, root *rootOptions, path, encoding, delimiter string, headerRow int, ch *inspect.Channels) (*inspect.Profile, error) {
	d, ok := config.Delimiter(delimiter)
	if !ok {
		return nil, &UsageError{Err: fmt.Errorf("--delimiter: want \",\", \";\", \"tab\" or \"|\", got %q", delimiter)}
	}
	known := false
	for _, e := range export.Encodings {
		known = known || e == encoding
	}
	if !known {
		return nil, &UsageError{Err: fmt.Errorf("--encoding: want one of %s, got %q", strings.Join(export.Encodings, ", "), encoding)}
	}
	in, name, err := run.OpenInput(ctx, f.env(root), path)
	if err != nil {
		return nil, err
	}
	defer in.Close()
	return inspect.Run(in, name, inspect.Options{Encoding: encoding, Delimiter: d, HeaderRow: headerRow, Channels: ch})
}

func writeProfile(out io.Writer, p *inspect.Profile) error {
	w := bufio.NewWriter(out)
	fmt.Fprintf(w, "file:      %s\n", p.File)
	fmt.Fprintf(w, "encoding:  %s\n", p.Encoding)
	fmt.Fprintf(w, "delimiter: %s\n", p.Delimiter)
	switch {
	case p.HeaderWithheld == 0:
		fmt.Fprintf(w, "header:    line %d\n", p.HeaderLine)
	case p.HeaderKnown:
		fmt.Fprintf(w, "header:    line %d; %d names hashgate does not know are not shown, as the line could be data (--header-row %d shows them)\n", p.HeaderLine, p.HeaderWithheld, p.HeaderLine)
	default:
		fmt.Fprintf(w, "header:    line %d taken as the header, but no name in it is one hashgate knows and the values below do not change shape; names are not shown in case it is data (--header-row N shows them)\n", p.HeaderLine)
	}
	fmt.Fprintf(w, "rows:      %d\n", p.Rows)
	if p.HeaderRepeated > 0 {
		fmt.Fprintln(w, "           "+export.RepeatedHeaderNote(p.HeaderRepeated, p.HeaderRepeatedLine))
	}
	fmt.Fprintf(w, "\ncolumns:\n")
	for _, c := range p.Columns {
		head := c.Header
		if head == "" {
			head = fmt.Sprintf("(column %d)", c.Index)
		}
		fill := 0
		if p.Rows > 0 {
			fill = c.Filled * 100 / p.Rows
		}
		distinct := fmt.Sprintf("%d distinct", c.Distinct)
		if c.Many {
			distinct = fmt.Sprintf("over %d distinct", c.Distinct)
		}
		fmt.Fprintf(w, "  %2d  %s filled %3d%%, %s\n", c.Index, padDisplay(head, 20), fill, distinct)
		for i, s := range c.Classes {
			if i == 3 {
				fmt.Fprintf(w, "        … %d more formats\n", len(c.Classes)-3)
				break
			}
			fmt.Fprintf(w, "        %s %3d%%\n", padDisplay(s.Name, 46), s.Count*100/max(c.Filled, 1))
		}
		if len(c.Vocabulary) > 0 {
			var words []string
			for _, v := range c.Vocabulary {
				words = append(words, fmt.Sprintf("%s ×%d", v.Name, v.Count))
			}
			fmt.Fprintf(w, "        known words: %s\n", strings.Join(words, ", "))
		}
		if c.Unshown > 0 && c.Unshown < c.Filled {
			fmt.Fprintf(w, "        %d rows hold other values, not shown\n", c.Unshown)
		}
	}
	fmt.Fprintf(w, "\nproposed input.columns:\n")
	if len(p.Proposed) == 0 {
		fmt.Fprintf(w, "  (none recognised; name the columns yourself)\n")
	}
	for _, m := range p.Proposed {
		fmt.Fprintf(w, "  %s %s   # %s\n", padDisplay(m.Key+":", 17), yamlList(m.Headers), m.Why)
	}
	fmt.Fprintf(w, "\nclick ids: %s\n", clickShare(p.Rows, p.ClickIDs.Google, p.ClickIDs.GoogleColumns, platform.KeyGCLID+"/"+platform.KeyGBRAID+"/"+platform.KeyWBRAID,
		"Google receives only these rows by default (customer data policy; README, Click ids)"))
	fmt.Fprintf(w, "           %s\n", clickShare(p.Rows, p.ClickIDs.Meta, p.ClickIDs.MetaColumns, platform.KeyFBCLID, "hashgate channels attributes these rows to Meta"))
	writeChannelClickIDs(w, p)
	for _, hint := range profileHints(p) {
		fmt.Fprintf(w, "note: %s\n", hint)
	}
	return w.Flush()
}

// writeChannelClickIDs prints the click-id share per channel (--config with
// channels.list): counts and shares, withheld counts as the channel report
// prints them ("<5" below min_cell, "*" hidden with it), never a value.
func writeChannelClickIDs(w io.Writer, p *inspect.Profile) {
	if p.ChannelSourceMissing != "" {
		fmt.Fprintf(w, "\nclick ids by channel: not counted: %s\n", p.ChannelSourceMissing)
		return
	}
	if len(p.ChannelClickIDs) == 0 {
		return
	}
	withheld := false
	for _, c := range p.ChannelClickIDs {
		withheld = withheld || len(c.Suppressed) > 0
	}
	small := fmt.Sprintf("<%d", p.ChannelMinCell)
	fmt.Fprintf(w, "\nclick ids by channel (rows by the source words of channels.list; a row's share of its channel):\n")
	line := fmt.Sprintf("  %s %8s", padDisplay("channel", 24), "rows")
	for _, pl := range platform.All {
		line += fmt.Sprintf("   %-22s", strings.Join(pl.Spec().AttributionClickIDs, "/"))
	}
	fmt.Fprintln(w, strings.TrimRight(line, " "))
	cell := func(c inspect.ChannelClickIDs, key string, v *int) string {
		switch {
		case v != nil && key != "rows" && c.Rows != nil && *c.Rows > 0:
			return fmt.Sprintf("%d (%.0f%%)", *v, float64(*v)*100/float64(*c.Rows))
		case v != nil:
			return fmt.Sprintf("%d", *v)
		case slices.Contains(c.Small, key):
			return small
		}
		return "*"
	}
	for _, c := range p.ChannelClickIDs {
		line := fmt.Sprintf("  %s %8s", padDisplay(c.Name, 24), cell(c, "rows", c.Rows))
		for _, pl := range platform.All {
			line += fmt.Sprintf("   %-22s", cell(c, pl.String(), c.ClickIDs[pl.String()]))
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	if withheld {
		fmt.Fprintf(w, "  %s: fewer than channels.min_cell; *: withheld so that the totals above do not give one back\n", small)
	}
	// Exact above min_cell and unperturbed: two outputs of exports a day
	// apart differ by that day's rows exactly, which the channel report's
	// release rule exists to prevent (README "Small cells"). Said where the
	// counts are, for whoever forwards them.
	fmt.Fprintln(w, "  exact counts, for setting hashgate up: not for sharing (the channel report is what may leave the clinic)")
}

// clickShare says how many rows carry a click id of one kind: a count and
// a share, never a value.
func clickShare(rows, n int, hasColumn bool, kind, why string) string {
	if !hasColumn {
		return fmt.Sprintf("%s: no column (README, \"Click ids\", says how to keep them in the export)", kind)
	}
	share := 0.0
	if rows > 0 {
		share = float64(n) * 100 / float64(rows)
	}
	return fmt.Sprintf("%s: %d of %d rows (%.0f%%) — %s", kind, n, rows, share, why)
}

// profileHints are the settings the formats found call for.
func profileHints(p *inspect.Profile) []string {
	var out []string
	if p.DateOrder != "" {
		out = append(out, "numeric dates: a day above 12 proves input.date_order: "+p.DateOrder)
	}
	if p.NeedDateOrder {
		out = append(out, "dates such as 5/8/2024 were found and no day above 12 proves their order: set input.date_order (mdy or dmy); hashgate will not guess")
	}
	if p.NoYearDates {
		out = append(out, "dates without a year (month and day only) were found: the upload window fixes their year; set input.default_year only for an older file")
	}
	if p.Timezone == "" && !p.ZoneStated {
		out = append(out, "the appointment times carry no UTC offset: set timezone to the clinic's IANA zone")
	}
	if p.ExcelDates {
		out = append(out, "five-digit numbers were found; if they are Excel serial dates, set input.excel_dates: \"1900\"")
	}
	if p.Region != "" {
		out = append(out, "phone numbers point to region "+p.Region)
	}
	if len(p.Mapped("consent")) == 0 {
		out = append(out, "no consent column was recognised: hashgate sends nothing without one (input.columns.consent)")
	}
	return out
}

// yamlList renders one header as a string and several as a flow list.
func yamlList(hs []string) string {
	if len(hs) == 1 {
		return yamlString(hs[0])
	}
	q := make([]string, len(hs))
	for i, h := range hs {
		q[i] = yamlString(h)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// yamlString quotes s for YAML when it needs it. JSON strings are YAML
// strings; without HTML escaping, so that OpenEMR's status ">" reads ">"
// to the person reviewing the config, not "\u003e".
func yamlString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return strings.TrimSuffix(b.String(), "\n")
}

// padDisplay pads s with spaces to n terminal columns: CJK characters
// (East Asian Wide and Fullwidth, Unicode UAX #11) take two columns, so
// padding by runes or bytes would misalign a table of 繁體 and English
// names.
func padDisplay(s string, n int) string {
	if w := channelreport.Width(s); w < n {
		return s + strings.Repeat(" ", n-w)
	}
	return s
}
