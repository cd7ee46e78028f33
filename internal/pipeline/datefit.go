package pipeline

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventtime"
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
	return f
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

// Dated is how many dated rows were observed.
func (f *DateFit) Dated() int { return f.dated }

// Err is the verdict on the rows observed: nil, or a *config.Error naming
// the key to check and where the first misfit is — never a date's value.
// suffix ends its message: what the command did not do ("nothing was
// sent").
func (f *DateFit) Err(suffix string) error {
	if f.swapped >= minSwapped {
		other := eventtime.OrderDMY
		if f.order == eventtime.OrderDMY {
			other = eventtime.OrderMDY
		}
		return &config.Error{Key: "input.date_order", Problem: fmt.Sprintf(
			"%s:%d:%d: column %q (%s): %d of the first %d dated rows have a day above 12 in the month position of input.date_order (%s) and read as %s: "+
				"the export was re-saved with day and month swapped, and its other dates would be misread by months (input.encoding %s); "+
				"check the export's date format and set input.date_order; %s",
			f.name, f.firstSwapped[0], f.firstSwapped[1], f.column, f.key, f.swapped, f.dated, f.order, other, f.encoding, suffix)}
	}
	if f.invalid >= minDateMisfit && float64(f.invalid) > f.share*float64(f.dated) {
		order := f.order
		if order == "" {
			order = "unset"
		}
		return &config.Error{Key: f.key, Problem: fmt.Sprintf(
			"%s:%d:%d: column %q: %d of the first %d dated rows have a date no configured format reads (invalid_time), more than input.max_unreadable_date_share (%g): "+
				"the column's format changed (a re-saved export?) — check input.time_formats, input.date_order (%s) and input.encoding (%s); %s",
			f.name, f.firstInvalid[0], f.firstInvalid[1], f.column, f.invalid, f.dated, f.share, order, f.encoding, suffix)}
	}
	return nil
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
