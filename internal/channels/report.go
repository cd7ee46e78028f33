package channels

import (
	"time"
)

// Metric is one figure of a channel's line, in output order.
type Metric uint8

// The metrics, in the order every output prints them.
const (
	Clicks Metric = iota
	Bookings
	Visits
	ShowRate
	BookingRate
	Spend
	PlatformConversions
	CostPerBooking
	CostPerVisit
	Revenue
	ROAS
	NewPatients
	CAC
	LTV
	ClaimedVsVisits
	NumMetrics
)

var metricKeys = [NumMetrics]string{
	"clicks", "bookings", "visits", "show_rate", "booking_rate", "spend", "platform_conversions",
	"cost_per_booking", "cost_per_visit", "revenue", "roas", "new_patients", "cac", "ltv", "claimed_vs_visits",
}

// Key is the metric's snake_case name (JSON key, CSV header).
func (m Metric) Key() string { return metricKeys[m] }

// Kind says how a metric is written.
type Kind uint8

// Kinds of metric.
const (
	KindCount    Kind = iota // a whole number of people or clicks
	KindMoney                // an amount in the report's currency
	KindRate                 // a share, 0..1, written as a percentage
	KindRatio                // a multiple (ROAS 3.2×, claimed 1.4×)
	KindFraction             // a count that may be fractional (platform conversions)
)

// Kind returns how m is written.
func (m Metric) Kind() Kind {
	switch m {
	case Spend, CostPerBooking, CostPerVisit, Revenue, CAC, LTV:
		return KindMoney
	case ShowRate, BookingRate:
		return KindRate
	case ROAS, ClaimedVsVisits:
		return KindRatio
	case PlatformConversions:
		return KindFraction
	}
	return KindCount
}

// State says whether a value is printed.
type State uint8

// Value states.
const (
	// NotApplicable: the figure does not exist for this line (clicks of a
	// channel without a platform, revenue under conversion.value: none).
	NotApplicable State = iota
	Shown
	// Small: a count from 1 to min_cell-1, printed as "<min_cell".
	Small
	// Hidden: suppressed because it would let a small count be worked out,
	// or because it is derived from a suppressed figure.
	Hidden
)

// Value is one printed figure.
type Value struct {
	V     float64
	State State
}

// Suppressed reports whether the value is withheld for privacy.
func (v Value) Suppressed() bool { return v.State == Small || v.State == Hidden }

// Line is one row of a report: a channel or the total.
type Line struct {
	Name     string
	Platform string // google, meta or none; "" for the total
	Values   [NumMetrics]Value
}

// Suppressed lists the keys of the suppressed figures, in metric order.
func (l *Line) Suppressed() []string {
	out := []string{}
	for m := Metric(0); m < NumMetrics; m++ {
		if l.Values[m].Suppressed() {
			out = append(out, m.Key())
		}
	}
	return out
}

// Table is the channels and their total over one span of days.
type Table struct {
	From, To time.Time // calendar dates, inclusive
	Channels []Line
	Total    Line
}

// Report is the whole answer.
type Report struct {
	Table
	Currency string
	MinCell  int
	// Period is all, month, week or day; Periods is empty for all.
	Period  string
	Periods []Table
	// Applicable tells which metrics exist in this report at all (revenue
	// only under a value policy with amounts, new patients only with a
	// patient key): outputs leave the others out of tables and charts.
	Applicable [NumMetrics]bool
	// ConsentedOnly: only rows whose consent passes the gate were counted.
	ConsentedOnly bool
}
