package channels

import (
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/spend"
)

// report sums the days into the periods and the window, suppresses, and
// derives the figures.
func (t *tally) report(from, to int32, spans []span, period string, files []*spend.File) *Report {
	cfg := t.cfg
	if period == "" {
		period = "all"
	}
	twoD := period != "all"
	cols := []span{{from, to}}
	if twoD {
		cols = append(append([]span(nil), spans...), span{from, to})
	}
	nrows := t.nch + 1 // channels, Unattributed, total
	sums := make([][]cell, nrows)
	for r := range sums {
		sums[r] = make([]cell, len(cols))
	}
	for d, cells := range t.days {
		for c, s := range cols {
			if d < s.from || d > s.to {
				continue
			}
			for ch := range cells {
				sums[ch][c].add(&cells[ch])
				sums[nrows-1][c].add(&cells[ch])
			}
		}
	}

	withSpend := map[string]bool{}
	withConversions := map[string]bool{}
	for _, f := range files {
		withSpend[f.Platform.String()] = true
		withConversions[f.Platform.String()] = withConversions[f.Platform.String()] || f.HasConversions
	}
	names := make([]string, nrows)
	platforms := make([]string, nrows)
	for i, ch := range cfg.Channels.List {
		names[i] = strings.TrimSpace(ch.Name)
		platforms[i] = ch.Platform
		if platforms[i] == "" {
			platforms[i] = config.PlatformNone
		}
	}
	names[t.nch-1], platforms[t.nch-1] = config.Unattributed, config.PlatformNone
	names[nrows-1] = "Total"
	hasSpend := func(r int) bool {
		if r == nrows-1 {
			return len(withSpend) > 0
		}
		return withSpend[platforms[r]]
	}
	hasConversions := func(r int) bool {
		if r == nrows-1 {
			return len(withConversions) > 0
		}
		return withConversions[platforms[r]]
	}
	valued := cfg.Conversion.Value != config.ValueNone
	patients := cfg.Input.Columns.PatientKey != ""

	var gs [numMeasures]*grid
	for m := range gs {
		gs[m] = newGrid(nrows, len(cols), twoD)
	}
	for r := range nrows {
		for c := range cols {
			s := &sums[r][c]
			set := func(m measure, v float64, ok bool) { gs[m].v[r][c], gs[m].ok[r][c] = v, ok }
			set(mBookings, s.bookings, true)
			set(mVisits, s.visits, true)
			set(mNewPatients, s.newPatients, patients)
			set(mClicks, s.clicks, hasSpend(r))
			set(mConversions, s.conversions, hasConversions(r))
		}
	}
	k := cfg.Channels.MinCell
	suppress(&gs, k)

	table := func(c int) Table {
		tb := Table{From: dayTime(cols[c].from), To: dayTime(cols[c].to)}
		for r := range nrows {
			l := Line{Name: names[r], Platform: platforms[r]}
			if r == nrows-1 {
				l.Platform = ""
			}
			derive(&l, &sums[r][c], func(m measure) Value {
				return Value{V: gs[m].v[r][c], State: gs[m].st[r][c]}
			}, hasSpend(r), valued, r == nrows-1)
			if r == nrows-1 {
				tb.Total = l
			} else {
				tb.Channels = append(tb.Channels, l)
			}
		}
		return tb
	}
	rep := &Report{Table: table(len(cols) - 1), Currency: t.currency, MinCell: k, Period: period, ConsentedOnly: cfg.Channels.ConsentedOnly}
	if twoD {
		for c := range spans {
			rep.Periods = append(rep.Periods, table(c))
		}
	}
	rep.Applicable = [NumMetrics]bool{
		Bookings: true, Visits: true, ShowRate: true,
		Clicks: len(withSpend) > 0, BookingRate: len(withSpend) > 0, Spend: len(withSpend) > 0,
		CostPerBooking: len(withSpend) > 0, CostPerVisit: len(withSpend) > 0,
		PlatformConversions: len(withConversions) > 0, ClaimedVsVisits: len(withConversions) > 0,
		Revenue: valued, ROAS: valued && len(withSpend) > 0,
		NewPatients: patients, CAC: patients && len(withSpend) > 0, LTV: patients && valued,
	}
	return rep
}

// derive fills a line from its sums and the suppression states of its
// counts. A figure derived from a suppressed one is Hidden; one that
// cannot be computed (no spend file, nothing to divide by) is not
// applicable.
func derive(l *Line, s *cell, count func(measure) Value, spendOK, valued, total bool) {
	bookings, visits, newPatients := count(mBookings), count(mVisits), count(mNewPatients)
	clicks, conversions := count(mClicks), count(mConversions)
	l.Values[Bookings], l.Values[Visits], l.Values[NewPatients] = bookings, visits, newPatients
	l.Values[Clicks], l.Values[PlatformConversions] = clicks, conversions
	spendV := Value{}
	if spendOK {
		spendV = Value{V: s.spend, State: Shown}
	}
	l.Values[Spend] = spendV
	revenue := Value{}
	if valued {
		revenue = Value{V: s.revenue, State: Shown}
		if visits.Suppressed() {
			revenue = Value{State: Hidden}
		}
	}
	l.Values[Revenue] = revenue
	ltvRevenue := Value{}
	if valued && newPatients.State != NotApplicable {
		ltvRevenue = Value{V: s.ltvRevenue, State: Shown}
	}
	l.Values[ShowRate] = ratio(visits, bookings)
	if !total {
		l.Values[BookingRate] = ratio(bookings, clicks)
		l.Values[ClaimedVsVisits] = ratio(conversions, visits)
	}
	l.Values[CostPerBooking] = ratio(spendV, bookings)
	l.Values[CostPerVisit] = ratio(spendV, visits)
	l.Values[ROAS] = ratio(revenue, spendV)
	l.Values[CAC] = ratio(spendV, newPatients)
	l.Values[LTV] = ratio(ltvRevenue, newPatients)
	for m := range l.Values {
		if l.Values[m].State != Shown {
			l.Values[m].V = 0 // nothing suppressed survives in the model the outputs read
		}
	}
}

// ratio is a/b: not applicable when either is, or b is zero; Hidden when
// either is suppressed.
func ratio(a, b Value) Value {
	switch {
	case a.State == NotApplicable || b.State == NotApplicable:
		return Value{}
	case a.Suppressed() || b.Suppressed():
		return Value{State: Hidden}
	case b.V == 0:
		return Value{}
	}
	return Value{V: a.V / b.V, State: Shown}
}
