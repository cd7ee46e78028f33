package channels

import (
	"time"
)

// Metric is one figure of a channel's line, in output order.
type Metric uint8

// The metrics, in the order every output prints them (JSON keys, CSV
// columns). The funnel's counts come first — bookings and what became of
// them (bookings = visits + no_shows + cancellations + pending +
// unclassified) — then cost, revenue split into new and returning
// patients (visits = new_visits + returning_visits, revenue likewise), then
// new patients, what each cost and is worth, and the platforms' own claims.
// The _low and _high figures are 95% intervals (see interval.go). With
// input.columns.booked_at, bookings_made dates each booking on the day it
// was made (the booking rate divides those by the same days' clicks), and
// booking_lead_days is their mean days from booking to appointment.
const (
	Clicks Metric = iota
	Bookings
	BookingsMade
	Visits
	NoShows
	Cancellations
	Pending
	Unclassified
	ShowRate
	ShowRateLow
	ShowRateHigh
	BookingRate
	BookingLeadDays
	Spend
	PlatformConversions
	// PlatformBookingClaims are the bookings the platform claims
	// (spend.<platform>.columns.booking_conversions), beside the clinic's
	// own bookings; per platform, never summed across them.
	PlatformBookingClaims
	CostPerBooking
	CostPerVisit
	CostPerVisitLow
	CostPerVisitHigh
	Revenue
	ROAS
	NewVisits
	ReturningVisits
	NewRevenue
	ReturningRevenue
	NewPatients
	CAC
	CACLow
	CACHigh
	LTVPatients
	LTV
	ClaimedVsVisits
	NumMetrics
)

var metricKeys = [NumMetrics]string{
	"clicks", "bookings", "bookings_made", "visits", "no_shows", "cancellations", "pending", "unclassified",
	"show_rate", "show_rate_low", "show_rate_high", "booking_rate", "booking_lead_days", "spend", "platform_conversions", "platform_booking_claims",
	"cost_per_booking", "cost_per_visit", "cost_per_visit_low", "cost_per_visit_high", "revenue", "roas",
	"new_visits", "returning_visits", "new_revenue", "returning_revenue",
	"new_patients", "cac", "cac_low", "cac_high", "ltv_patients", "ltv", "claimed_vs_visits",
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
	case Spend, CostPerBooking, CostPerVisit, CostPerVisitLow, CostPerVisitHigh, Revenue, NewRevenue, ReturningRevenue,
		CAC, CACLow, CACHigh, LTV:
		return KindMoney
	case ShowRate, ShowRateLow, ShowRateHigh, BookingRate:
		return KindRate
	case ROAS, ClaimedVsVisits:
		return KindRatio
	case PlatformConversions, PlatformBookingClaims, BookingLeadDays:
		return KindFraction
	}
	return KindCount
}

// SpendBased reports whether m comes from the spend downloads (spend,
// clicks, the platform's claimed conversions) or divides what does: the
// figures a gap in the downloads makes incomplete. Clicks and claims over
// the covered days only were printed unmarked beside a marked spend (a
// review: the month's clicks read as the month's).
func (m Metric) SpendBased() bool {
	switch m {
	case Spend, CostPerBooking, CostPerVisit, CostPerVisitLow, CostPerVisitHigh, ROAS, CAC, CACLow, CACHigh, BookingRate,
		Clicks, PlatformConversions, PlatformBookingClaims, ClaimedVsVisits:
		return true
	}
	return false
}

