package spend

import (
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// declaredRange reads the date range a download states above its header.
// The Google Ads UI writes a report title, then the range the report was
// run for ("July 30, 2026 - December 2, 2026"; the Chinese UIs write
// "2026年7月30日 - 2026年12月2日"), then the header. A range is what the
// file covers even where it has no row: a day without a row spent nothing.
// A line that is not a range (a title, "All time") declares nothing.
func declaredRange(above []string) (from, to time.Time, ok bool) {
	for _, l := range above {
		l = strings.Trim(strings.TrimSpace(strings.TrimPrefix(l, "\uFEFF")), "\"\t,")
		parts := rangeSep().Split(l, -1)
		if len(parts) != 2 {
			continue
		}
		a, okA := parseDay(parts[0])
		b, okB := parseDay(parts[1])
		if okA && okB && !b.Before(a) {
			return a, b, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// rangeSep is the dash between the two days: a hyphen, en or em dash, a
// tilde or "至"/"到", with or without spaces. It and cjkDay are compiled
// on first use, not at package initialisation, which every hashgate
// command pays (docs/performance.md, Start-up).
var rangeSep = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\s+[-–—~～]\s+|\s*[–—～至到]\s*`) })

var dayLayouts = []string{
	"January 2, 2006", "Jan 2, 2006", "2 January 2006", "2 Jan 2006", "Jan. 2, 2006",
	"2006-01-02", "2006/01/02", "2006/1/2", "2006.01.02",
}

var cjkDay = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$`)
})

func parseDay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, l := range dayLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	if m := cjkDay().FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC)
		if t.Month() == time.Month(mo) && t.Day() == d {
			return t, true
		}
	}
	return time.Time{}, false
}
