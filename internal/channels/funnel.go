package channels

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"golang.org/x/text/currency"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
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
	// AsOf is the first day whose appointments are still to come: they
	// count as bookings, pending, never in the show rate (--as-of; the
	// caller's today in the clinic's time zone). Zero: no appointment is
	// pending.
	AsOf time.Time
	// visitBuffer and orderBuffer, when set, are the new-patient and
	// order logs' buffers in records (tests shrink them to exercise the
	// disk path).
	visitBuffer, orderBuffer int
	// Key is the installation's release key (LoadKey): the figures are
	// perturbed under it (release.go). Required unless Exact, or
	// channels.min_cell is 1.
	Key []byte
	// Exact prints exact figures, unsuppressed: for the clinic's own eyes,
	// marked not for sharing (Report.NotForSharing).
	Exact bool
	// noiseSpread, in tests, widens the count noise (releaser.spread).
	noiseSpread uint64
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
	// BookedAtUnreadable counts rows whose booked_at could not be read:
	// their bookings count by appointment, not in bookings_made.
	BookedAtUnreadable int
	// Spend rows per platform: read, and left out as outside the window.
	SpendRows, SpendOutside map[string]int
	// SpendSkipped counts total and summary rows of the downloads.
	SpendSkipped map[string]int
	// NoSpend lists the channels with a platform but no spend download.
	NoSpend []string
}

// cell is what one channel gathered over one day (or, summed, a period).
// Counts are float64 for the suppression grids; money is exact (amount).
type cell struct {
	bookings, visits, noShows, cancellations, pending, unclassified float64
	newVisits, ltvPatients                                          float64
	bookingsMade, leadDays                                          float64 // by the day booked (booked_at)
	revenue, newRevenue, ltvRevenue                                 amount
	spend, clicks, conversions                                      float64
	// keys sums the record keys of each measure's records: the cell key of
	// the release rule (release.go).
	keys [numMeasures]uint64
	// top, newTop and ltvTop are the largest single contributions to
	// revenue and newRevenue (one visit) and to ltvRevenue (one new
	// patient): the dominance rule.
	top, newTop, ltvTop amount
}

