package channels

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/printable"
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
	// StateDir, under a release key, is hashgate's state directory, where
	// the release rule records the first day each year's running totals
	// held (StartsFile) and warns when it moved; empty keeps no record.
	StateDir string
	// Export names the export for that record (the file's absolute path,
	// "-" for standard input): each export's start is compared with its
	// own last report's, never another export's. Only a digest of it is
	// kept.
	Export string
	// Exact prints exact figures, unsuppressed: for the clinic's own eyes,
	// marked not for sharing (Report.NotForSharing).
	Exact bool
	// noiseSpread, in tests, widens the count noise (releaser.spread).
	noiseSpread uint64
	// amountRule, in tests, perturbs amounts by a candidate rule
	// (releaser.amounts, amountCandidates).
	amountRule amountRule
	// summedTotals, in tests, prints Paid and Total as their channels'
	// sums (releaser.summed, summedlines.go).
	summedTotals bool
	// Period is all (or ""), month, week, day, or auto: month for a window
	// of more than three months, week for more than two weeks, else day
	// (the HTML page's trend when no period is asked for) — or all when a
	// spend download has no day breakdown.
	Period string
}

// Stats accounts for every row read, for the person running the command
// (stderr). They are row counts of the whole file, not of a channel.
type Stats struct {
	Rows          int // data rows read
	Counted       int // rows within the window that counted (Rows less every other field)
	OutsideWindow int
	Malformed     int // shorter than the mapped columns, or with values past the header's
	TooLarge      int // records over input.max_record_bytes
	// HeaderRepeated counts records that repeated the header (exports
	// joined into one file): skipped, no rows; HeaderRepeatedLine is the
	// line of the first.
	HeaderRepeated, HeaderRepeatedLine int
	MissingOrderID                     int
	InvalidTime                        int
	NotConsented                       int // under channels.consented_only
	// OtherClinic counts the rows of other clinics left out under
	// input.other_clinic_rows: exclude; they are not in Rows either.
	OtherClinic   int
	DuplicateRows int // rows within the window of an order id already counted
	ValueSkipped  int // visits whose value was unreadable or in another currency without a rate
	// DecimalCommaAt is the first unreadable value cell (file:line:column)
	// written with a decimal comma (1.200,00) while input.decimal_comma is
	// off: "" when none.
	DecimalCommaAt string
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
	// valued counts the visits with a readable value: none, and the
	// revenue is not known (NoValues), not 0. Never printed.
	valued                                    float64
	bookingsMade, leadDays                    float64 // by the day booked (booked_at)
	revenue, newRevenue, ltvRevenue           amount
	spend, clicks, conversions, bookingClaims float64
	// keys sums the record keys of each measure's records: the cell key of
	// the release rule (release.go).
	keys [numMeasures]uint64
	// top, newTop and ltvTop are the largest single contributions to
	// revenue and newRevenue (one visit) and to ltvRevenue (one new
	// patient): the dominance rule.
	top, newTop, ltvTop amount
	// revenueNoise, newRevenueNoise, ltvRevenueNoise and leadDaysNoise
	// sum their amount's contributions' noise, under a release rule that
	// perturbs each contribution before cells are summed
	// (releaser.contributionNoise); zero otherwise.
	revenueNoise, newRevenueNoise, ltvRevenueNoise amount
	leadDaysNoise                                  float64
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
	c.valued += o.valued
	c.bookingsMade += o.bookingsMade
	c.leadDays += o.leadDays
	c.revenue += o.revenue
	c.newRevenue += o.newRevenue
	c.ltvRevenue += o.ltvRevenue
	c.spend += o.spend
	c.clicks += o.clicks
	c.conversions += o.conversions
	c.bookingClaims += o.bookingClaims
	for m := range c.keys {
		c.keys[m] += o.keys[m]
	}
	c.top, c.newTop, c.ltvTop = max(c.top, o.top), max(c.newTop, o.newTop), max(c.ltvTop, o.ltvTop)
	c.revenueNoise += o.revenueNoise
	c.newRevenueNoise += o.newRevenueNoise
	c.ltvRevenueNoise += o.ltvRevenueNoise
	c.leadDaysNoise += o.leadDaysNoise
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
	// firstAt and lastAt are the first and last appointment times of any
	// dated row (dated): the days the export covers (exportcover.go).
	firstAt, lastAt int64
	dated           bool
	// declared is the range the export declares above its header, when
	// declaredOK (declaredcover.go).
	declared   span
	declaredOK bool
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
	// wordKeys sums the record keys of each word's bookings per day, and
	// wordTotals are its released running totals (release.go).
	wordKeys   map[int32]map[int32]uint64
	wordTotals []runningTotals
	// unknownDays counts per day the bookings under Unattributed whose
	// source cell held a value of no channel and of no vocabulary
	// (wordUnknown): said on stderr, as a kind (unknownSourcesWarning).
	unknownDays map[int32]float64
	// ident: the vocabulary's tokens seen in cells that may name a person
	// (counter.ident).
	ident *printable.Tokens
	// rel perturbs the figures; nil for exact ones. keyedLate counts the
	// record keys count made itself, not read ahead (readahead.go): none
	// but for an id the reader did not key (tests).
	rel       *releaser
	keyedLate int
	loc       *time.Location // the clinic's zone: location()
	// cols are the report's columns (reportCols). patientTop[r][c] is the
	// largest revenue one patient (input.columns.patient_key) brought to
	// line r (a channel, then paid, then total) over column c, summed over
	// their visits; patientReturningTop the same without their first
	// visit. The dominance rule judges those, not single visits.
	cols                            []span
	patientTop, patientReturningTop [][]amount
	// rekey gathers the patients counted new who carry an earlier key's
	// e-mail or phone (rekeyed.go); nil without a patient key, or without
	// an e-mail or phone column. keysChanged says the warning was given,
	// from keysChangedFrom.
	rekey           *rekeyed
	keysChanged     bool
	keysChangedFrom int32
}

