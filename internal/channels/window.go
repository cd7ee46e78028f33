package channels

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/spend"
)

// The report's window and periods, in days of the clinic's time zone.

// window settles the report's first and last day: the flags, or else the
// export's first and last appointment day.
func (t *tally) window(from, to time.Time, files []*spend.File) (int32, int32, error) {
	lo, hi := t.minDay, t.maxDay
	if !t.seeded {
		// No dated row: fall back on the spend downloads' days.
		first := true
		for _, f := range files {
			for _, r := range f.Rows {
				a, b := dayNumber(r.From), dayNumber(r.To)
				if first || a < lo {
					lo = a
				}
				if first || b > hi {
					hi = b
				}
				first = false
			}
		}
		if first && (from.IsZero() || to.IsZero()) {
			return 0, 0, errors.New("no dated appointment in the export and no spend rows: pass --from and --to")
		}
	}
	if !from.IsZero() {
		lo = dayNumber(from)
	}
	if !to.IsZero() {
		hi = dayNumber(to)
	}
	if hi < lo {
		return 0, 0, fmt.Errorf("--to %s is before --from %s", dayTime(hi).Format(time.DateOnly), dayTime(lo).Format(time.DateOnly))
	}
	if hi-lo > 3660 {
		return 0, 0, errors.New("the window is longer than ten years: pass --from and --to")
	}
	return lo, hi, nil
}

// location is the clinic's time zone (config timezone, else UTC), loaded
// once per run: time.LoadLocation reads and parses the zone database file
// on every call, and decideOrders asks once per order — a tenth of the
// channels suite's CPU time before it was kept (go test -cpuprofile).
func (t *tally) location() *time.Location {
	if t.loc == nil {
		t.loc = time.UTC
		if loc := t.cfg.Location(); loc != nil {
			t.loc = loc
		}
	}
	return t.loc
}

// span is one period of the report: days [from, to].
type span struct{ from, to int32 }

// autoPeriod picks the period that gives a trend of a readable length.
func autoPeriod(from, to int32) string {
	switch n := to - from + 1; {
	case n > 92:
		return "month"
	case n > 14:
		return "week"
	}
	return "day"
}

// periods cuts [from, to] into calendar months, ISO weeks (Monday first)
// or days; all is one span.
func periods(period string, from, to int32) ([]span, error) {
	switch period {
	case "", "all":
		return []span{{from, to}}, nil
	case "month", "week", "day":
	default:
		return nil, fmt.Errorf("--period: want all, month, week or day, got %q", period)
	}
	var out []span
	for d := from; d <= to; {
		end := d
		t := dayTime(d)
		switch period {
		case "month":
			end = dayNumber(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)) - 1
		case "week":
			wd := (int(t.Weekday()) + 6) % 7 // Monday 0
			end = d + int32(6-wd)
		}
		end = min(end, to)
		out = append(out, span{d, end})
		d = end + 1
	}
	if len(out) > 400 {
		return nil, fmt.Errorf("--period %s makes %d periods: choose a longer period or a shorter window", period, len(out))
	}
	return out, nil
}
