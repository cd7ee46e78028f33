package channels

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spend"
)

// The platforms' spend in the channel report: the downloads read, their
// currency, the channel each belongs to, the days they cover (coverage),
// and their amounts spread over the report's periods.

// account settles the row accounting once the window is known, and notes
// the platform channels without a spend download.
func (t *tally) account(from, to int32, files []*spend.File) {
	for d, n := range t.rows {
		if d < from || d > to {
			t.stats.OutsideWindow += n
		} else {
			t.stats.Counted += t.orderN[d]
			t.stats.DuplicateRows += n - t.orderN[d]
		}
	}
	for _, ch := range t.cfg.Channels.List {
		p := ch.AdPlatform()
		if p == 0 || slices.ContainsFunc(files, func(f *spend.File) bool { return f.Platform == p }) {
			continue
		}
		t.stats.NoSpend = append(t.stats.NoSpend, ch.Name)
	}
}

// readSpend reads every download, with the built-in preset of its
// platform and the config's overrides.
func readSpend(cfg *config.Config, inputs []SpendInput) ([]*spend.File, error) {
	var files []*spend.File
	for _, in := range inputs {
		if platformChannel(cfg, in.Platform) < 0 {
			return nil, &config.Error{Key: "channels.list", Problem: fmt.Sprintf("--spend %s=%s: no channel has platform %s, so its spend belongs nowhere", in.Platform, in.Name, in.Platform)}
		}
		sf := cfg.SpendFile(in.Platform)
		c := sf.Columns
		f, err := spend.Read(in.R, in.Name, spend.Options{
			Platform: in.Platform, Currency: sf.Currency, DateOrder: cfg.Input.DateOrder, Encoding: sf.Encoding,
			Columns:     spend.Preset(in.Platform).Override(c.Date, c.End, c.Cost, c.Clicks, c.Conversions, c.Currency, c.ResultIndicator).WithBookings(c.BookingConversions).WithName(c.Name),
			ResultTypes: sf.ResultTypes,
		})
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// platformChannel returns the index of the channel of platform p, or -1.
func platformChannel(cfg *config.Config, p platform.Platform) int {
	for i, ch := range cfg.Channels.List {
		if ch.AdPlatform() == p {
			return i
		}
	}
	return -1
}

// reportCurrency is conversion.currency, or — when it is not set — the one
// currency the spend downloads share. Spend in any other currency needs a
// rate (spend.rates); without one the run stops and names both.
func reportCurrency(cfg *config.Config, files []*spend.File) (string, error) {
	cur := strings.ToUpper(cfg.Conversion.Currency)
	for _, f := range files {
		for _, r := range f.Rows {
			if cur == "" {
				cur = r.Currency
			}
			if r.Currency == cur {
				continue
			}
			if _, ok := rate(cfg, r.Currency); ok {
				continue
			}
			key := "conversion.currency"
			if cfg.Conversion.Currency == "" {
				key = "spend"
			}
			return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s:%d: spend in %s, but the report is in %s (conversion.currency): download the report in %s, or set spend.rates.%s to the number of %s one %s is worth",
				f.Name, r.Line, r.Currency, cur, cur, r.Currency, cur, r.Currency)}
		}
	}
	return cur, nil
}

// rate returns the configured rate of code into conversion.currency.
func rate(cfg *config.Config, code string) (float64, bool) {
	for k, v := range cfg.Spend.Rates {
		if strings.EqualFold(k, code) {
			return v, true
		}
	}
	return 0, false
}

// convert turns amount in code into the report currency.
func (t *tally) convert(amount float64, code string) (float64, bool) {
	if code == "" || code == t.currency || t.currency == "" {
		return amount, true
	}
	r, ok := rate(t.cfg, code)
	return amount * r, ok
}

