// Package eventtime reads appointment and consent times from an export.
//
// Exports write local wall time without an offset; the clinic's IANA zone
// turns it into an instant (DST-correct, through the zone database). A time
// with an offset keeps its own. Without a zone, an offset-less time is an
// error the caller reports against the timezone key, never a guess at UTC.
package eventtime

import (
	"errors"
	"strings"
	"time"
)

// DefaultLayouts are tried in order when the config names none: RFC 3339
// with an offset, then ISO-like local forms, then date-only forms (consent
// dates are often dates).
var DefaultLayouts = []string{
	time.RFC3339,
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

// Parser reads times with a fixed list of layouts.
type Parser struct {
	layouts []string
	zoned   []bool
	loc     *time.Location
	last    int // index of the layout that matched last: exports are uniform
}

// NewParser returns a parser for layouts (DefaultLayouts when empty) that
// reads offset-less times in loc (nil: such times are ErrNoZone).
// A Parser is not safe for concurrent use.
func NewParser(layouts []string, loc *time.Location) *Parser {
	if len(layouts) == 0 {
		layouts = DefaultLayouts
	}
	p := &Parser{layouts: layouts, loc: loc, zoned: make([]bool, len(layouts))}
	for i, l := range layouts {
		p.zoned[i] = strings.Contains(l, "Z07") || strings.Contains(l, "-07") || strings.Contains(l, "MST")
	}
	return p
}

// Parse reads s.
func (p *Parser) Parse(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, ok, err := p.try(p.last, s); ok {
		return t, err
	}
	for i := range p.layouts {
		if i == p.last {
			continue
		}
		if t, ok, err := p.try(i, s); ok {
			p.last = i
			return t, err
		}
	}
	return time.Time{}, ErrUnreadable
}

func (p *Parser) try(i int, s string) (time.Time, bool, error) {
	if p.zoned[i] {
		t, err := time.Parse(p.layouts[i], s)
		return t, err == nil, nil
	}
	loc := p.loc
	if loc == nil {
		loc = time.UTC
	}
	t, err := time.ParseInLocation(p.layouts[i], s, loc)
	if err != nil {
		return time.Time{}, false, nil
	}
	if p.loc == nil {
		return time.Time{}, true, ErrNoZone
	}
	return t, true, nil
}
