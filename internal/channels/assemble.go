package channels

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spend"
)

// report sums the days into the periods and the window, suppresses, and
// derives the figures. Rows of the grids: the channels (Unattributed
// last), the paid line, the total.
func (t *tally) report(from, to int32, spans []span, period string, files []*spend.File) *Report {
	cfg := t.cfg
	if period == "" {
		period = "all"
	}
	twoD := period != "all"
	cols := reportCols(from, to, spans, period)
	paidRow, totalRow := t.nch, t.nch+1
	nrows := t.nch + 2
	names := make([]string, nrows)
	platforms := make([]string, nrows)
	adPlatforms := make([]platform.Platform, nrows)
	var paidRows []int
	var paidPlatforms []platform.Platform
	for i, ch := range cfg.Channels.List {
		names[i] = strings.TrimSpace(ch.Name)
		platforms[i] = ch.Platform
		if platforms[i] == "" {
			platforms[i] = config.PlatformNone
		}
		if p := ch.AdPlatform(); p != 0 {
			adPlatforms[i] = p
			paidRows = append(paidRows, i)
			paidPlatforms = append(paidPlatforms, p)
		}
	}
	names[t.nch-1], platforms[t.nch-1] = config.Unattributed, config.PlatformNone
	names[paidRow], names[totalRow] = "Paid", "Total"

	// sums are the true figures; printed what the release rule lets out
	// (release.go): each line's released running totals, a span the
	// difference of two (per calendar year); spend, clicks and claims as
	// they are.
	sums := make([][]cell, nrows)
	printed := make([][]cell, nrows)
	for r := range sums {
		sums[r] = make([]cell, len(cols))
		printed[r] = make([]cell, len(cols))
	}
	// Days in order: float spend sums must not depend on map order (the
	// outputs are compared byte for byte).
	days := slices.Sorted(maps.Keys(t.days))
	fill := func(d int32, per []cell) {
		cells := t.days[d]
		for ch := range cells {
			per[ch].add(&cells[ch])
			per[totalRow].add(&cells[ch])
			if adPlatforms[ch] != 0 {
				per[paidRow].add(&cells[ch])
			}
		}
	}
	var lines []runningTotals
	if t.rel != nil {
		lines = t.rel.releaseRunning(days, from, to, nrows, fill)
		t.wordTotals = t.rel.releaseRunning(days, from, to, len(t.words), func(d int32, per []cell) {
			for i := range per {
				if n := t.wordDays[int32(i)][d]; n > 0 {
					per[i].bookings = n
					per[i].keys[mBookings] = t.wordKeys[int32(i)][d]
				}
			}
		})
	}
	// Amounts are released per grid cell (release.go): a span's amount is
	// the sum of its cells' released amounts.
	per := make([]cell, nrows)
	for c, s := range cols {
		pieces := []span{s}
		if lines != nil {
			pieces = gridPieces(s.from, s.to)
		}
		lo := 0
		for _, p := range pieces {
			clear(per)
			lo += sort.Search(len(days)-lo, func(i int) bool { return days[lo+i] >= p.from })
			for _, d := range days[lo:] {
				if d > p.to {
					break
				}
				fill(d, per)
			}
			for r := range nrows {
				sums[r][c].add(&per[r])
				if lines != nil {
					t.rel.releaseAmounts(&per[r])
				}
				printed[r][c].add(&per[r])
			}
		}
		switch {
		case lines != nil && t.rel.summed:
			printSummed(printed, c, lines, s, t.nch, paidRows)
		case lines != nil:
			for r := range nrows {
				printed[r][c].setReleased(lines[r].window(s.from, s.to))
				printed[r][c].nest()
			}
		}
	}

	withConversions := map[platform.Platform]bool{}
	withBookingClaims := map[platform.Platform]bool{}
	for _, f := range files {
		withConversions[f.Platform] = withConversions[f.Platform] || f.HasConversions
		if f.HasBookings {
			withBookingClaims[f.Platform] = true
		}
	}
	data := newSpendData(files, paidPlatforms)
	// spendKnown: the line has spend data over column c (spenddata.go);
	// noSpendData: it has a platform and none — with no --spend at all
	// too, so that its spend and costs are listed not computed
	// (no_spend_data), as the report's spend_days_missing says.
	spendKnown := func(r, c int) bool {
		if r == paidRow || r == totalRow {
			return data.known(0, cols[c])
		}
		return adPlatforms[r] != 0 && data.known(adPlatforms[r], cols[c])
	}
	noSpendData := func(r, c int) bool {
		return (r >= t.nch && len(paidRows) > 0 || adPlatforms[r] != 0) && !spendKnown(r, c)
	}
	// Claims are the platform's own, per platform: never summed across
	// platforms, so the paid and total lines carry none.
	hasConversions := func(r int) bool { return r < t.nch && withConversions[adPlatforms[r]] }
	hasBookingClaims := func(r int) bool { return r < t.nch && withBookingClaims[adPlatforms[r]] }
	valued := cfg.Conversion.Value != config.ValueNone
	realValues := cfg.Conversion.Value == config.ValueActual || cfg.Conversion.Value == config.ValueBucket
	patients := cfg.Input.Columns.PatientKey != ""
	statusMapped := cfg.Input.Columns.Status != ""
	noShows := statusMapped && len(cfg.Conversion.NoShowStatuses) > 0
	asOfSet := t.asOf != math.MaxInt32
	booked := cfg.Input.Columns.BookedAt != ""

	var gs [numMeasures]*grid
	for m := range gs {
		gs[m] = newGrid(nrows, len(cols), twoD)
		gs[m].paidRow, gs[m].paid = paidRow, paidRows
	}
	for r := range nrows {
		for c := range cols {
			s := &printed[r][c]
			set := func(m measure, v float64, ok bool) { gs[m].v[r][c], gs[m].ok[r][c] = v, ok }
			set(mBookings, s.bookings, true)
			set(mVisits, s.visits, true)
			set(mNoShows, s.noShows, statusMapped)
			set(mCancellations, s.cancellations, statusMapped)
			set(mUnclassified, s.unclassified, statusMapped)
			set(mPending, s.pending, true)
			set(mNewPatients, s.newVisits, patients)
			set(mNewVisits, s.newVisits, patients)
			set(mReturningVisits, s.visits-s.newVisits, patients)
			set(mLTVPatients, s.ltvPatients, patients && valued && asOfSet)
			set(mBookingsMade, s.bookingsMade, booked)
			set(mClicks, sums[r][c].clicks, spendKnown(r, c) && r < t.nch)
			set(mConversions, sums[r][c].conversions, hasConversions(r) && spendKnown(r, c))
			set(mBookingClaims, sums[r][c].bookingClaims, hasBookingClaims(r) && spendKnown(r, c))
		}
	}
	k := cfg.Channels.MinCell
	if t.rel == nil {
		k = 1 // exact figures: nothing suppressed, not for sharing
	}
	suppress(&gs, k)
	share := cfg.Channels.DominanceShare
	if share <= 0 {
		share = config.DefaultDominanceShare
	}
	amounts := newAmountGrids(nrows, len(cols), twoD, paidRow, paidRows)
	for r := range nrows {
		for c := range cols {
			p := &printed[r][c]
			sum, top := amountsOf(&sums[r][c], t.patientTop, t.patientReturningTop, r, c)
			amounts.set(r, c, [numAmounts]amount{p.revenue, p.newRevenue, p.revenue - p.newRevenue, p.ltvRevenue}, sum, top, valued, &gs)
		}
	}
	if t.rel != nil {
		amounts.suppress(share)
	}

	cov := data.cov
	missing := func(r int, s span) *int {
		var n int
		switch {
		case r == paidRow || r == totalRow:
			n = cov.missingAny(paidPlatforms, s)
		case adPlatforms[r] != 0:
			n = cov.missing(adPlatforms[r], s)
		default:
			return nil
		}
		return &n
	}
	opts := deriveOptions{spend: false, realValues: realValues, noShows: noShows, booked: booked,
		// The attack suites' widened noise draws counts up to 2^40:
		// intervals on those mean nothing, and gonum's beta inversion
		// iterates long on them.
		noIntervals: t.rel != nil && t.rel.spread > 0}
	table := func(c int) Table {
		s := cols[c]
		tb := Table{From: dayTime(s.from), To: dayTime(s.to), IncompletePeriod: asOfSet && s.to >= t.asOf,
			ExportDaysMissing: int(t.exportMissing(s))}
		// The export covers no day of the span: no appointment data.
		noExport := int32(tb.ExportDaysMissing) == s.to-s.from+1
		for r := range nrows {
			l := Line{Name: names[r], Platform: platforms[r]}
			if r >= t.nch {
				l.Platform = ""
			}
			o := opts
			o.spend, o.channel, o.noExportData = spendKnown(r, c), r < t.nch, noExport
			o.notYet = asOfSet && s.from >= t.asOf
			if noSpendData(r, c) {
				o.noSpendData = true
				o.claims, o.bookingClaims = hasConversions(r), hasBookingClaims(r)
			}
			derive(&l, &printed[r][c], func(m measure) Value {
				return Value{V: gs[m].v[r][c], State: gs[m].st[r][c]}
			}, func(m amountMeasure) Value { return amounts.value(m, r, c) }, o)
			l.SpendDaysMissing = missing(r, s)
			l.Incomplete = []string{}
			spendGap := l.SpendDaysMissing != nil && *l.SpendDaysMissing > 0
			exportGap := tb.ExportDaysMissing > 0
			for m := Metric(0); m < NumMetrics; m++ {
				if l.Values[m].State == Shown && (spendGap && m.SpendBased() || exportGap && m.SpendAgainstClinic()) {
					l.Incomplete = append(l.Incomplete, m.Key())
				}
			}
			l.IndistinctFrom = []string{}
			switch r {
			case paidRow:
				tb.Paid = l
			case totalRow:
				tb.Total = l
			default:
				tb.Channels = append(tb.Channels, l)
			}
		}
		markIndistinct(tb.Channels)
		return tb
	}
	rep := &Report{
		Table: table(len(cols) - 1), Currency: t.currency, MinCell: k, Period: period, ConsentedOnly: cfg.Channels.ConsentedOnly,
		Language: cfg.ReportLanguage(), LTVDays: cfg.Channels.LTVDays, Unmatched: t.unmatched(from, to),
		NotForSharing: t.rel == nil, DominanceShare: share,
	}
	rep.Weaker = []Weakened{}
	rep.NewPatientWarnings = []NewPatientWarning{}
	if t.keysChanged {
		rep.NewPatientWarnings = append(rep.NewPatientWarnings, NewPatientWarning{Kind: KindKeysChanged, From: dayTime(t.keysChangedFrom)})
	}
	if t.rel != nil {
		rep.Weaker = weakerThanDefault(cfg.Channels)
	}
	if asOfSet {
		rep.AsOf = dayTime(t.asOf)
	}
	if cov, ok := t.exportCover(); ok {
		rep.ExportFrom, rep.ExportTo = dayTime(cov.from), dayTime(cov.to)
	}
	// A word's bookings are a count of patients like any other: a small
	// one is withheld. (Its complement within Unattributed is issue 26's
	// to protect with the suppression rules.)
	for i := range rep.Unmatched {
		if b := &rep.Unmatched[i].Bookings; k > 1 && b.V > 0 && b.V < float64(k) {
			*b = Value{State: Small}
		}
	}
	if twoD {
		for c := range spans {
			rep.Periods = append(rep.Periods, table(c))
		}
	}
	sp := data.any()
	rep.Applicable = [NumMetrics]bool{
		Bookings: true, Visits: true, Pending: asOfSet, BookingsMade: booked, BookingLeadDays: booked,
		NoShows: statusMapped, Cancellations: statusMapped, Unclassified: statusMapped,
		ShowRate: noShows, ShowRateLow: noShows, ShowRateHigh: noShows,
		Clicks: sp, BookingRate: sp, Spend: sp, CostPerBooking: sp, CostPerVisit: sp, CostPerVisitLow: sp, CostPerVisitHigh: sp,
		PlatformConversions: len(withConversions) > 0, ClaimedVsVisits: len(withConversions) > 0,
		PlatformBookingClaims: len(withBookingClaims) > 0,
		Revenue:               valued, ROAS: realValues && sp,
		NewVisits: patients, ReturningVisits: patients, NewRevenue: patients && valued, ReturningRevenue: patients && valued,
		NewPatients: patients, CAC: patients && sp, CACLow: patients && sp, CACHigh: patients && sp,
		LTVPatients: patients && valued && asOfSet, LTV: patients && valued && asOfSet,
	}
	rep.Warnings = append(append(rep.Warnings, t.warnings...), data.warnings(span{from, to})...)
	if w := t.unknownSourcesWarning(from, to); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	rep.SpendGaps = data.gaps(span{from, to})
	return rep
}

