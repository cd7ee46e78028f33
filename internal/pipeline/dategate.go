package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/sink"
)

// Row exclusions for a date the config cannot read. Each names the key
// that would read it (report.SettingHints).
const (
	// ReasonYearNeeded: a date without a year (5月27日) outside the upload
	// window, with no input.default_year.
	ReasonYearNeeded = "date_year_needed"
	// ReasonDateOrderNeeded: 5/8/2024 with no input.date_order.
	ReasonDateOrderNeeded = "date_order_needed"
	// ReasonYearlessTooOld: a date without a year (5月27日) older than the
	// upload window in every year it could have — no setting would send
	// it. ReasonYearlessFuture: the same, but this year's is still to come.
	// Named as the destinations name what they hold back for age.
	ReasonYearlessTooOld = "event_too_old"
	ReasonYearlessFuture = "event_in_future"
)

// minDateMisfit is the fewest invalid_time rows that make a date column's
// misfit systemic, and minSwapped the fewest dates that read only in the
// other day/month order: a typo or two in a small export are row problems,
// while two dates with a day above 12 where the month should be are a
// format, not a slip.
const (
	minDateMisfit = 3
	minSwapped    = 2
)

// DefaultMaxUnreadableDateShare is input.max_unreadable_date_share when
// unset: more than this share of dated rows needing a setting is a
// systemic problem, and the run stops.
const DefaultMaxUnreadableDateShare = 0.2

// dateSample is how many dated rows the gate waits for before it decides
// whether dates needing a setting are a few bad rows or the whole export.
// Until then conversions are held (at most this many per platform), so a
// run that stops has sent nothing.
const dateSample = 500

// dateReason maps a time error to the row's exclusion reason, and says
// whether it is one a setting would cure.
func dateReason(err error) (reason string, setting bool) {
	switch {
	case errors.Is(err, eventtime.ErrYearlessTooOld):
		return ReasonYearlessTooOld, false
	case errors.Is(err, eventtime.ErrYearlessFuture):
		return ReasonYearlessFuture, false
	case errors.Is(err, eventtime.ErrNoYear):
		return ReasonYearNeeded, true
	case errors.Is(err, eventtime.ErrDateOrder):
		return ReasonDateOrderNeeded, true
	}
	return ReasonInvalidTime, false
}

// dateKeys names the config key that reads the dates of each reason, and
// dateProblems says what it would settle.
var (
	dateKeys = map[string]string{
		ReasonYearNeeded:      "input.default_year",
		ReasonDateOrderNeeded: "input.date_order",
	}
	dateProblems = map[string]string{
		ReasonYearNeeded: "this date has no year, and the upload window does not fix it; set the year the export covers (e.g. default_year: 2024)",
		// Not "could be month/day or day/month": 11/20/2026 cannot (a
		// review of time handling). A number above 12 shows the order of
		// its own date, not of the export's others, so none is guessed.
		ReasonDateOrderNeeded: "this is a numeric date (such as 5/8/2026 or 11/20/2026), and hashgate reads the day and month of such dates only by input.date_order, which is not set — never from their numbers, since one above 12 shows the order of its own date only; say which (mdy for US exports, dmy for European ones, ymd)",
	}
)

// yearWindowDays is the upload window that fixes the year of a year-less
// date: the longest max_event_age_days of the enabled destinations.
func yearWindowDays(cfg *config.Config) int {
	days := 0
	for _, p := range cfg.Enabled() {
		days = max(days, cfg.Sending(p).MaxEventAgeDays)
	}
	return days
}

// dateGate stands between the pipeline and its sink. Dates a setting
// would read exclude their row (a few year-less dates on cancelled rows
// must not stop a nightly run); but when they are more than the allowed
// share of dated rows, the config does not fit the export, and the run
// stops — before anything is sent, which is why the gate holds the
// conversions of the first dateSample dated rows until it has decided.
//
// The gate also judges whether the date column still fits the config: an
// export re-saved with its dates in another format (day/month swapped
// under input.date_order, a layout no configured format reads) makes
// many rows invalid_time and, worse, misdates the rest by months. More
// than the allowed share of invalid_time rows, or dates that read only in
// the other day/month order, stop the run too.
//
// Only rows that would otherwise be sent count in the share of dates
// needing a setting, and in its base: a row whose status is not a
// conversion status (a cancellation, a no-show) is excluded whatever its
// date says. A format misfit shows on every dated row, and counts them all.
type dateGate struct {
	sink         sink.Sink
	name         string
	decided      bool
	statusMapped bool
	dated        int            // dated rows that would be sent
	unread       map[string]int // by reason
	first        map[string][2]int
	held         []conversion.Conversion
	// fit judges the date column's format on every dated row.
	fit *DateFit
}

