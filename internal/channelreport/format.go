// Package channelreport writes the channel comparison of package channels
// for people and programs: an aligned terminal table (CJK-width aware),
// formula-safe CSV, JSON, and one self-contained HTML page with charts.
//
// Every output reads the same model, in which a suppressed figure has no
// value any more (channels zeroes it), so no renderer can print what the
// suppression hid. A small count prints as "<k" (JSON: null, and its key
// in the line's "suppressed" list); a figure hidden to protect another, or
// derived from a suppressed one, prints as "*"; a figure that exists but
// cannot be computed prints why ("no visits": spend that bought no visit;
// "no data": no spend download covers the span; "no export data": the
// export covers none of it; "no fees": its visits carry no readable fee;
// "not yet": it lies on or after --as-of — CSV: no_visits, no_spend_data,
// no_export_data, no_values, not_yet; JSON: null, and the reason in
// "not_computed"); a figure
// that does not exist for a line (clicks of a referral channel) prints as
// "—" (CSV: empty; JSON: null, not listed as suppressed). A figure over a
// span some days of which have no spend data, or that sets spend against
// the clinic's figures over a span the export covers in part, is followed
// by "†" (JSON and CSV: the line's incomplete list and spend_days_missing).
package channelreport

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
)

// Marks for figures that are not printed.
const (
	MarkHidden = "*"
	MarkNA     = "—"
)

// reasonTexts say for people why a figure that exists cannot be computed
// (channels.Reason): short enough for the terminal table's columns. An
// array, not a map: a package-level map is built at every command's start
// (cmd/hashgate's init budget).
var reasonTexts = [...]string{
	channels.NoBookings: "no bookings", channels.NoVisits: "no visits", channels.NoNewPatients: "no new pts",
	channels.NoClicks: "no clicks", channels.NoSpend: "no spend", channels.NoOutcome: "none seen",
	channels.NoLTVPatients: "no cohort", channels.NoBookingsMade: "none made", channels.NoSpendData: "no data",
	// chanfigures
	channels.NoExportData: "no export data", channels.NoValues: "no fees", channels.NotYet: "not yet",
}

// PartMark follows a figure over a span some days of which have no spend
// data (a line's Incomplete): printed, but not the whole span's.
const PartMark = "†"

// partial says whether figure m of l is over part of its span's spend.
func partial(l *channels.Line, m channels.Metric) bool { return slices.Contains(l.Incomplete, m.Key()) }

// markedNumber is figure m of l, printed, with PartMark when it is over
// part of its span: outside the table too (the note under the terminal's
// table, the page's line per channel), where the table's † was dropped —
// a CAC of part of the span read as the whole span's right under a
// headline that would not show it.
func markedNumber(l *channels.Line, m channels.Metric) string {
	if partial(l, m) {
		return number(m, l.Values[m].V) + PartMark
	}
	return number(m, l.Values[m].V)
}

// cellText writes v for people: thousands separators, percentages,
// multiples; marks for the rest, and why a figure that exists cannot be
// computed (a cost per visit of spend that bought no visit: "no visits",
// never "—", 0 or infinity). currency is not repeated per cell.
func cellText(m channels.Metric, v channels.Value, minCell int) string {
	switch v.State {
	case channels.NotApplicable:
		if int(v.Why) < len(reasonTexts) && reasonTexts[v.Why] != "" {
			return reasonTexts[v.Why]
		}
		return MarkNA
	case channels.Small:
		return "<" + strconv.Itoa(minCell)
	case channels.Hidden:
		return MarkHidden
	}
	return number(m, v.V)
}

// number formats a printed figure.
func number(m channels.Metric, x float64) string {
	switch m.Kind() {
	case channels.KindRate:
		return strconv.FormatFloat(x*100, 'f', 1, 64) + "%"
	case channels.KindRatio:
		return strconv.FormatFloat(x, 'f', 2, 64) + "x"
	case channels.KindMoney:
		if x < 100 && x != math.Trunc(x) {
			return group(strconv.FormatFloat(x, 'f', 2, 64))
		}
		return group(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
	case channels.KindFraction:
		if x != math.Trunc(x) {
			return group(strconv.FormatFloat(x, 'f', 1, 64))
		}
	}
	return group(strconv.FormatFloat(math.Round(x), 'f', 0, 64))
}

// group inserts thousands separators into a plain decimal number.
func group(s string) string {
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}

// machine formats a printed figure for CSV and JSON: no separators,
// counts whole, money to cents, rates and multiples to four places.
func machine(m channels.Metric, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "null" // channels never prints one; JSON cannot carry it either way
	}
	switch m.Kind() {
	case channels.KindCount:
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	case channels.KindMoney, channels.KindFraction:
		return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(x*10000)/10000, 'f', -1, 64)
}