type deriveOptions struct {
	spend bool // the line has spend data (a download of its platform covers a day of the span)
	// noSpendData: the line has a platform and no spend data for its span
	// (spenddata.go); claims and bookingClaims: its platform's downloads
	// carry those columns.
	noSpendData, claims, bookingClaims bool
	channel                            bool // a channel's line, not paid or total
	// noExportData: the export covers no day of the span (exportcover.go).
	noExportData bool
	// notYet: every day of the span is on or after --as-of.
	notYet     bool
	realValues bool // revenue is the clinic's amounts (actual, bucket), so ROAS means something
	noShows    bool // no-show statuses are configured: show rate exists
	booked     bool // input.columns.booked_at: bookings are also dated when made
	// noIntervals leaves the 95% intervals out (tests with widened noise).
	noIntervals bool
}

// derive fills a line from its sums and the suppression states of its
// counts and amounts. A figure derived from a suppressed one is Hidden;
// one that cannot be computed (no spend file, nothing to divide by) is
// not applicable.
func derive(l *Line, s *cell, count func(measure) Value, money func(amountMeasure) Value, o deriveOptions) {
	for m, mm := range map[Metric]measure{
		Bookings: mBookings, Visits: mVisits, NoShows: mNoShows, Cancellations: mCancellations, Pending: mPending,
		Unclassified: mUnclassified, NewVisits: mNewVisits, ReturningVisits: mReturningVisits, NewPatients: mNewPatients,
		LTVPatients: mLTVPatients, Clicks: mClicks, PlatformConversions: mConversions, BookingsMade: mBookingsMade,
		PlatformBookingClaims: mBookingClaims,
	} {
		l.Values[m] = count(mm)
	}
	v := &l.Values
	spendV := Value{}
	switch {
	case o.spend:
		spendV = Value{V: s.spend, State: Shown}
	case o.noSpendData:
		// No spend data, never 0: everything the downloads would have
		// said is not computed, and so is every figure dividing it.
		spendV = Value{Why: NoSpendData}
		if o.channel {
			v[Clicks] = spendV
			if o.claims {
				v[PlatformConversions] = spendV
			}
			if o.bookingClaims {
				v[PlatformBookingClaims] = spendV
			}
		}
	}
	v[Spend] = spendV
	v[Revenue] = money(aRevenue)
	v[NewRevenue] = money(aNewRevenue)
	v[ReturningRevenue] = money(aReturningRevenue)
	ltvRevenue := money(aLTVRevenue)
	// A figure not known is not computed, never 0, and so is every
	// figure dividing it. Only printed figures are: a withheld one stays
	// withheld, since saying why it is empty would say what it hid.
	unknown := func(why Reason, fs ...*Value) {
		for _, f := range fs {
			if f.State == Shown {
				*f = Value{Why: why}
			}
		}
	}
	outcomes := []*Value{&v[Visits], &v[NoShows], &v[Unclassified], &v[NewVisits], &v[ReturningVisits], &v[NewPatients], &v[LTVPatients],
		&v[Revenue], &v[NewRevenue], &v[ReturningRevenue], &ltvRevenue}
	switch {
	case o.noExportData:
		// No appointment data: the export covers no day of the span.
		unknown(NoExportData, append(outcomes, &v[Bookings], &v[BookingsMade], &v[Cancellations], &v[Pending])...)
	case o.notYet:
		// Nothing has happened yet: bookings, cancellations and pending
		// are known; what came of them is not (a review read ROAS 0.00x
		// against a month's spend with every booking still to come).
		unknown(NotYet, outcomes...)
	case s.valued == 0 && (shownVisits(v[Visits]) || shownVisits(v[NewVisits]) || shownVisits(v[ReturningVisits]) || shownVisits(v[LTVPatients])):
		// Visits, none with a readable value: nobody recorded a fee
		// (stderr said so, and the page printed revenue 0, ROAS 0.00x).
		// That the line had visits is read from any printed count of
		// them, not from visits alone: a line whose visits are withheld
		// still prints its new patients' revenue and the N-day value,
		// and printed 0 for both. The decision rests on printed counts
		// and on whether any visit of the line had a readable value:
		// nothing withheld shows through it.
		unknown(NoValues, &v[Revenue], &v[NewRevenue], &v[ReturningRevenue])
		if ltvRevenue.V == 0 {
			unknown(NoValues, &ltvRevenue)
		}
	}
	if o.noShows {
		seen := sum(v[Visits], v[NoShows])
		v[ShowRate] = ratio(v[Visits], seen, NoOutcome)
		if !o.noIntervals {
			v[ShowRateLow], v[ShowRateHigh] = rateInterval(v[Visits], seen, NoOutcome)
		}
	}
	if o.booked {
		// Released lead days may sum below zero (amounts.go): a mean
		// below zero days says nothing a clinic can read.
		v[BookingLeadDays] = ratio(Value{V: max(s.leadDays, 0), State: v[BookingsMade].State}, v[BookingsMade], NoBookingsMade)
	}
	if o.channel {
		made := v[Bookings]
		if o.booked {
			made = v[BookingsMade] // bookings made on the days the clicks were
		}
		v[BookingRate] = ratio(made, v[Clicks], NoClicks)
		v[ClaimedVsVisits] = ratio(v[PlatformConversions], v[Visits], NoVisits)
	}
	v[CostPerBooking] = ratio(spendV, v[Bookings], NoBookings)
	v[CostPerVisit] = ratio(spendV, v[Visits], NoVisits)
	if !o.noIntervals {
		v[CostPerVisitLow], v[CostPerVisitHigh] = costInterval(spendV, v[Visits], NoVisits)
		v[CACLow], v[CACHigh] = costInterval(spendV, v[NewPatients], NoNewPatients)
	}
	if o.realValues {
		v[ROAS] = ratio(v[Revenue], spendV, NoSpend)
	}
	v[CAC] = ratio(spendV, v[NewPatients], NoNewPatients)
	v[LTV] = ratio(ltvRevenue, v[LTVPatients], NoLTVPatients)
	for m := range v {
		if v[m].State != Shown || math.IsNaN(v[m].V) || math.IsInf(v[m].V, 0) {
			if v[m].State == Shown {
				v[m] = Value{} // never a figure JSON cannot carry
			}
			v[m].V = 0 // nothing suppressed survives in the model the outputs read
		}
	}
}

