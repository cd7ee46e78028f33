package pipeline

import (
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventtime"
	"github.com/hashgate/hashgate/internal/export"
)

// DateFit judges whether one date column of an export still fits the
// config. An export re-saved with its dates in another format — day and
// month swapped under input.date_order, a layout no configured format
// reads — makes many rows invalid_time and, worse, misdates the rest by
// months: 03/11 read as 3 November when it was 11 March. Every command
// that reads dates out of an export judges them the same way, the upload
// before anything is sent (dateGate), the channel report before anything
// is printed: a report counted on misread dates is as wrong as an upload
// of them, and says nothing.
type DateFit struct {
	name, column, key, order, encoding string
	share                              float64
	dated, invalid, swapped            int
	firstInvalid, firstSwapped         [2]int
	// setting counts dates that read only with input.date_order or
	// input.default_year (ObserveSetting: a column judged beside the
	// appointment's, whose row such a date does not exclude).
	setting      int
	firstSetting [2]int
	// future counts birth dates after the appointment (ObserveFuture).
	future      int
	firstFuture [2]int
	// whole: judged over every row of the export (Whole), not the
	// upload's first dateSample dated rows.
	whole bool
	// noCounts leaves the numbers of rows out of the verdict: a channel
	// report under its release rule keeps counts of the export's rows off
	// stderr, which cron mails with the report (Released).
	noCounts bool
	// timeColumn is the appointment_time column read with an
	// appointment_date column: a date that does not read may be its
	// time's fault (a form's "time spent" mapped as the time, a
	// vendors' review), so the message names both.
	timeColumn string
}

// minSwappedShare is, for a fit judged over the whole export, the least
// share of its dated rows that must read only in the other day/month
// order: a re-saved column swaps more than half its dates (every day above
// 12), while two day-first dates typed by hand into a nightly export of
// 50,000 rows must not stop every night.
const minSwappedShare = 0.01

// Whole makes f judge every dated row of the export rather than the
// sample the upload's date gate decides on: the consent_at and booked_at
// columns, and the channel report, which reads the export to its end
// before it prints or sends anything.
func (f *DateFit) Whole() *DateFit {
	f.whole = true
	return f
}

// DateMisfit says whether a date cell raw that did not read (err) says
// something of its column's format: invalid_time, and with a digit in it
// — a cell of none (N/A, "-", "pending") is a placeholder, not a date in a
// format the config lacks.
func DateMisfit(raw string, err error) bool {
	reason, _ := dateReason(err)
	return reason == ReasonInvalidTime && strings.ContainsAny(raw, "0123456789")
}

// NewDateFit judges the dates of column (its header name in the config)
// under config key of file name.
func NewDateFit(cfg *config.Config, name, column, key string) *DateFit {
	f := &DateFit{name: name, column: column, key: key, order: cfg.Input.DateOrder, encoding: cfg.Input.Encoding,
		share: cfg.Input.MaxUnreadableDateShare}
	if f.share == 0 {
		f.share = DefaultMaxUnreadableDateShare
	}
	if f.encoding == "" {
		f.encoding = "auto"
	}
	if key == "input.columns.appointment_date" {
		f.timeColumn = cfg.Input.Columns.AppointmentTime
	}
	return f
}

// Released leaves the numbers of rows out of f's verdict, for a report
// released under the channel report's rule: it says which column and
// setting, and where the first misfit is, not how many rows.
func (f *DateFit) Released() *DateFit {
	f.noCounts = true
	return f
}

// howMany is "n of the [first] dated rows" as the verdict says it: its
// numbers, or, released, only that there were more than allowed.
func (f *DateFit) howMany(n int, of string) string {
	if f.noCounts {
		return "more than the allowed share of the"
	}
	return fmt.Sprintf("%d %s %d", n, of, f.dated)
}

// Strict says whether a misfit can stop the run: a share of 1 allows any
// number of unreadable dates, and only a date order of mdy or dmy can be
// swapped.
func (f *DateFit) Strict() bool { return f.share < 1 || swappable(f.order) }

// Observe counts one dated row: invalid when no configured format reads
// its date, swapped when it reads only in the other day/month order
// (OtherDateOrder); line and col are where the date is.
func (f *DateFit) Observe(invalid, swapped bool, line, col int) {
	f.dated++
	if invalid {
		if f.invalid == 0 {
			f.firstInvalid = [2]int{line, col}
		}
		f.invalid++
	}
	if swapped {
		if f.swapped == 0 {
			f.firstSwapped = [2]int{line, col}
		}
		f.swapped++
	}
}

// ObserveSetting counts one observed row's date as one that reads only
// with input.date_order or input.default_year (line and col: where).
func (f *DateFit) ObserveSetting(line, col int) {
	if f.setting == 0 {
		f.firstSetting = [2]int{line, col}
	}
	f.setting++
}

// ObserveFuture counts one observed row's birth date that reads, and is
// after the appointment: birth_date_invalid, which a two-digit year read
// as 20yy (contract H6) gives every adult born before 2000.
func (f *DateFit) ObserveFuture(line, col int) {
	if f.future == 0 {
		f.firstFuture = [2]int{line, col}
	}
	f.future++
}

// Dated is how many dated rows were observed.
func (f *DateFit) Dated() int { return f.dated }