var titles = [channels.NumMetrics]string{
	channels.Clicks: "Clicks", channels.Bookings: "Bookings", channels.BookingsMade: "Bookings made", channels.Visits: "Visits",
	channels.NoShows: "No-shows", channels.Cancellations: "Cancelled", channels.Pending: "Pending",
	channels.Unclassified: "Other status",
	channels.ShowRate:     "Show rate", channels.ShowRateLow: "Show rate, low", channels.ShowRateHigh: "Show rate, high",
	channels.BookingRate: "Booking rate", channels.Spend: "Spend",
	channels.PlatformConversions: "Platform conv.", channels.PlatformBookingClaims: "Claimed bookings", channels.CostPerBooking: "Cost/booking",
	channels.CostPerVisit: "Cost/visit", channels.CostPerVisitLow: "Cost/visit, low", channels.CostPerVisitHigh: "Cost/visit, high",
	channels.Revenue: "Revenue", channels.ROAS: "ROAS",
	channels.NewVisits: "New-patient visits", channels.ReturningVisits: "Returning visits",
	channels.NewRevenue: "New-patient revenue", channels.ReturningRevenue: "Returning revenue",
	channels.NewPatients: "New patients", channels.CAC: "CAC", channels.CACLow: "CAC, low", channels.CACHigh: "CAC, high",
	channels.LTVPatients: "LTV cohort", channels.LTV: "LTV",
	channels.ClaimedVsVisits: "Claimed/visits",
}

var shortTitles = [channels.NumMetrics]string{
	channels.Clicks: "Clicks", channels.Bookings: "Bookings", channels.BookingsMade: "Booked", channels.Visits: "Visits",
	channels.NoShows: "No-show", channels.Cancellations: "Cancel", channels.Pending: "Pending",
	channels.Unclassified: "Other",
	channels.ShowRate:     "Show%", channels.ShowRateLow: "Show% lo", channels.ShowRateHigh: "Show% hi",
	channels.BookingRate: "Book%", channels.Spend: "Spend",
	channels.PlatformConversions: "Claimed", channels.PlatformBookingClaims: "Cl.book", channels.CostPerBooking: "Cost/book",
	channels.CostPerVisit: "Cost/visit", channels.CostPerVisitLow: "C/v lo", channels.CostPerVisitHigh: "C/v hi",
	channels.Revenue: "Revenue", channels.ROAS: "ROAS",
	channels.NewVisits: "New vis", channels.ReturningVisits: "Ret vis",
	channels.NewRevenue: "New rev", channels.ReturningRevenue: "Ret rev",
	channels.NewPatients: "New pts", channels.CAC: "CAC", channels.CACLow: "CAC lo", channels.CACHigh: "CAC hi",
	channels.LTVPatients: "LTV n", channels.LTV: "LTV",
	channels.ClaimedVsVisits: "Claimed/visit",
}

// shown lists the metrics a report prints for people, in output order:
// those of order that exist for it at all.
func shown(r *channels.Report) []channels.Metric {
	var out []channels.Metric
	for _, m := range order {
		if r.Applicable[m] {
			out = append(out, m)
		}
	}
	return out
}

// order is the reading order of people's tables: what a new patient cost
// first (the budget question), then spend and the funnel, what it cost
// and earned, and the platforms' own claims. Intervals and the new and
// returning split are in JSON and CSV, and said in words under the table.
var order = []channels.Metric{
	channels.NewPatients, channels.CAC, channels.Spend, channels.Clicks, channels.Bookings, channels.PlatformBookingClaims, channels.BookingsMade, channels.BookingRate,
	channels.Visits, channels.NoShows, channels.ShowRate, channels.Cancellations, channels.Pending,
	channels.CostPerBooking, channels.CostPerVisit, channels.Revenue, channels.ROAS,
	channels.LTV, channels.PlatformConversions, channels.ClaimedVsVisits,
}