// reportCols are a report's columns: the window alone, or (with periods)
// each period and then the window.
func reportCols(from, to int32, spans []span, period string) []span {
	cols := []span{{from, to}}
	if period != "" && period != "all" {
		cols = append(append([]span(nil), spans...), span{from, to})
	}
	return cols
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
	c, err := count(ctx, opt)
	if err != nil {
		return nil, nil, err
	}
	defer c.close()
	return c.report(c.from, c.to, c.spans, c.period, c.files), &c.stats, nil
}

// counted is an export counted up to its report: the tally, the window,
// its periods and the spend downloads.
type counted struct {
	*tally
	from, to int32
	spans    []span
	period   string
	files    []*spend.File
}

// close removes the tally's spilled rows and visits.
func (c *counted) close() {
	c.orders.close()
	c.patients.close()
	c.rekey.close()
}

// count reads the export and the spend downloads into a tally, up to the
// report Build makes of it (the fee attacks read its grid cells).
func count(ctx context.Context, opt Options) (_ *counted, err error) {
	cfg := opt.Config
	ob := opt.orderBuffer
	if ob <= 0 {
		ob = defaultOrderBuffer
	}
	t := &tally{
		cfg: cfg, attr: NewAttributor(cfg.Channels.List), nch: len(cfg.Channels.List) + 1,
		days: map[int32][]cell{}, orders: newSorter(orderCodec, "", ob), patients: newVisitLog("", opt.visitBuffer),
		rows: map[int32]int{}, orderN: map[int32]int{}, asOf: math.MaxInt32,
		wordIdx: map[string]int32{}, wordDays: map[int32]map[int32]float64{}, wordKeys: map[int32]map[int32]uint64{},
		unknownDays: map[int32]float64{},
		stats:       Stats{SpendRows: map[string]int{}, SpendOutside: map[string]int{}, SpendSkipped: map[string]int{}},
	}
	if !opt.AsOf.IsZero() {
		t.asOf = dayNumber(opt.AsOf)
	}
	if col := cfg.Input.Columns; col.PatientKey != "" && (len(col.Email) > 0 || len(col.Phone) > 0) {
		notPatient, _ := cfg.NotPatient() // validated with the config; an entry it refused is left out, as the run does
		t.rekey = newRekeyed(opt.visitBuffer, identifier.Options{Region: cfg.Region}, notPatient)
	}
	c := &counted{tally: t}
	defer func() {
		if err != nil {
			c.close()
		}
	}()
	if !opt.Exact && cfg.Channels.MinCell > 1 {
		if len(opt.Key) == 0 {
			return nil, errors.New("channels: no release key (the state directory's channels.key) and not --exact")
		}
		t.rel = &releaser{key: opt.Key, spread: opt.noiseSpread, amounts: opt.amountRule, summed: opt.summedTotals}
	}
	files, err := readSpend(cfg, opt.Spend)
	if err != nil {
		return nil, err
	}
	ws, err := spend.Overlaps(files)
	if err != nil {
		return nil, err
	}
	t.warnings = append(t.warnings, ws...)
	if t.currency, err = reportCurrency(cfg, files); err != nil {
		return nil, err
	}
	if err := t.readExport(ctx, opt); err != nil {
		return nil, err
	}
	if err := t.decideOrders(); err != nil {
		return nil, err
	}
	from, to, err := t.window(opt.From, opt.To, files)
	if err != nil {
		return nil, err
	}
	t.account(from, to, files)
	t.warnHistory(from)
	t.warnCoverage(from, to)
	if t.rel != nil && opt.StateDir != "" && t.seeded {
		ws, err := checkStarts(opt.StateDir, opt.Export, t.minDay, from, to)
		if err != nil {
			return nil, err
		}
		t.warnings = append(t.warnings, ws...)
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
		return nil, err
	}
	// The report's columns are known before the patients are read: the
	// dominance rule judges each patient's revenue in each of them.
	t.cols = reportCols(from, to, spans, period)
	if err := t.creditNewPatients(); err != nil {
		return nil, err
	}
	if err := t.warnRekeyed(from, to); err != nil {
		return nil, err
	}
	if err := t.addSpend(files, from, to, spans); err != nil {
		return nil, err
	}
	c.from, c.to, c.spans, c.period, c.files = from, to, spans, period, files
	return c, nil
}