// shownVisits says a printed count of visits is above zero.
func shownVisits(n Value) bool { return n.State == Shown && n.V > 0 }

// markIndistinct lists, per paid channel, the others whose CAC interval
// overlaps its own: on these counts the two cannot be told apart.
func markIndistinct(ls []Line) {
	for i := range ls {
		a := &ls[i]
		if a.Platform == config.PlatformNone || a.Values[CACLow].State != Shown {
			continue
		}
		for j := range ls {
			b := &ls[j]
			if i == j || b.Platform == config.PlatformNone || b.Values[CACLow].State != Shown {
				continue
			}
			if a.Values[CACLow].V <= b.Values[CACHigh].V && b.Values[CACLow].V <= a.Values[CACHigh].V {
				a.IndistinctFrom = append(a.IndistinctFrom, b.Name)
			}
		}
	}
}

// sum is a+b: not applicable when either is, Hidden when either is
// suppressed.
func sum(a, b Value) Value {
	switch {
	case a.State == NotApplicable || b.State == NotApplicable:
		return Value{Why: cmp.Or(a.Why, b.Why)}
	case a.Suppressed() || b.Suppressed():
		return Value{State: Hidden}
	}
	return Value{V: a.V + b.V, State: Shown}
}

// ratio is a/b: not applicable when either is (for the reason either
// gives), or — for the reason zero — when b is zero: nothing to divide by,
// neither zero nor infinite. Hidden when either is suppressed.
func ratio(a, b Value, zero Reason) Value {
	switch {
	case a.State == NotApplicable || b.State == NotApplicable:
		return Value{Why: cmp.Or(a.Why, b.Why)}
	case a.Suppressed() || b.Suppressed():
		return Value{State: Hidden}
	case b.V == 0:
		return Value{Why: zero}
	}
	return Value{V: a.V / b.V, State: Shown}
}

// weakerThanDefault lists the settings of c below hashgate's default
// protection.
func weakerThanDefault(c config.Channels) []Weakened {
	out := []Weakened{}
	if c.MinCell < config.DefaultMinCell {
		out = append(out, Weakened{"channels.min_cell", float64(c.MinCell), config.DefaultMinCell})
	}
	if c.DominanceShare > config.DefaultDominanceShare {
		out = append(out, Weakened{"channels.dominance_share", c.DominanceShare, config.DefaultDominanceShare})
	}
	return out
}