// addSpend sums each download into its platform's channel, by day. A row
// that covers several days (a download without a day breakdown) counts
// when it covers exactly one period of the report (the whole window under
// --period all); any other range stops the run, since splitting it would
// invent figures the platform never reported. Rows wholly outside the
// window are left out.
func (t *tally) addSpend(files []*spend.File, from, to int32, spans []span) error {
	for _, f := range files {
		ch := platformChannel(t.cfg, f.Platform)
		t.stats.SpendSkipped[f.Platform.String()] += f.Skipped
		t.stats.SpendRows[f.Platform.String()] += f.Read
		for _, r := range f.Rows {
			a, b := dayNumber(r.From), dayNumber(r.To)
			if b < from || a > to {
				t.stats.SpendOutside[f.Platform.String()]++ // dates, not rows: rows are summed per date
				continue
			}
			if a != b && !slices.Contains(spans, span{a, b}) {
				what := fmt.Sprintf("the window %s to %s", dayTime(from).Format(time.DateOnly), dayTime(to).Format(time.DateOnly))
				if len(spans) > 1 {
					what = "one period of the report"
				}
				return &spend.Error{File: f.Name, Line: r.Line, Reason: fmt.Sprintf("this row covers %s to %s, not exactly %s: download the report for the same dates, or with a day breakdown",
					dayTime(a).Format(time.DateOnly), dayTime(b).Format(time.DateOnly), what)}
			}
			if a < from || b > to {
				return &spend.Error{File: f.Name, Line: r.Line, Reason: fmt.Sprintf("this row covers %s to %s, across the edge of the window %s to %s: download the report for the same dates, or with a day breakdown",
					dayTime(a).Format(time.DateOnly), dayTime(b).Format(time.DateOnly), dayTime(from).Format(time.DateOnly), dayTime(to).Format(time.DateOnly))}
			}
			cost, _ := t.convert(r.Cost, r.Currency) // reportCurrency checked every rate
			c := &t.day(a)[ch]
			c.spend += cost
			c.clicks += r.Clicks
			c.conversions += r.Conversions
			c.bookingClaims += r.Bookings
			if !(c.spend <= spend.MaxSum) {
				return &spend.Error{File: f.Name, Line: r.Line, Reason: fmt.Sprintf("the spend of this day, converted into %s, passes %g", t.currency, spend.MaxSum)}
			}
		}
		if len(f.ResultTypes) > 1 && len(t.cfg.SpendFile(f.Platform).ResultTypes) == 0 {
			t.warnings = append(t.warnings, fmt.Sprintf("%s: platform_conversions sums %d result types (%s): set spend.%s.result_types to the one that means a patient",
				f.Name, len(f.ResultTypes), strings.Join(printableTypes(f.ResultTypes), ", "), f.Platform))
		}
	}
	return nil
}

// printableTypes keeps the result indicators shaped as Meta writes them
// (action types: letters, digits, '_', '.', ':'); others are counted.
func printableTypes(types []string) []string {
	var out []string
	other := 0
	for _, ty := range types {
		ok := len(ty) <= 80
		for _, r := range ty {
			ok = ok && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '.' || r == ':')
		}
		if ok {
			out = append(out, ty)
		} else {
			other++
		}
	}
	if other > 0 {
		out = append(out, fmt.Sprintf("%d more", other))
	}
	return out
}

// coverage is, per platform, the days its downloads report on.
type coverage map[platform.Platform][]span

func coverageOf(files []*spend.File) coverage {
	c := coverage{}
	for _, f := range files {
		if f.CoverFrom.IsZero() {
			continue
		}
		c[f.Platform] = append(c[f.Platform], span{dayNumber(f.CoverFrom), dayNumber(f.CoverTo)})
	}
	return c
}

// missing counts the days of s that no download of p covers.
func (c coverage) missing(p platform.Platform, s span) int {
	n := 0
	for d := s.from; d <= s.to; d++ {
		if !c.covers(p, d) {
			n++
		}
	}
	return n
}

func (c coverage) covers(p platform.Platform, d int32) bool {
	for _, sp := range c[p] {
		if d >= sp.from && d <= sp.to {
			return true
		}
	}
	return false
}

// missingAny counts the days of s that some platform of ps lacks.
func (c coverage) missingAny(ps []platform.Platform, s span) int {
	n := 0
	for d := s.from; d <= s.to; d++ {
		for _, p := range ps {
			if !c.covers(p, d) {
				n++
				break
			}
		}
	}
	return n
}

// missingRuns lists the runs of days of s that p lacks, for the warning.
func (c coverage) missingRuns(p platform.Platform, s span) []span {
	var out []span
	for d := s.from; d <= s.to; d++ {
		if c.covers(p, d) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].to == d-1 {
			out[n-1].to = d
		} else {
			out = append(out, span{d, d})
		}
	}
	return out
}
