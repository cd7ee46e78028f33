package channelreport

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
)

// label is the name of metric m for people in w's language, said as the
// figure is computed: booking_rate by what it divides (bookings, or
// bookings made when input.columns.booked_at dates them), ltv with its
// horizon — a reader took "LTV" for a lifetime, and it is channels.ltv_days
// of revenue over a cohort that is not the new patients printed beside it.
func (w *words) label(r *channels.Report, m channels.Metric) string {
	switch m {
	case channels.LTV:
		return fmt.Sprintf(w.ltvLabel, r.LTVDays)
	case channels.BookingRate:
		if r.Applicable[channels.BookingsMade] {
			return w.bookedVsClicks
		}
		return w.bookingsVsClicks
	}
	if h := w.metrics[m]; h != "" {
		return h
	}
	return titles[m]
}

// shortHeader is the terminal's column title of m, named as label names
// it in fewer letters.
func shortHeader(r *channels.Report, m channels.Metric) string {
	switch m {
	case channels.LTV:
		return fmt.Sprintf("%dd value", r.LTVDays)
	case channels.BookingRate:
		if r.Applicable[channels.BookingsMade] {
			return "Booked/click"
		}
		return "Book/click"
	}
	return shortTitles[m]
}

// blended reports whether figure m of the Total line divides the paid
// channels' spend by every channel's patients, visits or revenue (walk-ins
// and referrals included). People's tables print "—" there: under the
// channels' column titles it read as a channel's cost, and the figure to
// compare is the Paid line's (the page's headline too). JSON and CSV keep
// it (total.cac, total.roas).
func blended(m channels.Metric) bool {
	switch m {
	case channels.CAC, channels.CostPerBooking, channels.CostPerVisit, channels.ROAS:
		return true
	}
	return false
}

// definitions say how each printed ratio is computed, one line each,
// named by label (the table's column titles), in w's language; the
// Total's line when the report has spend (its costs print "—").
func (w *words) definitions(r *channels.Report, label func(channels.Metric) string, total, paid string) []string {
	out := w.ratioDefinitions(r, label)
	if slices.ContainsFunc(shown(r), blended) {
		out = append(out, fmt.Sprintf(w.defTotal, total, paid))
	}
	return out
}

// ratioDefinitions say how each ratio of r is computed, one line each,
// named by label: definitions without the Total's.
func (w *words) ratioDefinitions(r *channels.Report, label func(channels.Metric) string) []string {
	var out []string
	add := func(m channels.Metric, def string) {
		if r.Applicable[m] {
			out = append(out, label(m)+" = "+def)
		}
	}
	add(channels.Pending, w.defPending)
	if r.Applicable[channels.BookingsMade] {
		add(channels.BookingRate, fmt.Sprintf(w.defBookRateMade, label(channels.BookingsMade), label(channels.Bookings)))
	} else {
		add(channels.BookingRate, w.defBookRate)
	}
	add(channels.ShowRate, w.defShow)
	add(channels.CostPerBooking, w.defCostBook)
	add(channels.CostPerVisit, w.defCostVisit)
	add(channels.ROAS, w.defROAS)
	add(channels.CAC, w.defCAC)
	add(channels.LTV, fmt.Sprintf(w.defLTV, r.LTVDays))
	add(channels.ClaimedVsVisits, w.defClaims)
	return out
}

// csvDefinitions say how each ratio of the CSV is computed, named by its
// column (the terminal's and the page's definitions, in English), the
// 95% ranges' ends and the Total's too: the CSV keeps every column and
// the Total's costs, which people's tables print as —. ASCII only (÷ is
// /): an English report's CSV stays without a byte-order mark.
func csvDefinitions(r *channels.Report) []string {
	key := func(m channels.Metric) string { return m.Key() }
	out := lexicon["en"].ratioDefinitions(r, key)
	for _, iv := range []struct {
		lo, hi channels.Metric
		def    string
	}{
		{channels.ShowRateLow, channels.ShowRateHigh, "the exact 95% range of show_rate: Clopper-Pearson (binomial), from the printed visits and no_shows."},
		{channels.CostPerVisitLow, channels.CostPerVisitHigh, "the exact 95% range of cost_per_visit: spend / the ends of the Garwood (Poisson) range of the printed visits."},
		{channels.CACLow, channels.CACHigh, "the exact 95% range of cac: spend / the ends of the Garwood (Poisson) range of the printed new_patients."},
	} {
		if r.Applicable[iv.lo] {
			out = append(out, iv.lo.Key()+", "+iv.hi.Key()+" = "+iv.def)
		}
	}
	if r.Applicable[channels.Spend] {
		out = append(out, "total = every channel, walk-ins and referrals included. Its spend is the paid channels' only, so its cac, cost_per_booking, cost_per_visit and roas divide paid spend by every channel's patients, visits and revenue: compare channels with paid.")
	}
	for i, d := range out {
		out[i] = asciiText.Replace(d)
	}
	return out
}

// asciiText writes the definitions' signs in ASCII.
var asciiText = strings.NewReplacer("÷", "/", "–", "-", "—", "-", "“", `"`, "”", `"`, "’", "'", "×", "x")

// bounded is the figure an interval's end m bounds, or m itself (a
// switch, not a map: a package-level map is built at every command's
// start).
func bounded(m channels.Metric) channels.Metric {
	switch m {
	case channels.CACLow, channels.CACHigh:
		return channels.CAC
	case channels.CostPerVisitLow, channels.CostPerVisitHigh:
		return channels.CostPerVisit
	case channels.ShowRateLow, channels.ShowRateHigh:
		return channels.ShowRate
	}
	return m
}

// metricsNamed names the figures whose JSON keys are keys as label names
// them (the page's or the terminal's titles), an interval's ends by the
// figure they bound (once): a note on a zh-Hant page listed
// "每位新患者成本、cac_low、cac_high", the terminal's "cost_per_visit".
func metricsNamed(keys []string, label func(channels.Metric) string) []string {
	var out []string
	for _, k := range keys {
		name := k
		for m := channels.Metric(0); m < channels.NumMetrics; m++ {
			if m.Key() == k {
				name = label(bounded(m))
				break
			}
		}
		if !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// noTrend says why the page has no trend of the cost per new patient, in
// w's language: each cause its own sentence (a zh-Hans report without
// spend said its window was one period); "" when the trend can be drawn.
func (w *words) noTrend(r *channels.Report, paid int) string {
	switch {
	case !r.Applicable[channels.Spend]:
		return w.trendNoSpend
	case !r.Applicable[channels.NewPatients]:
		return w.trendNoPatients
	case paid == 0:
		return w.trendNoPaid
	case len(r.Periods) == 0:
		return w.trendNoPeriods
	case len(r.Periods) < 2:
		return w.trendOnePeriod
	}
	return ""
}
