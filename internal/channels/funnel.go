package channels

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/currency"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/money"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spend"
)

// SpendInput is one spend download to read.
type SpendInput struct {
	Platform platform.Platform
	Name     string // for messages
	R        io.Reader
}

// Options is one `hashgate channels` run.
type Options struct {
	Config    *config.Config
	Input     io.Reader
	InputName string
	Spend     []SpendInput
	// From and To bound the window (calendar dates, inclusive); a zero
	// value leaves that side open: the export's first or last day.
	From, To time.Time
	// visitBuffer, when set, is the new-patient log's buffer in visits
	// (tests shrink it to exercise the disk path).
	visitBuffer int
	// Period is all (or ""), month, week, day, or auto: month for a window
	// of more than three months, week for more than two weeks, else day
	// (the HTML page's trend when no period is asked for) — or all when a
	// spend download has no day breakdown.
	Period string
}

// Stats accounts for every row read, for the person running the command
// (stderr). They are row counts of the whole file, not of a channel.
type Stats struct {
	Rows           int // data rows read
	Counted        int // rows within the window that counted (Rows less every other field)
	OutsideWindow  int
	Malformed      int // shorter than the mapped columns
	TooLarge       int // records over input.max_record_bytes
	MissingOrderID int
	InvalidTime    int
	NotConsented   int // under channels.consented_only
	DuplicateRows  int // rows within the window of an order id already counted
	ValueSkipped   int // visits whose value was unreadable or in another currency without a rate
	// Spend rows per platform: read, and left out as outside the window.
	SpendRows, SpendOutside map[string]int
	// SpendSkipped counts total and summary rows of the downloads.
	SpendSkipped map[string]int
	// NoSpend lists the channels with a platform but no spend download.
	NoSpend []string
}

// cell is what one channel gathered over one day (or, summed, a period).
type cell struct {
	bookings, visits, newPatients float64
	revenue, ltvRevenue           float64
	spend, clicks, conversions    float64
}

func (c *cell) add(o *cell) {
	c.bookings += o.bookings
	c.visits += o.visits
	c.newPatients += o.newPatients
	c.revenue += o.revenue
	c.ltvRevenue += o.ltvRevenue
	c.spend += o.spend
	c.clicks += o.clicks
	c.conversions += o.conversions
}

// tally is the counting state of one run.
type tally struct {
	cfg    *config.Config
	attr   *Attributor
	nch    int // channels + Unattributed
	days   map[int32][]cell
	minDay int32
	maxDay int32
	seeded bool
	// patients holds a record per visit with a patient key, for the
	// new-patient count, in bounded memory (see visitLog).
	patients *visitLog
	rows     map[int32]int // rows counted per day, before the window is known
	dups     map[int32]int // of which repeat an order id already counted
	stats    Stats
	currency string
}

