// Package eventtime reads appointment and consent times from an export.
//
// Exports write local wall time without an offset; the clinic's IANA zone
// turns it into an instant (DST-correct, through the zone database). A time
// with an offset keeps its own. Without a zone, an offset-less time is an
// error the caller reports against the timezone key, never a guess at UTC.
package eventtime

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// DefaultLayouts are tried in order when the config names none: RFC 3339
// with an offset, then ISO-like local forms, then date-only forms (consent
// dates are often dates).
var DefaultLayouts = []string{
	time.RFC3339,
	// RFC 3339 with a space for the T, as the Google Ads API spells a
	// conversion's time ("yyyy-mm-dd hh:mm:ss+|-hh:mm", ClickConversion).
	"2006-01-02 15:04:05Z07:00",
	// The offset in four digits without a colon, as Google Ads' conversion
	// import file takes it ("-0500": its template, and Adobe's guide to it)
	// and as strftime's %z writes it (Python, PHP, C): such an export was
	// invalid_time on every row.
	"2006-01-02T15:04:05Z0700",
	"2006-01-02 15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006-01-02",
	"2006/01/02",
}

// ErrNoZone is returned for a time without an offset when no zone is set.
var ErrNoZone = errors.New("time has no UTC offset and no timezone is configured")

// ErrUnreadable is returned when no layout reads the value.
var ErrUnreadable = errors.New("time matches none of the configured formats")

// ErrDateOrder is returned for "5/8/2024", "06/08/24" or "11/20/2024"
// when no date order is configured: which number is the month cannot be
// known from the value — a number above 12 shows it for that date only,
// not for the export's others — and guessing would shift conversions by
// months.
var ErrDateOrder = errors.New("a numeric date is read only by the date order, which is not set (input.date_order: mdy, dmy or ymd)")

// ErrNoYear is returned for a date printed without its year ("5月27日")
// when no default year is configured and the upload window does not fix
// the year (see yearFor).
var ErrNoYear = errors.New("date has no year (set input.default_year)")

// ErrYearlessTooOld and ErrYearlessFuture are a year-less date outside the
// upload window for every year it could have (see yearFor): the latest
// occurrence on or before Today is older than the window — and, for
// ErrYearlessFuture, this year's is still to come. No setting would make
// such a row a conversion that can be sent, so it is no ErrNoYear to the
// pipeline; both wrap it for callers that only ask whether a year is
// missing.
var (
	ErrYearlessTooOld = fmt.Errorf("%w: older than the upload window in any year", ErrNoYear)
	ErrYearlessFuture = fmt.Errorf("%w: later than today this year, older than the upload window last year", ErrNoYear)
)

// Date orders for numeric dates whose year is not a four-digit first field.
const (
	OrderYMD = "ymd"
	OrderMDY = "mdy"
	OrderDMY = "dmy"
)

// Options configures a Parser.
type Options struct {
	// Layouts are Go layouts tried first (DefaultLayouts when empty).
	Layouts []string
	// Location turns offset-less times into instants (nil: ErrNoZone).
	Location *time.Location
	// DateOrder resolves "5/8/2024" and "06/08/24": ymd, mdy or dmy.
	DateOrder string
	// ROC reads two-digit years and six-digit compact dates ("77/11/28",
	// "771128") as Republic of China years. Three-digit years ("113/05/18"),
	// seven-digit compact dates ("1130518") and 民國 are ROC regardless.
	ROC bool
	// DefaultYear completes dates printed without a year; 0 reads them only
	// through Today and YearWindowDays (see yearFor), else ErrNoYear.
	DefaultYear int
	// Today is the run's date in the clinic's zone (its year, month and day
	// are used); with YearWindowDays it fixes the year of a date printed
	// without one. Zero refuses such dates unless DefaultYear is set.
	Today time.Time
	// YearWindowDays is how far before Today a year-less date may lie: the
	// platforms' upload window. Must stay under a year.
	YearWindowDays int
	// ExcelEpoch reads five-digit Excel serial dates in the 1900 or 1904
	// date system; "" refuses them.
	ExcelEpoch string
}

// Parser reads times with a fixed list of layouts, then with the forms
// clinics' exports write (see parseClinic).
type Parser struct {
	opt   Options
	zoned []bool
	// named: the layout's zone is a name (MST) and no numeric offset
	// (tryNamed reads it).
	named []bool
	last  int  // index of the layout that matched last (-1: a clinic form): exports are uniform
	fast  bool // the default layouts are in force: fastISO may answer
	// zone is the fixed zone fastISO made last, reused: an export's
	// offsets are one or two.
	zone    *time.Location
	zoneOff int
}

// NewParser returns a parser for opt. A Parser is not safe for concurrent use.
func NewParser(opt Options) *Parser {
	fast := len(opt.Layouts) == 0
	if fast {
		opt.Layouts = DefaultLayouts
	}
	p := &Parser{opt: opt, zoned: make([]bool, len(opt.Layouts)), named: make([]bool, len(opt.Layouts)), fast: fast}
	for i, l := range opt.Layouts {
		offset := strings.Contains(l, "Z07") || strings.Contains(l, "-07")
		p.zoned[i] = offset || strings.Contains(l, "MST")
		p.named[i] = !offset && strings.Contains(l, "MST")
	}
	return p
}