// Err is the verdict on the rows observed: nil, or a *config.Error naming
// the key to check and where the first misfit is — never a date's value.
// suffix ends its message: what the command did not do ("nothing was
// sent").
func (f *DateFit) Err(suffix string) error {
	of := "of the first"
	if f.whole {
		of = "of the"
	}
	if f.swapped >= minSwapped && (!f.whole || float64(f.swapped) >= minSwappedShare*float64(f.dated)) {
		other := eventtime.OrderDMY
		if f.order == eventtime.OrderDMY {
			other = eventtime.OrderMDY
		}
		return &config.Error{Key: "input.date_order", Problem: fmt.Sprintf(
			"%s:%d:%d: column %q (%s): %s dated rows have a day above 12 in the month position of input.date_order (%s) and read as %s: "+
				"the export was re-saved with day and month swapped, and its other dates would be misread by months (input.encoding %s); "+
				"check the export's date format and set input.date_order; %s",
			f.name, f.firstSwapped[0], f.firstSwapped[1], f.column, f.key, f.howMany(f.swapped, of), f.order, other, f.encoding, suffix)}
	}
	if f.setting >= minDateMisfit && float64(f.setting) > f.share*float64(f.dated) {
		// A booked_at re-saved as 11/10/2026 9:30 with the order unset (a
		// bookings review): said as the appointment column's is.
		return &config.Error{Key: "input.date_order", Problem: fmt.Sprintf(
			"%s:%d:%d: column %q (%s): %s dated rows have a numeric date, read only by input.date_order (not set), or no year: "+
				"set input.date_order (mdy or dmy) or input.default_year — a re-saved export writes its dates so; %s",
			f.name, f.firstSetting[0], f.firstSetting[1], f.column, f.key, f.howMany(f.setting, of), suffix)}
	}
	if f.future >= minDateMisfit && float64(f.future) > f.share*float64(f.dated) {
		// An export writing birth dates as 05/01/85: each read 2085, and
		// the adults were excluded one by one, exit 0 (a review).
		return &config.Error{Key: f.key, Problem: fmt.Sprintf(
			"%s:%d:%d: column %q (%s): %s dated rows have a birth date after the appointment (birth_date_invalid), more than input.max_unreadable_date_share (%g): "+
				"a two-digit year reads as 20yy, so an adult whose year is written in two digits reads as born after the visit and is excluded; "+
				"export the column with four-digit years (or set input.calendar: roc if its years are ROC years); %s",
			f.name, f.firstFuture[0], f.firstFuture[1], f.column, f.key, f.howMany(f.future, of), f.share, suffix)}
	}
	if f.invalid >= minDateMisfit && float64(f.invalid) > f.share*float64(f.dated) {
		order := f.order
		if order == "" {
			order = "unset"
		}
		columns := fmt.Sprintf("column %q", f.column)
		if f.timeColumn != "" {
			columns = fmt.Sprintf("column %q with its time from %q (input.columns.appointment_time)", f.column, f.timeColumn)
		}
		// Not only "the format changed": on a first run nothing has
		// changed, and the export simply writes a form the config lacks
		// (a vendors' review read "a re-saved export?" of an export
		// hashgate had never read).
		return &config.Error{Key: f.key, Problem: fmt.Sprintf(
			"%s:%d:%d: %s: %s dated rows have a date no configured format reads (invalid_time), more than input.max_unreadable_date_share (%g): "+
				"the export writes a form the config does not read — new to this config, add it to input.time_formats (hashgate inspect shows the column's forms); "+
				"read before, the export's format changed (a re-saved export?); check input.time_formats, input.date_order (%s) and input.encoding (%s)%s; %s",
			f.name, f.firstInvalid[0], f.firstInvalid[1], columns, f.howMany(f.invalid, of), f.share, order, f.encoding, timeHint(f.timeColumn), suffix)}
	}
	return nil
}

// timeHint adds, when the time comes from a column of its own, that the
// column may not be the appointment's time at all.
func timeHint(col string) string {
	if col == "" {
		return ""
	}
	return fmt.Sprintf(", and that %q is the appointment's time", col)
}

// OtherDateOrder is o with input.date_order's day and month swapped, and
// whether o's order can be (mdy or dmy): a date that fails under o but
// reads under the other is a swapped one.
func OtherDateOrder(o eventtime.Options) (eventtime.Options, bool) {
	switch o.DateOrder {
	case eventtime.OrderMDY:
		o.DateOrder = eventtime.OrderDMY
	case eventtime.OrderDMY:
		o.DateOrder = eventtime.OrderMDY
	default:
		return o, false
	}
	return o, true
}

// noteMisfit notes a date of column c that no configured format read:
// where, and whether it reads in the other day/month order. A cell with no
// digit (N/A, "-", "pending") is a placeholder, not a date in a format the
// config lacks: a consent_at column of "N/A" where no consent was given
// says nothing of its format.
func (r *runner) noteMisfit(n *fitNote, row export.Row, c export.Column, err error) {
	raw := row.Get(c)
	if !DateMisfit(raw, err) {
		return
	}
	n.invalid = true
	n.line, n.col = row.Position(c)
	if other := r.otherOrderParser(); other != nil {
		_, err := other.Parse(raw)
		n.swapped = err == nil
	}
}

// otherOrderParser reads dates in the day/month order input.date_order
// does not say (made on first use), or is nil when that order is neither
// mdy nor dmy.
func (r *runner) otherOrderParser() *eventtime.Parser {
	if !swappable(r.cfg.Input.DateOrder) {
		return nil
	}
	if r.otherOrder == nil {
		o, _ := OtherDateOrder(runTimeOptions(r.cfg, r.now))
		r.otherOrder = eventtime.NewParser(o)
	}
	return r.otherOrder
}