// SpendAgainstClinic reports whether m sets the downloads' figures
// against the export's (a cost per patient, ROAS, the booking rate, claims
// per visit): the figures days the export does not cover make incomplete,
// as days without spend do — spend over days that brought no recorded
// patient, or patients over days of no recorded spend.
func (m Metric) SpendAgainstClinic() bool {
	switch m {
	case CostPerBooking, CostPerVisit, CostPerVisitLow, CostPerVisitHigh, ROAS, CAC, CACLow, CACHigh, BookingRate, ClaimedVsVisits:
		return true
	}
	return false
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

// Reason says why a figure that is not applicable is not printed, when
// the figure exists for the line but cannot be computed: a cost per visit
// of spend that bought no visit — nothing to divide by, which is neither
// "does not exist" nor zero (nor infinity). NoReason is a figure that does
// not exist for the line (clicks of a referral channel).
type Reason uint8

// Reasons.
const (
	NoReason       Reason = iota
	NoBookings            // cost per booking: no booking
	NoVisits              // cost per visit (and its range), claims per visit: no visit
	NoNewPatients         // CAC and its range: no new patient
	NoClicks              // booking rate: no click
	NoSpend               // ROAS: nothing spent
	NoOutcome             // show rate and its range: no visit and no no-show yet
	NoLTVPatients         // LTV: no new patient whose horizon has passed
	NoBookingsMade        // booking lead days: no booking made
	// NoSpendData: no spend download covers a day of the line's span
	// (the paid and total lines: of some paid platform's) — no spend
	// data, never 0; the spend, clicks and claims, and what divides them.
	NoSpendData
	// NoExportData: the export covers no day of the span
	// (exportcover.go) — no appointment data, never 0: the clinic's
	// figures, and what divides them.
	NoExportData
	// NoValues: revenue (and ROAS, LTV) of visits none of which had a
	// readable value — nobody recorded a fee, which is not a revenue of 0.
	NoValues
	// NotYet: every day of the span is on or after --as-of, so none of its
	// appointments has happened: its visits, new patients, revenue and
	// what divides them are not known yet, not 0.
	NotYet
	numReasons
)

var reasonKeys = [numReasons]string{"", "no_bookings", "no_visits", "no_new_patients", "no_clicks", "no_spend",
	"no_visits_or_no_shows", "no_ltv_patients", "no_bookings_made", "no_spend_data",
	"no_export_data", "no_values", "not_yet"}

// Key is the reason's snake_case name (JSON not_computed, CSV cells).
func (r Reason) Key() string { return reasonKeys[r] }

// Value is one printed figure. Why, for a figure that is not applicable,
// says why when it exists for the line but cannot be computed.
type Value struct {
	V     float64
	State State
	Why   Reason
}

// Uncomputed reports whether v is a figure of the line that cannot be
// computed (see Reason).
func (v Value) Uncomputed() bool { return v.State == NotApplicable && v.Why != NoReason }

// Suppressed reports whether the value is withheld for privacy.
func (v Value) Suppressed() bool { return v.State == Small || v.State == Hidden }

// Line is one row of a report: a channel, the paid channels, or the total.
type Line struct {
	Name     string
	Platform string // google, meta or none; "" for the paid and total lines
	Values   [NumMetrics]Value
	// SpendDaysMissing counts the days of the line's span that no spend
	// download covers (a platform's channel: its download; paid and total:
	// any of theirs). Nil for a line no platform reports on.
	SpendDaysMissing *int
	// Incomplete lists the keys of the printed figures that divide (or
	// are) a spend with days missing, or that set spend against the
	// clinic's figures over a span the export covers in part
	// (Table.ExportDaysMissing), in metric order; never nil.
	Incomplete []string
	// IndistinctFrom names the paid channels whose CAC interval overlaps
	// this one's: too few new patients to tell the two apart. Never nil.
	IndistinctFrom []string
}

// NotComputed lists, in metric order, the figures of the line that exist
// but cannot be computed, each with its reason.
func (l *Line) NotComputed() [][2]string {
	out := [][2]string{}
	for m := Metric(0); m < NumMetrics; m++ {
		if v := l.Values[m]; v.Uncomputed() {
			out = append(out, [2]string{m.Key(), v.Why.Key()})
		}
	}
	return out
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

// Table is the channels, the paid channels together, and the total over
// one span of days.
type Table struct {
	From, To time.Time // calendar dates, inclusive
	Channels []Line
	// Paid sums the channels with an ad platform: their spend against
	// their own bookings and revenue. Total is the clinic's, every channel.
	// Neither carries platform conversions: claims are never summed
	// across platforms.
	Paid  Line
	Total Line
	// IncompletePeriod: the span reaches --as-of, so some of its
	// appointments are still to come (pending).
	IncompletePeriod bool
	// ExportDaysMissing counts the days of the span before --as-of that
	// the export does not cover (exportcover.go): the same for every
	// line. All of them: the clinic's figures are not computed
	// (NoExportData); some: what sets spend against them is incomplete.
	ExportDaysMissing int
}

// SourceWord is a source value no channel lists, with the bookings it
// carried (all Unattributed unless a click id said otherwise). Only words
// the printing rule allows are listed.
type SourceWord struct {
	Word     string
	Bookings Value
}

// Report is the whole answer.
type Report struct {
	Table
	Currency string
	MinCell  int
	// AsOf is the first day whose appointments are pending (--as-of).
	AsOf time.Time
	// ExportFrom and ExportTo are the days the export covers: the range
	// it declares above its header when no dated row lies outside it
	// (declaredcover.go), else its first and last dated row's
	// (exportcover.go); zero without either.
	ExportFrom, ExportTo time.Time
	// Language of people's outputs: en, zh-Hant or zh-Hans.
	Language string
	// Period is all, month, week or day; Periods is empty for all.
	Period  string
	Periods []Table
	// Applicable tells which metrics exist in this report at all (revenue
	// only under a value policy with amounts, new patients only with a
	// patient key): outputs leave the others out of tables and charts.
	Applicable [NumMetrics]bool
	// ConsentedOnly: only rows whose consent passes the gate were counted.
	ConsentedOnly bool
	// LTVDays is channels.ltv_days, the horizon of LTV.
	LTVDays int
	// Unmatched lists the source words no channel lists, by bookings.
	Unmatched []SourceWord
	// Warnings are for the person running the report (stderr): spend
	// days missing, a short history, several result types summed.
	Warnings []string
	// NotForSharing: the figures are exact (--exact, or min_cell 1), outside
	// the release rule's guarantee; every output says so.
	NotForSharing bool
	// SpendGaps are the paid platforms with no spend data for the window:
	// no download given (or no --spend at all), or downloads of other
	// days. Never nil.
	SpendGaps []SpendGap
	// DominanceShare is channels.dominance_share, the rule amounts were
	// released under.
	DominanceShare float64
	// Weaker lists the release settings below hashgate's default
	// protection (channels.min_cell under 5, channels.dominance_share over
	// 0.6), which every output names: either can come silently from the
	// environment. Empty for exact figures (NotForSharing says more).
	// Never nil.
	Weaker []Weakened
	// NewPatientWarnings name what makes the new patients doubtful, as
	// kinds with a day, never a count (rekeyed.go): the patient keys look
	// changed from a day on. Stderr says the same in words. Never nil.
	NewPatientWarnings []NewPatientWarning
}

// NewPatientWarning is one reason new_patients counts returning patients
// as new, from the day From.
type NewPatientWarning struct {
	Kind string // patient_keys_changed
	From time.Time
}

// KindKeysChanged: patients counted new carry an e-mail or phone an
// earlier row carried under another patient key (rekeyed.go).
const KindKeysChanged = "patient_keys_changed"

// Weakened is a release setting of a report below hashgate's default.
type Weakened struct {
	Key            string // channels.min_cell or channels.dominance_share
	Value, Default float64
}
