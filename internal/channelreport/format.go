// Package channelreport writes the channel comparison of package channels
// for people and programs: an aligned terminal table (CJK-width aware),
// formula-safe CSV, JSON, and one self-contained HTML page with charts.
//
// Every output reads the same model, in which a suppressed figure has no
// value any more (channels zeroes it), so no renderer can print what the
// suppression hid. A small count prints as "<k" (JSON: null, and its key
// in the line's "suppressed" list); a figure hidden to protect another, or
// derived from a suppressed one, prints as "*"; a figure that does not
// exist for a line (clicks of a referral channel) prints as "—" (CSV:
// empty; JSON: null, not listed as suppressed).
package channelreport

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hashgate/hashgate/internal/channels"
)

// Marks for figures that are not printed.
const (
	MarkHidden = "*"
	MarkNA     = "—"
)

// cellText writes v for people: thousands separators, percentages,
// multiples; marks for the rest. currency is not repeated per cell.
func cellText(m channels.Metric, v channels.Value, minCell int) string {
	switch v.State {
	case channels.NotApplicable:
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
	switch m.Kind() {
	case channels.KindCount:
		return strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	case channels.KindMoney, channels.KindFraction:
		return strconv.FormatFloat(math.Round(x*100)/100, 'f', -1, 64)
	}
	return strconv.FormatFloat(math.Round(x*10000)/10000, 'f', -1, 64)
}

// header is the column title of a metric for people; short is the
// terminal's, which has less room.
func header(m channels.Metric, currency string, short bool) string {
	t := titles[m]
	if short {
		t = shortTitles[m]
	}
	if m.Kind() == channels.KindMoney && currency != "" {
		t += " (" + currency + ")"
	}
	return t
}

var titles = [channels.NumMetrics]string{
	channels.Clicks: "Clicks", channels.Bookings: "Bookings", channels.Visits: "Visits",
	channels.ShowRate: "Show rate", channels.BookingRate: "Booking rate", channels.Spend: "Spend",
	channels.PlatformConversions: "Platform conv.", channels.CostPerBooking: "Cost/booking",
	channels.CostPerVisit: "Cost/visit", channels.Revenue: "Revenue", channels.ROAS: "ROAS",
	channels.NewPatients: "New patients", channels.CAC: "CAC", channels.LTV: "LTV",
	channels.ClaimedVsVisits: "Claimed/visits",
}

var shortTitles = [channels.NumMetrics]string{
	channels.Clicks: "Clicks", channels.Bookings: "Bookings", channels.Visits: "Visits",
	channels.ShowRate: "Show%", channels.BookingRate: "Book%", channels.Spend: "Spend",
	channels.PlatformConversions: "Claimed", channels.CostPerBooking: "Cost/book",
	channels.CostPerVisit: "Cost/visit", channels.Revenue: "Revenue", channels.ROAS: "ROAS",
	channels.NewPatients: "New pts", channels.CAC: "CAC", channels.LTV: "LTV",
	channels.ClaimedVsVisits: "Claimed/visit",
}

// shown lists the metrics a report prints, in output order: those that
// exist for it at all.
func shown(r *channels.Report) []channels.Metric {
	var out []channels.Metric
	for _, m := range order {
		if r.Applicable[m] {
			out = append(out, m)
		}
	}
	return out
}

// order is the reading order of people's outputs: money spent, then the
// funnel, then what it cost and earned, then the platforms' own claims.
var order = []channels.Metric{
	channels.Spend, channels.Clicks, channels.Bookings, channels.BookingRate, channels.Visits, channels.ShowRate,
	channels.CostPerBooking, channels.CostPerVisit, channels.Revenue, channels.ROAS,
	channels.NewPatients, channels.CAC, channels.LTV, channels.PlatformConversions, channels.ClaimedVsVisits,
}

// Legend explains the marks, for the foot of tables and pages.
func Legend(r *channels.Report) string {
	counted := "every appointment row counts, consented or not (an aggregate that never leaves the clinic discloses no patient)"
	if r.ConsentedOnly {
		counted = "only rows whose consent passes the gate count (channels.consented_only)"
	}
	if r.MinCell <= 1 {
		return fmt.Sprintf("%s = not applicable. Suppression is off (channels.min_cell: 1): for the clinic's own eyes only. %s.", MarkNA, capitalise(counted))
	}
	return fmt.Sprintf("<%d = fewer than %d; %s = hidden so that no small count can be worked out from the others; %s = not applicable. %s.",
		r.MinCell, r.MinCell, MarkHidden, MarkNA, capitalise(counted))
}

func capitalise(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

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