func newDateGate(cfg *config.Config, name string, s sink.Sink) *dateGate {
	_, column, key := AppointmentColumn(cfg)
	fit := NewDateFit(cfg, name, column, key)
	g := &dateGate{sink: s, name: name, unread: map[string]int{}, first: map[string][2]int{},
		statusMapped: cfg.Input.Columns.Status != "", fit: fit}
	// Nothing to hold when no date may stop the run: holding costs a copy
	// of the first conversions.
	g.decided = !g.fit.Strict()
	return g
}

// AppointmentColumn is the appointment's date column — the export's
// column, its header as the config names it, and its key: appointment_at,
// or appointment_date when the time is in a column of its own. The one
// place that choice is made (the date gate, the runner's time column, the
// channel report).
func AppointmentColumn(cfg *config.Config) (col export.Column, header, key string) {
	if h := cfg.Input.Columns.AppointmentAt; h != "" {
		return export.AppointmentAt, h, "input.columns.appointment_at"
	}
	return export.AppointmentDate, cfg.Input.Columns.AppointmentDate, "input.columns.appointment_date"
}

// swappable: under this date order a swapped day and month can show.
func swappable(order string) bool { return order == eventtime.OrderMDY || order == eventtime.OrderDMY }

// observe counts one settled row; it may decide, and then flush or stop.
func (g *dateGate) observe(o *outcome) error {
	if !o.dated {
		return nil
	}
	count := func(kind string) {
		if g.unread[kind] == 0 {
			g.first[kind] = [2]int{o.dateLine, o.dateCol}
		}
		g.unread[kind]++
	}
	// The column's format shows on every dated row, a cancelled visit's
	// as well as a sent one's.
	g.fit.Observe(o.dateInvalid, o.dateSwapped, o.dateLine, o.dateCol)
	if g.statusMapped && o.status != statusMatch {
		return nil // not a row that would be sent: it needs no setting
	}
	g.dated++
	if o.dateSetting != "" {
		count(o.dateSetting)
	}
	if !g.decided && g.fit.Dated() >= dateSample {
		return g.decide()
	}
	return nil
}

// Write passes c on once the gate has decided, and holds a copy until then.
func (g *dateGate) Write(c *conversion.Conversion) error {
	if g.decided {
		return g.sink.Write(c)
	}
	own := *c
	own.Identifiers = slices.Clone(c.Identifiers)
	own.Prepared = slices.Clone(c.Prepared)
	g.held = append(g.held, own)
	return nil
}

// finish decides at the end of the export, if the sample was not reached.
func (g *dateGate) finish() error {
	if g.decided {
		return nil
	}
	return g.decide()
}

func (g *dateGate) decide() error {
	g.decided = true
	total := 0
	worst := ""
	for _, reason := range []string{ReasonYearNeeded, ReasonDateOrderNeeded} {
		n := g.unread[reason]
		total += n
		if n > 0 && (worst == "" || n > g.unread[worst]) {
			worst = reason
		}
	}
	if total > 0 && float64(total) > g.fit.share*float64(g.dated) {
		g.held = nil
		at := g.first[worst]
		return &config.Error{Key: dateKeys[worst], Problem: fmt.Sprintf(
			"%s:%d:%d: %s — %d of the first %d dated rows to be sent need a date setting, more than input.max_unreadable_date_share (%g); nothing was sent",
			g.name, at[0], at[1], dateProblems[worst], total, g.dated, g.fit.share)}
	}
	if err := g.fit.Err("nothing was sent"); err != nil {
		g.held = nil
		return err
	}
	for i := range g.held {
		if err := g.sink.Write(&g.held[i]); err != nil {
			return fmt.Errorf("write conversion from line %d: %w", g.held[i].Line, err)
		}
	}
	g.held = nil
	return nil
}

// today is the run's date in the clinic's zone, for year-less dates.
func today(cfg *config.Config, now time.Time) time.Time {
	if now.IsZero() {
		now = time.Now()
	}
	if loc := cfg.Location(); loc != nil {
		now = now.In(loc)
	}
	return now
}