// dayNumber is the calendar date as days since 1970-01-01.
func dayNumber(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func dayTime(n int32) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

func (t *tally) day(n int32) []cell {
	c, ok := t.days[n]
	if !ok {
		c = make([]cell, t.nch)
		t.days[n] = c
	}
	return c
}

// Build reads the export and the spend downloads and returns the report
// with every small count suppressed, and the row accounting.
func Build(ctx context.Context, opt Options) (*Report, *Stats, error) {
	cfg := opt.Config
	t := &tally{
		cfg: cfg, attr: NewAttributor(cfg.Channels.List), nch: len(cfg.Channels.List) + 1,
		days: map[int32][]cell{}, patients: newVisitLog("", opt.visitBuffer), rows: map[int32]int{}, dups: map[int32]int{},
		stats: Stats{SpendRows: map[string]int{}, SpendOutside: map[string]int{}, SpendSkipped: map[string]int{}},
	}
	defer t.patients.close()
	files, err := readSpend(cfg, opt.Spend)
	if err != nil {
		return nil, nil, err
	}
	if t.currency, err = reportCurrency(cfg, files); err != nil {
		return nil, nil, err
	}
	if err := t.readExport(ctx, opt); err != nil {
		return nil, nil, err
	}
	from, to, err := t.window(opt.From, opt.To, files)
	if err != nil {
		return nil, nil, err
	}
	t.account(from, to, files)
	if err := t.creditNewPatients(from, to); err != nil {
		return nil, nil, err
	}
	period := opt.Period
	if period == "auto" {
		period = autoPeriod(from, to)
		if slices.ContainsFunc(files, func(f *spend.File) bool { return !f.Daily }) {
			period = "all" // a download without a day breakdown cannot be cut into periods
		}
	}
	spans, err := periods(period, from, to)
	if err != nil {
		return nil, nil, err
	}
	if err := t.addSpend(files, from, to, spans); err != nil {
		return nil, nil, err
	}
	rep := t.report(from, to, spans, period, files)
	return rep, &t.stats, nil
}

// account settles the row accounting once the window is known, and notes
// the platform channels without a spend download.
func (t *tally) account(from, to int32, files []*spend.File) {
	for d, n := range t.rows {
		if d < from || d > to {
			t.stats.OutsideWindow += n
		} else {
			t.stats.Counted += n - t.dups[d]
			t.stats.DuplicateRows += t.dups[d]
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
			Platform: in.Platform, Currency: sf.Currency, DateOrder: cfg.Input.DateOrder,
			Columns: spend.Preset(in.Platform).Override(c.Date, c.End, c.Cost, c.Clicks, c.Conversions, c.Currency),
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

// counter is the per-run state of reading the export.
type counter struct {
	t            *tally
	name         string
	times        *eventtime.Parser
	statuses     map[string]bool
	gate         *gate
	seed         maphash.Seed
	bookings     *keyset.Set // order keys counted as bookings
	visits       *keyset.Set // order keys counted as visits
	clickCols    [platform.Count][]export.Column
	loc          *time.Location
	parse        func(string) (float64, error)
	statusMapped bool
	patientKey   bool
}

// readExport counts every row of the export into its channel and day.
func (t *tally) readExport(ctx context.Context, opt Options) error {
	cfg := t.cfg
	spec := pipeline.Spec(cfg)
	if col := cfg.Input.Columns.Source; col != "" {
		spec.Headers[export.Source] = []string{col}
	}
	if col := cfg.Input.Columns.FBCLID; col != "" {
		spec.Headers[export.FBCLID] = []string{col}
	}
	rd, err := export.NewReader(opt.Input, opt.InputName, spec)
	if err != nil {
		return err
	}
	c := &counter{
		t: t, name: opt.InputName, times: eventtime.NewParser(pipeline.TimeOptions(cfg)),
		statuses: map[string]bool{}, seed: maphash.MakeSeed(),
		bookings: keyset.New("", keyset.Sizes{}), visits: keyset.New("", keyset.Sizes{}),
		loc: cfg.Location(), parse: money.Parse,
		statusMapped: cfg.Input.Columns.Status != "", patientKey: cfg.Input.Columns.PatientKey != "",
	}
	defer c.bookings.Close()
	defer c.visits.Close()
	for _, s := range cfg.Conversion.Statuses {
		c.statuses[consent.Fold(s)] = true
	}
	if cfg.Channels.ConsentedOnly {
		c.gate = newGate(cfg, eventtime.NewParser(pipeline.TimeOptions(cfg)))
	}
	if cfg.Input.DecimalComma {
		c.parse = money.ParseDecimalComma
	}
	// Each platform's click-id columns, from its Spec.
	for _, p := range platform.All {
		for _, key := range p.Spec().AttributionClickIDs {
			if col, ok := export.ColumnByKey(key); ok && len(spec.Headers[col]) > 0 {
				c.clickCols[p] = append(c.clickCols[p], col)
			}
		}
	}
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := c.count(row); err != nil {
			return err
		}
	}
}

// count puts one row into its channel and day: a booking the first time
// its order id is seen, a visit the first time it is seen with a visit
// status, and the patient's first visit and revenue.
func (c *counter) count(row export.Row) error {
	t, cfg := c.t, c.t.cfg
	t.stats.Rows++
	if row.Refused() != nil {
		t.stats.TooLarge++
		return nil
	}
	if row.Short() {
		t.stats.Malformed++
		return nil
	}
	order, ok := row.Key(export.OrderID)
	if !ok {
		t.stats.MissingOrderID++
		return nil
	}
	at, err := appointmentTime(cfg, c.times, row)
	if err != nil {
		if serr := settingMissing(c.name, row, cfg, err); serr != nil {
			return serr
		}
		t.stats.InvalidTime++
		return nil
	}
	if c.loc != nil {
		at = at.In(c.loc)
	}
	if c.gate != nil && !c.gate.allows(row, at) {
		t.stats.NotConsented++
		return nil
	}
	ch := t.attr.Channel(row.Get(export.Source), func(p platform.Platform) bool {
		return slices.ContainsFunc(c.clickCols[p], func(col export.Column) bool { return IsClickID(row.Get(col)) })
	})
	d := dayNumber(at)
	if !t.seeded || d < t.minDay {
		t.minDay = d
	}
	if !t.seeded || d > t.maxDay {
		t.maxDay = d
	}
	t.seeded = true
	t.rows[d]++
	key := maphash.String(c.seed, order)
	dup, err := c.bookings.Seen(key, true)
	if err != nil {
		return err
	}
	day := t.day(d)
	if dup {
		t.dups[d]++
	} else {
		day[ch].bookings++
	}
	if c.statusMapped && !c.statuses[consent.Fold(row.Get(export.Status))] {
		return nil
	}
	if seen, err := c.visits.Seen(key, true); err != nil || seen {
		return err // seen: a repeated row of a visit already counted
	}
	day[ch].visits++
	value, ok := t.value(row, c.parse)
	if ok {
		day[ch].revenue += value
	}
	if pk := row.Get(export.PatientKey); pk != "" && c.patientKey {
		return t.patients.add(maphash.String(c.seed, pk), at.Unix(), ch, value)
	}
	return nil
}

// value applies the value policy to a visit; ok is false when the policy
// yields no amount for it.
func (t *tally) value(row export.Row, parse func(string) (float64, error)) (float64, bool) {
	conv := t.cfg.Conversion
	var v float64
	cur := strings.ToUpper(conv.Currency)
	switch conv.Value {
	case config.ValueNone:
		return 0, false
	case config.ValueFixed:
		v = conv.FixedValue
	default:
		raw := row.Get(export.Value)
		var err error
		if v, err = parse(raw); raw == "" || err != nil {
			t.stats.ValueSkipped++
			return 0, false
		}
		if conv.Value == config.ValueBucket {
			v = money.Bucket(v, conv.ValueBuckets)
		}
		if c := strings.ToUpper(row.Get(export.Currency)); c != "" {
			if _, err := currency.ParseISO(c); err != nil || len(c) != 3 {
				t.stats.ValueSkipped++
				return 0, false
			}
			cur = c
		}
	}
	v, ok := t.convert(v, cur)
	if !ok {
		t.stats.ValueSkipped++
		return 0, false
	}
	return v, true
}

func appointmentTime(cfg *config.Config, p *eventtime.Parser, row export.Row) (time.Time, error) {
	if cfg.Input.Columns.AppointmentAt != "" {
		return p.Parse(row.Get(export.AppointmentAt))
	}
	date, clock := row.Get(export.AppointmentDate), row.Get(export.AppointmentTime)
	if clock == "" {
		return p.Parse(date)
	}
	return p.Parse(date + " " + clock)
}

// settingMissing turns a time the config cannot read (no zone, ambiguous
// day/month order, no year) into an error naming the key to set, as the
// upload pipeline does; other unreadable times are row problems (nil).
func settingMissing(name string, row export.Row, cfg *config.Config, err error) error {
	var key, problem string
	switch {
	case errors.Is(err, eventtime.ErrNoZone):
		key, problem = "timezone", "a time without a UTC offset needs the clinic's IANA time zone (e.g. timezone: Asia/Taipei)"
	case errors.Is(err, eventtime.ErrDateOrder):
		key, problem = "input.date_order", "this date could be month/day or day/month; say which (mdy, dmy or ymd)"
	case errors.Is(err, eventtime.ErrNoYear):
		key, problem = "input.default_year", "this date has no year; set the year the export covers"
	default:
		return nil
	}
	c := export.AppointmentAt
	if cfg.Input.Columns.AppointmentAt == "" {
		c = export.AppointmentDate
	}
	line, col := row.Position(c)
	return &config.Error{Key: key, Problem: fmt.Sprintf("%s:%d:%d: %s", name, line, col, problem)}
}

// gate applies the consent policy under channels.consented_only: a row
// counts when any of its configured consent columns passes.
type gate struct {
	policy *consent.Policy
	cols   []export.Column
	times  *eventtime.Parser
	atCol  bool
}

func newGate(cfg *config.Config, times *eventtime.Parser) *gate {
	c := cfg.Consent
	g := &gate{
		policy: consent.NewPolicy(consent.Options{
			Granted: c.Granted, Denied: c.Denied, Revoked: c.Revoked, Scoped: c.Scoped,
			RequireTimestamp: c.RequireTimestamp, RevokedAllowsEarlier: c.RevokedAllowsEarlier, Location: cfg.Location(),
		}),
		times: times, atCol: cfg.Input.Columns.ConsentAt != "",
	}
	col := cfg.Input.Columns
	for _, p := range []struct {
		name string
		c    export.Column
	}{{col.Consent, export.Consent}, {col.ConsentGoogle, export.ConsentGoogle}, {col.ConsentMeta, export.ConsentMeta}} {
		if p.name != "" {
			g.cols = append(g.cols, p.c)
		}
	}
	return g
}

func (g *gate) allows(row export.Row, at time.Time) bool {
	in := consent.Input{Event: at}
	if g.atCol {
		if v := row.Get(export.ConsentAt); v != "" {
			in.HasAt = true
			in.At, in.AtErr = g.times.Parse(v)
		}
	}
	for _, c := range g.cols {
		in.Value = row.Get(c)
		if g.policy.Decide(in) == "" {
			return true
		}
	}
	return false
}

// window settles the report's first and last day: the flags, or else the
// export's first and last appointment day.
func (t *tally) window(from, to time.Time, files []*spend.File) (int32, int32, error) {
	lo, hi := t.minDay, t.maxDay
	if !t.seeded {
		// No dated row: fall back on the spend downloads' days.
		first := true
		for _, f := range files {
			for _, r := range f.Rows {
				a, b := dayNumber(r.From), dayNumber(r.To)
				if first || a < lo {
					lo = a
				}
				if first || b > hi {
					hi = b
				}
				first = false
			}
		}
		if first && (from.IsZero() || to.IsZero()) {
			return 0, 0, errors.New("no dated appointment in the export and no spend rows: pass --from and --to")
		}
	}
	if !from.IsZero() {
		lo = dayNumber(from)
	}
	if !to.IsZero() {
		hi = dayNumber(to)
	}
	if hi < lo {
		return 0, 0, fmt.Errorf("--to %s is before --from %s", dayTime(hi).Format(time.DateOnly), dayTime(lo).Format(time.DateOnly))
	}
	if hi-lo > 3660 {
		return 0, 0, errors.New("the window is longer than ten years: pass --from and --to")
	}
	return lo, hi, nil
}

// creditNewPatients counts each patient whose first visit in the whole
// export falls in the window as a new patient of that visit's channel,
// with the revenue of all their visits.
func (t *tally) creditNewPatients(from, to int32) error {
	loc := t.location() // loaded once: LoadLocation reads the zone database
	return t.patients.each(func(first int64, channel int, revenue float64) {
		d := dayNumber(time.Unix(first, 0).In(loc))
		if d < from || d > to {
			return
		}
		c := t.day(d)
		c[channel].newPatients++
		c[channel].ltvRevenue += revenue
	})
}

func (t *tally) location() *time.Location {
	if loc := t.cfg.Location(); loc != nil {
		return loc
	}
	return time.UTC
}

// span is one period of the report: days [from, to].
type span struct{ from, to int32 }

// autoPeriod picks the period that gives a trend of a readable length.
func autoPeriod(from, to int32) string {
	switch n := to - from + 1; {
	case n > 92:
		return "month"
	case n > 14:
		return "week"
	}
	return "day"
}

// periods cuts [from, to] into calendar months, ISO weeks (Monday first)
// or days; all is one span.
func periods(period string, from, to int32) ([]span, error) {
	switch period {
	case "", "all":
		return []span{{from, to}}, nil
	case "month", "week", "day":
	default:
		return nil, fmt.Errorf("--period: want all, month, week or day, got %q", period)
	}
	var out []span
	for d := from; d <= to; {
		end := d
		t := dayTime(d)
		switch period {
		case "month":
			end = dayNumber(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)) - 1
		case "week":
			wd := (int(t.Weekday()) + 6) % 7 // Monday 0
			end = d + int32(6-wd)
		}
		end = min(end, to)
		out = append(out, span{d, end})
		d = end + 1
	}
	if len(out) > 400 {
		return nil, fmt.Errorf("--period %s makes %d periods: choose a longer period or a shorter window", period, len(out))
	}
	return out, nil
}

// addSpend sums each download into its platform's channel, by day. A row
// that covers several days (a download without a day breakdown) counts
// when the whole range is inside the window and inside one period; one
// that straddles an edge stops the run, since splitting it would invent
// figures the platform never reported.
func (t *tally) addSpend(files []*spend.File, from, to int32, spans []span) error {
	for _, f := range files {
		ch := platformChannel(t.cfg, f.Platform)
		t.stats.SpendSkipped[f.Platform.String()] += f.Skipped
		for _, r := range f.Rows {
			t.stats.SpendRows[f.Platform.String()]++
			a, b := dayNumber(r.From), dayNumber(r.To)
			if b < from || a > to {
				t.stats.SpendOutside[f.Platform.String()]++
				continue
			}
			if a < from || b > to {
				return &spend.Error{File: f.Name, Line: r.Line, Reason: fmt.Sprintf("this row covers %s to %s, across the edge of the window %s to %s: download the report for the same dates, or with a day breakdown",
					dayTime(a).Format(time.DateOnly), dayTime(b).Format(time.DateOnly), dayTime(from).Format(time.DateOnly), dayTime(to).Format(time.DateOnly))}
			}
			for _, s := range spans {
				if a >= s.from && a <= s.to && b > s.to {
					return &spend.Error{File: f.Name, Line: r.Line, Reason: "this row covers several days across two periods: download the report with a day breakdown to use --period"}
				}
			}
			cost, _ := t.convert(r.Cost, r.Currency) // reportCurrency checked every rate
			c := &t.day(a)[ch]
			c.spend += cost
			c.clicks += r.Clicks
			c.conversions += r.Conversions
		}
	}
	return nil
}