func (c *cell) add(o *cell) {
	c.bookings += o.bookings
	c.visits += o.visits
	c.noShows += o.noShows
	c.cancellations += o.cancellations
	c.pending += o.pending
	c.unclassified += o.unclassified
	c.newVisits += o.newVisits
	c.ltvPatients += o.ltvPatients
	c.bookingsMade += o.bookingsMade
	c.leadDays += o.leadDays
	c.revenue += o.revenue
	c.newRevenue += o.newRevenue
	c.ltvRevenue += o.ltvRevenue
	c.spend += o.spend
	c.clicks += o.clicks
	c.conversions += o.conversions
	for m := range c.keys {
		c.keys[m] += o.keys[m]
	}
	c.top, c.newTop, c.ltvTop = max(c.top, o.top), max(c.newTop, o.newTop), max(c.ltvTop, o.ltvTop)
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
	asOf   int32 // first pending day; math.MaxInt32 when none is
	// orders holds one record per counted row until every row is read;
	// patients one per visit with a patient key, for the new-patient
	// count. Both keep memory flat (see sorter).
	orders   *sorter[orderRow]
	patients *visitLog
	rows     map[int32]int // rows per day of their order's deciding row
	orderN   map[int32]int // orders per day
	stats    Stats
	currency string
	warnings []string
	// words are the unmatched source words the printing rule allows, in
	// the order first seen; wordDays counts bookings per word and day.
	words    []string // folded
	wordIdx  map[string]int32
	wordRule *wordRule
	wordDays map[int32]map[int32]float64
	// rel perturbs the figures; nil for exact ones.
	rel *releaser
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
	ob := opt.orderBuffer
	if ob <= 0 {
		ob = defaultOrderBuffer
	}
	t := &tally{
		cfg: cfg, attr: NewAttributor(cfg.Channels.List), nch: len(cfg.Channels.List) + 1,
		days: map[int32][]cell{}, orders: newSorter(orderCodec, "", ob), patients: newVisitLog("", opt.visitBuffer),
		rows: map[int32]int{}, orderN: map[int32]int{}, asOf: math.MaxInt32,
		wordIdx: map[string]int32{}, wordDays: map[int32]map[int32]float64{},
		stats: Stats{SpendRows: map[string]int{}, SpendOutside: map[string]int{}, SpendSkipped: map[string]int{}},
	}
	if !opt.AsOf.IsZero() {
		t.asOf = dayNumber(opt.AsOf)
	}
	defer t.orders.close()
	defer t.patients.close()
	if !opt.Exact && cfg.Channels.MinCell > 1 {
		if len(opt.Key) == 0 {
			return nil, nil, errors.New("channels: no release key (the state directory's channels.key) and not --exact")
		}
		t.rel = &releaser{key: opt.Key, spread: opt.noiseSpread}
	}
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
	if err := t.decideOrders(); err != nil {
		return nil, nil, err
	}
	from, to, err := t.window(opt.From, opt.To, files)
	if err != nil {
		return nil, nil, err
	}
	t.account(from, to, files)
	if err := t.creditNewPatients(); err != nil {
		return nil, nil, err
	}
	t.warnHistory(from)
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

// warnHistory warns when the export reaches back less than
// channels.history_days before the window: a patient last seen earlier
// than the export's first day would count as new.
func (t *tally) warnHistory(from int32) {
	h := t.cfg.Channels.HistoryDays
	if t.cfg.Input.Columns.PatientKey == "" || h <= 0 || !t.seeded {
		return
	}
	if have := from - t.minDay; have < int32(h) {
		start := dayTime(t.minDay).Format(time.DateOnly)
		reach := fmt.Sprintf("%d days before the window", have)
		if have <= 0 {
			reach = "no earlier than the window"
		}
		t.warnings = append(t.warnings, fmt.Sprintf(
			"the export starts %s, %s, and channels.history_days asks for %d: a patient last seen before %s counts as a new patient; export more history, or read new_patients and cac as an upper bound",
			start, reach, h, start))
	}
}

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
			Platform: in.Platform, Currency: sf.Currency, DateOrder: cfg.Input.DateOrder,
			Columns:     spend.Preset(in.Platform).Override(c.Date, c.End, c.Cost, c.Clicks, c.Conversions, c.Currency, c.ResultIndicator),
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

// counter is the per-run state of reading the export.
type counter struct {
	t            *tally
	name         string
	times        *eventtime.Parser
	outcomes     map[string]outcome // folded status → outcome
	gate         *gate
	seed         maphash.Seed
	clickCols    [platform.Count][]export.Column
	loc          *time.Location
	parse        func(string) (float64, error)
	statusMapped bool
	patientKey   bool
	bookedAt     bool
	words        *wordRule
}

// readExport reads every row of the export into the order log.
func (t *tally) readExport(ctx context.Context, opt Options) error {
	cfg := t.cfg
	spec := pipeline.Spec(cfg)
	if col := cfg.Input.Columns.Source; col != "" {
		spec.Headers[export.Source] = []string{col}
	}
	if col := cfg.Input.Columns.FBCLID; col != "" {
		spec.Headers[export.FBCLID] = []string{col}
	}
	if col := cfg.Input.Columns.BookedAt; col != "" {
		spec.Headers[export.BookedAt] = []string{col}
	}
	rd, err := export.NewReader(opt.Input, opt.InputName, spec)
	if err != nil {
		return err
	}
	c := &counter{
		t: t, name: opt.InputName, times: eventtime.NewParser(pipeline.TimeOptions(cfg)),
		outcomes: map[string]outcome{}, seed: maphash.MakeSeed(),
		loc: cfg.Location(), parse: money.Parse,
		statusMapped: cfg.Input.Columns.Status != "", patientKey: cfg.Input.Columns.PatientKey != "",
		bookedAt: cfg.Input.Columns.BookedAt != "", words: newWordRule(cfg),
	}
	t.wordRule = c.words
	for _, l := range []struct {
		list []string
		o    outcome
	}{{cfg.Conversion.Statuses, outVisit}, {cfg.Conversion.NoShowStatuses, outNoShow}, {cfg.Conversion.CancelledStatuses, outCancelled}} {
		for _, s := range l.list {
			c.outcomes[consent.Fold(s)] = l.o
		}
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

// key is an order's or a patient's 64-bit key: under a release key, its
// record key (a keyed HMAC, the same in every run, release.go); for exact
// figures the run's seeded hash, which is cheaper. Either groups the rows
// of one order, and one patient's visits.
func (c *counter) key(kind byte, id string) uint64 {
	if c.t.rel != nil {
		return c.t.rel.recordKey(kind, id)
	}
	return maphash.String(c.seed, id)
}

// count files one row under its order. Nothing is counted yet: which row
// decides an order is known only once every row is read (decideOrders),
// so the result does not depend on the order of the rows.
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
	src := row.Get(export.Source)
	ch := t.attr.Channel(src, func(p platform.Platform) bool {
		return slices.ContainsFunc(c.clickCols[p], func(col export.Column) bool { return IsClickID(row.Get(col)) })
	})
	r := orderRow{key: c.key(recordBooking, order), at: at.Unix(), tie: rowHash(row), channel: int32(ch), word: -1, outcome: outVisit}
	if c.statusMapped {
		o, ok := c.outcomes[consent.Fold(row.Get(export.Status))]
		if !ok {
			o = outUnclassified
		}
		r.outcome = o
	}
	if r.outcome == outVisit {
		if v, ok := t.value(row, c.parse); ok {
			r.value, r.flags = toAmount(v), r.flags|hasValue
		}
	}
	if pk := row.Get(export.PatientKey); pk != "" && c.patientKey {
		r.patient, r.flags = c.key(recordPatient, pk), r.flags|hasPatient
	}
	if c.bookedAt {
		if v := row.Get(export.BookedAt); v != "" {
			if b, err := c.times.Parse(v); err == nil {
				r.booked, r.flags = b.Unix(), r.flags|hasBooked
			} else {
				t.stats.BookedAtUnreadable++
			}
		}
	}
	if !t.attr.Matches(src) {
		r.word = c.words.index(t, src)
	}
	return t.orders.add(r)
}

// decideOrders counts every order once, as the row with its latest
// appointment says (see orderCodec for ties): its day, channel and
// outcome. An appointment on or after --as-of is pending, whatever its
// status says, unless it was cancelled.
func (t *tally) decideOrders() error {
	var cur orderRow
	n := 0
	flush := func() error {
		if n == 0 {
			return nil
		}
		r := cur
		d := dayNumber(time.Unix(r.at, 0).In(t.location()))
		if !t.seeded || d < t.minDay {
			t.minDay = d
		}
		if !t.seeded || d > t.maxDay {
			t.maxDay = d
		}
		t.seeded = true
		t.rows[d] += n
		t.orderN[d]++
		o := r.outcome
		if d >= t.asOf && o != outCancelled {
			o = outPending
		}
		c := &t.day(d)[r.channel]
		c.bookings++
		c.keys[mBookings] += r.key // under a release key, the order's record key
		if r.flags&hasBooked != 0 {
			bd := dayNumber(time.Unix(r.booked, 0).In(t.location()))
			m := &t.day(bd)[r.channel]
			m.bookingsMade++
			m.keys[mBookingsMade] += r.key
			m.leadDays += float64(max(d-bd, 0)) // a booking "made" after its appointment: same day
		}
		switch o {
		case outVisit:
			c.visits++
			c.keys[mVisits] += r.key
			if r.flags&hasValue != 0 {
				c.revenue += r.value
				c.top = max(c.top, r.value)
			}
			if r.flags&hasPatient != 0 {
				if err := t.patients.add(r.patient, r.at, r.tie, int(r.channel), r.value); err != nil {
					return err
				}
			}
		case outNoShow:
			c.noShows++
			c.keys[mNoShows] += r.key
		case outCancelled:
			c.cancellations++
			c.keys[mCancellations] += r.key
		case outPending:
			c.pending++
			c.keys[mPending] += r.key
		default:
			c.unclassified++
			c.keys[mUnclassified] += r.key
		}
		if r.word >= 0 {
			m := t.wordDays[r.word]
			if m == nil {
				m = map[int32]float64{}
				t.wordDays[r.word] = m
			}
			m[d]++
		}
		return nil
	}
	err := t.orders.each(func(r orderRow) error {
		if n > 0 && r.key == cur.key {
			n++
			return nil
		}
		if err := flush(); err != nil {
			return err
		}
		cur, n = r, 1
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
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
		if v, err = parse(raw); raw == "" || err != nil || !(v <= spend.MaxAmount) {
			t.stats.ValueSkipped++ // unreadable, or past any fee (and +Inf): never summed
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
	if !ok || !(v <= spend.MaxAmount) {
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

// creditNewPatients credits each patient's first visit in the whole
// export to that visit's day and channel: a new visit, with its revenue.
// Every other visit is a returning one. A patient whose first visit is
// channels.ltv_days or more before --as-of joins that day's LTV cohort,
// with the revenue of the visits of their first ltv_days days.
func (t *tally) creditNewPatients() error {
	loc := t.location() // loaded once: LoadLocation reads the zone database
	horizon := int32(t.cfg.Channels.LTVDays)
	if horizon <= 0 {
		horizon = 180
	}
	dayOf := func(at int64) int32 { return dayNumber(time.Unix(at, 0).In(loc)) }
	within := func(first, v visit) bool { return dayOf(v.at)-dayOf(first.at) < horizon }
	return t.patients.each(within, func(first visit, revenue amount) {
		d := dayOf(first.at)
		c := &t.day(d)[first.channel]
		c.newVisits++
		c.keys[mNewVisits] += first.key // under a release key, the patient's record key
		c.newRevenue += first.value
		c.newTop = max(c.newTop, first.value)
		if t.asOf != math.MaxInt32 && d+horizon <= t.asOf {
			c.ltvPatients++
			c.keys[mLTVPatients] += first.key
			c.ltvRevenue += revenue
			c.ltvTop = max(c.ltvTop, revenue)
		}
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