// Parse reads s. A cell no form reads as it is written, and that holds a
// character NFKC folds — full-width digits and signs — is read again
// folded: a full-width RFC 3339 time with its offset was invalid_time (a
// review of Windows-saved exports), while the clinic forms fold on their
// own. As written first: a configured layout may hold full-width text
// itself (15：04), which the folded cell would no longer match (a review
// of that fix).
func (p *Parser) Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := p.parse(s)
	if !errors.Is(err, ErrUnreadable) {
		return t, err
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			if f := strings.TrimSpace(norm.NFKC.String(s)); f != s {
				if t, ferr := p.parse(f); !errors.Is(ferr, ErrUnreadable) {
					return t, ferr
				}
			}
			break
		}
	}
	return t, err
}

// parse is Parse of s as it is given.
func (p *Parser) parse(s string) (time.Time, error) {
	if p.fast {
		if t, ok := p.fastISO(s); ok {
			return t, nil
		}
	}
	if p.last < 0 {
		if t, err := p.clinic(s); !errors.Is(err, ErrUnreadable) {
			return t, err
		}
	} else if t, ok, err := p.try(p.last, s); ok {
		return t, err
	}
	for i := range p.opt.Layouts {
		if i == p.last {
			continue
		}
		if t, ok, err := p.try(i, s); ok {
			p.last = i
			return t, err
		}
	}
	if p.last < 0 {
		return time.Time{}, ErrUnreadable
	}
	t, err := p.clinic(s)
	if !errors.Is(err, ErrUnreadable) {
		p.last = -1
	}
	return t, err
}

func (p *Parser) try(i int, s string) (time.Time, bool, error) {
	if p.named[i] {
		return p.tryNamed(i, s)
	}
	if p.zoned[i] {
		t, err := time.Parse(p.opt.Layouts[i], s)
		if err == nil && !plausible(t) {
			return time.Time{}, true, ErrUnreadable
		}
		return t, err == nil, nil
	}
	loc := p.opt.Location
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(p.opt.Layouts[i], s, loc)
	if err != nil {
		return time.Time{}, false, nil
	}
	if !plausible(t) {
		return time.Time{}, true, ErrUnreadable
	}
	// Within two days of a clock change only (one zone lookup; no cost
	// elsewhere), read the wall time as written and settle the gap or the
	// fold (skipGap) — two days, for the longest: Samoa skipped a day.
	if p.opt.Location != nil {
		if start, end := t.ZoneBounds(); !start.IsZero() && t.Sub(start) < 48*time.Hour || !end.IsZero() && end.Sub(t) < 48*time.Hour {
			if u, err := time.Parse(p.opt.Layouts[i], s); err == nil {
				t = skipGap(t, u.Day(), u.Hour(), u.Minute())
			}
		}
	}
	if p.opt.Location == nil {
		return time.Time{}, true, ErrNoZone
	}
	return t, true, nil
}

// ErrZoneName is a time whose zone abbreviation (a time_formats layout's
// MST) the configured timezone does not use at that time: PST in New
// York, EST there in July. Unreadable: the row is invalid_time.
var ErrZoneName = fmt.Errorf("%w: its zone abbreviation is not one the configured timezone uses at that time", ErrUnreadable)

// tryNamed reads layout i, whose zone is a name (MST) and no offset, in
// the clinic's zone. time.Parse reads a name in the host's zone: "If the
// zone abbreviation is unknown, Parse records the time as being in a
// fabricated location with the given zone abbreviation and a zero offset"
// (package time, func Parse), and "when given a zone offset or
// abbreviation, Parse tries to match it against the Local location;
// ParseInLocation uses the given location" (func ParseInLocation). So
// "9:30 AM EST" was 09:30Z on a UTC host, 14:30Z on a New York one (a
// review of time handling). Read in UTC first, the name is kept as written
// (every name but UTC is unknown there, and fabricated); then in the
// clinic's zone, and taken only when that zone uses the name at the
// instant it gives — lookupName falls back to any period of the name, so
// EST in July would read as UTC-5 — else ErrZoneName. UTC and GMT are
// offset 0 everywhere ("The zone abbreviation "UTC" is recognized as UTC
// regardless of location", func Parse).
func (p *Parser) tryNamed(i int, s string) (time.Time, bool, error) {
	layout := p.opt.Layouts[i]
	w, err := time.ParseInLocation(layout, s, time.UTC)
	if err != nil {
		return time.Time{}, false, nil
	}
	if !plausible(w) {
		return time.Time{}, true, ErrUnreadable
	}
	name, _ := w.Zone()
	if name == "UTC" || name == "GMT" {
		return w, true, nil
	}
	loc := p.opt.Location
	if loc == nil {
		return time.Time{}, true, ErrNoZone
	}
	t, err := time.ParseInLocation(layout, s, loc)
	if err != nil {
		return time.Time{}, true, ErrZoneName
	}
	// A name fabricated (unknown to the zone) or another period's: the
	// zone's own name at the instant read is not the one written.
	if uses, _ := t.In(loc).Zone(); uses != name {
		return time.Time{}, true, ErrZoneName
	}
	return t, true, nil
}

func (p *Parser) clinic(s string) (time.Time, error) {
	w, err := parseClinic(s, p.opt)
	if err != nil {
		return time.Time{}, err
	}
	if p.opt.Location == nil {
		return time.Time{}, ErrNoZone
	}
	return w.in(p.opt.Location), nil
}

// plausible: years outside 1900–2200 are damage ("0000-00-00", a typo'd
// year), not appointments.
func plausible(t time.Time) bool { return t.Year() >= 1900 && t.Year() <= 2200 }