// warnHistory warns when the export reaches back less than
// channels.history_days before the window: a patient last seen earlier
// than the export's first counted appointment would count as new. It
// names that appointment's day as what it is: a row it replaced (a
// cancelled booking rescheduled) may be earlier, and the warning on
// the days the export covers (exportcover.go) dates the export by its
// first dated row — one stderr said "the export starts 2026-08-01" and
// "the export covers 2026-07-25 to …". Too many new patients
// make new_patients an upper bound and CAC (spend ÷ new patients) a lower
// one: the sentence said "an upper bound" of both, and a manager read the
// CAC as at worst what it printed.
func (t *tally) warnHistory(from int32) {
	h := t.cfg.Channels.HistoryDays
	if t.cfg.Input.Columns.PatientKey == "" || h <= 0 || !t.seeded {
		return
	}
	if have := from - t.minDay; have < int32(h) {
		start := dayTime(t.minDay).Format(time.DateOnly)
		reach := fmt.Sprintf("%d days before the window", have)
		switch {
		case have < 0:
			reach = fmt.Sprintf("%d days after the window starts", -have)
		case have == 0:
			reach = "on the window's first day"
		}
		t.warnings = append(t.warnings, fmt.Sprintf(
			"the first appointment counted in the export is on %s, %s, and channels.history_days asks for %d: a patient last seen before %s counts as a new patient; export more history, or read new_patients as an upper bound and cac as a lower bound (it divides by too many new patients)",
			start, reach, h, start))
	}
}

// creditNewPatients credits each patient's first visit in the whole
// export to that visit's day and channel: a new visit, with its revenue.
// Every other visit is a returning one. A patient whose first visit is
// channels.ltv_days or more before --as-of joins that day's LTV cohort,
// with the revenue of the visits of their first ltv_days days.
func (t *tally) creditNewPatients() error {
	loc := t.location()
	horizon := int32(t.cfg.Channels.LTVDays)
	if horizon <= 0 {
		horizon = 180
	}
	dayOf := func(at int64) int32 { return dayNumber(time.Unix(at, 0).In(loc)) }
	within := func(first, v visit) bool { return dayOf(v.at)-dayOf(first.at) < horizon }
	pt := newPatientTops(t)
	// firstNoise is the noise of the patient's first visit and ltvNoise
	// the sum of their visits' within the LTV horizon (for a patient of
	// the cohort only): the noise each visit added to revenue, drawn once
	// in decideOrders and kept with the visit (visit.noise), so that a
	// patient's amounts agree across measures.
	var firstNoise, ltvNoise amount
	cohort := false
	var lastAt int64 // the patient's last visit: visits come in time order
	each := func(first, v visit) {
		pt.visit(first, v)
		lastAt = v.at
		if v == first {
			firstNoise, ltvNoise = first.noise, 0
			cohort = t.asOf != math.MaxInt32 && dayOf(first.at)+horizon <= t.asOf
		}
		if cohort && within(first, v) {
			ltvNoise += v.noise
		}
	}
	var rerr error
	err := t.patients.each(within, each, func(first visit, revenue amount) {
		pt.done()
		if t.rekey != nil && rerr == nil {
			rerr = t.rekey.first(first.key, first.at, lastAt)
		}
		d := dayOf(first.at)
		c := &t.day(d)[first.channel]
		c.newVisits++
		c.keys[mNewVisits] += first.key // under a release key, the patient's record key
		c.newRevenue += first.value
		c.newRevenueNoise += firstNoise
		c.newTop = max(c.newTop, first.value)
		if t.asOf != math.MaxInt32 && d+horizon <= t.asOf {
			c.ltvPatients++
			c.keys[mLTVPatients] += first.key
			c.ltvRevenue += revenue
			c.ltvRevenueNoise += ltvNoise
			c.ltvTop = max(c.ltvTop, revenue)
		}
	})
	return errors.Join(err, rerr)
}