// Legend explains the marks, for the foot of tables and pages: the
// English lexicon's words, which the HTML page prints too.
func Legend(r *channels.Report) string {
	en := lexicon["en"]
	counted := en.countedAll
	if r.ConsentedOnly {
		counted = en.countedConsent
	}
	uncomputed := en.figureMarks(r)
	if r.NotForSharing || r.MinCell <= 1 {
		return fmt.Sprintf("%s %s = not applicable.%s Exact figures, nothing perturbed or suppressed (--exact or channels.min_cell: 1): for the clinic's own eyes only. %s", NotForSharing, MarkNA, uncomputed, counted)
	}
	return fmt.Sprintf(en.marks, r.MinCell, r.MinCell) + uncomputed + " " + counted
}

// figureMarks is the legend's explanation of the words and marks standing
// for figures not computed or computed over part of the span — only those
// the report prints — each after a space, in w's language.
func (w *words) figureMarks(r *channels.Report) string {
	s := ""
	if has(r, zeroDivisor) {
		s += " " + w.uncomputed
	}
	if has(r, func(v channels.Value) bool { return v.Why == channels.NoSpendData }) {
		s += " " + w.noDataMark
	}
	// chanfigures
	for _, m := range []struct {
		why  channels.Reason
		text string
	}{{channels.NoExportData, w.noExportMark}, {channels.NoValues, w.noValuesMark}, {channels.NotYet, w.notYetMark}} {
		if has(r, func(v channels.Value) bool { return v.Why == m.why }) {
			s += " " + m.text
		}
	}
	spendPart, exportPart := partly(r)
	if spendPart {
		s += " " + w.partMark
	}
	if exportPart {
		s += " " + w.exportPartMark
	}
	return s
}

// zeroDivisor: a figure that exists but divides by a printed zero ("no
// visits"), not one whose data is missing or not known yet.
func zeroDivisor(v channels.Value) bool {
	switch v.Why {
	case channels.NoSpendData, channels.NoExportData, channels.NoValues, channels.NotYet:
		return false
	}
	return v.Uncomputed()
}

// has reports whether a figure of r that people see is such a one: the
// legend then says what its words mean.
func has(r *channels.Report, such func(channels.Value) bool) bool {
	for _, t := range append([]channels.Table{r.Table}, r.Periods...) {
		for _, l := range append(append([]channels.Line(nil), t.Channels...), t.Paid, t.Total) {
			for m := channels.Metric(0); m < channels.NumMetrics; m++ {
				if r.Applicable[m] && such(l.Values[m]) {
					return true
				}
			}
		}
	}
	return false
}

// partly reports whether some line of r has a figure over part of its
// span's spend, and over a span the export covers in part.
func partly(r *channels.Report) (spend, export bool) {
	for _, t := range append([]channels.Table{r.Table}, r.Periods...) {
		for _, l := range append(append([]channels.Line(nil), t.Channels...), t.Paid, t.Total) {
			if len(l.Incomplete) > 0 {
				spend = spend || l.SpendDaysMissing != nil && *l.SpendDaysMissing > 0
				export = export || t.ExportDaysMissing > 0
			}
		}
	}
	return spend, export
}

// belowDefault is the line that heads every output of a report released
// under a setting weaker than hashgate's default (channels.Report.Weaker),
// in w's language; "" for any other report.
func (w *words) belowDefault(r *channels.Report) string {
	if len(r.Weaker) == 0 {
		return ""
	}
	return fmt.Sprintf(w.weaker, w.weakerSettings(r, w.listSep))
}

// weakerSettings names each weaker setting with its value and default,
// joined by sep: "channels.min_cell 2 (default 5)".
func (w *words) weakerSettings(r *channels.Report, sep string) string {
	s := make([]string, len(r.Weaker))
	for i, k := range r.Weaker {
		s[i] = fmt.Sprintf(w.weakerSetting, k.Key, strconv.FormatFloat(k.Value, 'g', -1, 64), strconv.FormatFloat(k.Default, 'g', -1, 64))
	}
	return strings.Join(s, sep)
}

