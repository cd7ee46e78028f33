package pipeline

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventtime"
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
		ReasonYearNeeded:      "this date has no year, and the upload window does not fix it; set the year the export covers (e.g. default_year: 2024)",
		ReasonDateOrderNeeded: "this date could be month/day or day/month; say which (mdy for US exports, dmy for European ones, ymd)",
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
type dateGate struct {
	sink    sink.Sink
	share   float64
	name    string
	decided bool
	dated   int
	unread  map[string]int // by reason
	first   map[string][2]int
	held    []conversion.Conversion
}

func newDateGate(cfg *config.Config, name string, s sink.Sink) *dateGate {
	share := cfg.Input.MaxUnreadableDateShare
	if share == 0 {
		share = DefaultMaxUnreadableDateShare
	}
	g := &dateGate{sink: s, share: share, name: name, unread: map[string]int{}, first: map[string][2]int{}}
	// Nothing to hold when no date can need a setting, or none may stop
	// the run: holding costs a copy of the first conversions.
	g.decided = share >= 1 || cfg.Input.DefaultYear != 0 && cfg.Input.DateOrder != ""
	return g
}

// observe counts one settled row; it may decide, and then flush or stop.
func (g *dateGate) observe(o *outcome) error {
	if !o.dated {
		return nil
	}
	g.dated++
	if o.dateSetting != "" {
		if g.unread[o.dateSetting] == 0 {
			g.first[o.dateSetting] = [2]int{o.dateLine, o.dateCol}
		}
		g.unread[o.dateSetting]++
	}
	if !g.decided && g.dated >= dateSample {
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
	if total > 0 && float64(total) > g.share*float64(g.dated) {
		g.held = nil
		at := g.first[worst]
		return &config.Error{Key: dateKeys[worst], Problem: fmt.Sprintf(
			"%s:%d:%d: %s — %d of the first %d dated rows need a date setting, more than input.max_unreadable_date_share (%g); nothing was sent",
			g.name, at[0], at[1], dateProblems[worst], total, g.dated, g.share)}
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