// NotForSharing heads every output of a report with exact figures.
const NotForSharing = "NOT FOR SHARING: exact figures for the clinic's own eyes, outside the release rule's guarantee."

// PeriodLabel names a period for headings: 2026-11, 2026-W45, 2026-11-03.
func PeriodLabel(r *channels.Report, t channels.Table) string {
	switch r.Period {
	case "month":
		return t.From.Format("2006-01")
	case "week":
		y, w := t.From.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w)
	case "day":
		return t.From.Format("2006-01-02")
	}
	return t.From.Format("2006-01-02") + " – " + t.To.Format("2006-01-02")
}

// Notes says in words what the table cannot: how sure each paid channel's
// CAC is, which channels are too few to tell apart, and which figures
// lack spend days — of the window, or of a period.
func Notes(r *channels.Report, t *channels.Table) []string {
	var out []string
	for _, l := range t.Channels {
		lo, hi := l.Values[channels.CACLow], l.Values[channels.CACHigh]
		if lo.State != channels.Shown || hi.State != channels.Shown {
			continue
		}
		n := fmt.Sprintf("CAC of %s: %s, 95%% range %s to %s", l.Name, markedNumber(&l, channels.CAC), markedNumber(&l, channels.CACLow), markedNumber(&l, channels.CACHigh))
		if len(l.IndistinctFrom) > 0 {
			n += " — too few to tell apart from " + strings.Join(l.IndistinctFrom, ", ")
		}
		out = append(out, n+".")
	}
	return append(out, spendNotes(r, t)...)
}

// spendNotes say, per line of t with spend days missing, how many and
// which printed figures are over part of the span, by the terminal's
// column titles.
func spendNotes(r *channels.Report, t *channels.Table) []string {
	var out []string
	days := int(t.To.Sub(t.From).Hours()/24) + 1
	if t.ExportDaysMissing > 0 && t.ExportDaysMissing < days { // chanfigures
		n := fmt.Sprintf("The export has no appointment data for %d of the %d day(s) (outside the range it declares above its header, else before its first or after its last dated row), not zero bookings", t.ExportDaysMissing, days)
		if names := exportMarked(r, t, func(m channels.Metric) string { return shortHeader(r, m) }); len(names) > 0 {
			list := strings.Join(names, ", ")
			n += fmt.Sprintf("; %s %s over part of the span (%s)", list, areIs(len(names)), PartMark)
		}
		out = append(out, n+".")
	}
	for _, l := range append(append([]channels.Line(nil), t.Channels...), t.Paid, t.Total) {
		if l.SpendDaysMissing != nil && *l.SpendDaysMissing > 0 && len(l.Incomplete) > 0 {
			names := metricsNamed(l.Incomplete, func(m channels.Metric) string { return shortHeader(r, m) })
			out = append(out, fmt.Sprintf("%s: no spend data for %d of the %d day(s): its spend, clicks and claims are the other days' only, and %s %s over part of the span (%s).",
				l.Name, *l.SpendDaysMissing, days, strings.Join(names, ", "), areIs(len(names)), PartMark))
		}
	}
	return out
}

// exportMarked names, by label, the figures of t that the export's gap
// marks † in people's tables: those that set spend against the clinic's
// figures and print, the Total's blended costs aside (they print "—").
// A note on the gap said "every cost, booking rate and ROAS" on a report
// without spend, where none exists and nothing is marked (chanmarks).
func exportMarked(r *channels.Report, t *channels.Table, label func(channels.Metric) string) []string {
	var keys []string
	lines := append(append([]channels.Line(nil), t.Channels...), t.Paid, t.Total)
	for _, m := range order {
		if !r.Applicable[m] || !m.SpendAgainstClinic() {
			continue
		}
		for i := range lines {
			l := &lines[i]
			if l.Values[m].State == channels.Shown && partial(l, m) && !(i == len(lines)-1 && blended(m)) {
				keys = append(keys, m.Key())
				break
			}
		}
	}
	return metricsNamed(keys, label)
}

func areIs(n int) string {
	if n == 1 {
		return "is"
	}
	return "are"
}
