package eventtime

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// wall is a local date and time before a zone makes it an instant.
type wall struct {
	y, mo, d, h, mi, s int
}

// in places w in loc. time.Date applies the zone's rules for that day, so
// daylight saving is right; see skipGap for the spring gap and the autumn
// fold.
func (w wall) in(loc *time.Location) time.Time {
	return skipGap(time.Date(w.y, time.Month(w.mo), w.d, w.h, w.mi, w.s, 0, loc), w.d, w.h, w.mi)
}

// skipGap settles the wall times a clock change makes odd, as java.time
// and most calendars do; Go's time.Date leaves both unspecified. t is
// time.Date's answer for the wall time d h:mi.
//   - One that does not exist — 02:30 the night New York springs forward,
//     or any time of 30 December 2011 in Samoa, a day the zone skipped —
//     moves forward by the length of the gap (03:30 EDT); Go returns 01:30
//     EST: an hour early, and before the clock change.
//   - One that exists twice — 01:30 the night London falls back, any hour
//     of the 23 that Kwajalein repeated in 1969 — is the first (01:30 BST).
//     Go returns the first west of UTC and the second east of it (London,
//     Sydney, Auckland: a DST review found a consent time passing the gate
//     in London that New York's rule refused).
//
// The clock change is found from the zone period t falls in
// (time.ZoneBounds), however long the fold or the gap (a review of a
// six-hour look-back: Davis 1964 and Kwajalein 1969 kept Go's answer).
func skipGap(t time.Time, d, h, mi int) time.Time {
	start, end := t.ZoneBounds()
	if t.Day() == d && t.Hour() == h && t.Minute() == mi {
		// The common case, on every time read: no change of clocks in
		// the two days before t (the longest fold is 23 hours), one zone
		// lookup.
		if start.IsZero() || t.Sub(start) >= 48*time.Hour {
			return t
		}
		// The clock went back at start: the same wall clock shows an
		// earlier instant in the period before, by the difference.
		_, now := t.Zone()
		if _, before := start.Add(-time.Second).Zone(); before > now {
			if e := t.Add(-time.Duration(before-now) * time.Second); e.Before(start) && e.Day() == d && e.Hour() == h && e.Minute() == mi {
				return e
			}
		}
		return t
	}
	_, now := t.Zone()
	// The wall time is in a gap. East of UTC Go answers in the period
	// after it, moved forward already: t then lies within the gap's
	// length after the change that opened it (a review: Asia/Khandyga's
	// 2004 gap was moved twice).
	if !start.IsZero() {
		if _, before := start.Add(-time.Second).Zone(); before < now && t.Sub(start) < time.Duration(now-before)*time.Second {
			return t
		}
	}
	// West of UTC it answers in the period before: forward by the gap.
	if !end.IsZero() {
		if _, after := end.Zone(); after > now {
			return t.Add(time.Duration(after-now) * time.Second)
		}
	}
	return t
}

// Marker words for the half of the day. 中午 is the noon hour: 中午12:30 is
// 12:30 and 中午1点 is 13:00, the same arithmetic as PM.
var (
	amMarkers = []string{"上午", "早上", "凌晨", "A.M.", "AM"}
	pmMarkers = []string{"下午", "晚上", "傍晚", "中午", "P.M.", "PM"}
)

// eveningMarkers are the PM markers of the evening. 12 under one is
// midnight, not noon — 晚上 12:30 was read 12:30, noon (a review of time
// handling) — and whether that midnight ends the day written or begins
// the next is not said, so such a time is unreadable (invalid_time), never
// guessed. 中午12:30 (noon) and 凌晨12:30 (after midnight) say it.
var eveningMarkers = []string{"晚上", "傍晚"}

// unitReplacer turns Chinese date and time units into separators:
// 2024年5月18日 → 2024/5/18, 13点30分 → 13:30.
var unitReplacer = strings.NewReplacer(
	"年", "/", "月", "/", "日", " ", "号", " ", "號", " ",
	"点", ":", "點", ":", "時", ":", "时", ":", "分", " ", "秒", " ",
)

// parseClinic reads the date forms of real clinic exports that Go layouts
// cannot express (docs/research/clinic-exports.md §b traps 12–16):
//
//   - ROC (Minguo) years: 113/05/18, 113.06.06, 113-11-21, 1130518,
//     民國113年5月19日, and HIS timestamps 1130518093000; two-digit ROC years
//     (77/11/28, 771128) only with Options.ROC;
//   - Chinese dates 2024年5月18日, and 5月27日 with Options.DefaultYear;
//   - US and day-first dates 5/8/2024, 06/08/24, by Options.DateOrder only;
//   - compact 20240518 and 20240518093000;
//   - times 11:00:00 AM, 上午 09:30, 下午8:00, 13点30分, 9点;
//   - Excel serial dates with Options.ExcelEpoch.
//
// Full-width digits are folded first (NFKC). Anything else is ErrUnreadable.
func parseClinic(s string, opt Options) (wall, error) {
	var w wall
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			s = norm.NFKC.String(s)
			break
		}
	}
	s = strings.TrimSpace(s)
	roc := false
	for _, pre := range []string{"民國", "民国"} {
		if rest, ok := strings.CutPrefix(s, pre); ok {
			s, roc = strings.TrimSpace(rest), true
		}
	}
	s, weekday := cutWeekday(s)
	half := 0           // 1 AM, 2 PM
	evening := false    // the marker is 晚上 or 傍晚 (see eveningMarkers)
	up := asciiUpper(s) // same byte offsets as s, so an index in one cuts the other
	for n, markers := range [][]string{amMarkers, pmMarkers} {
		for _, m := range markers {
			if i := strings.Index(up, m); i >= 0 {
				if half != 0 {
					return w, ErrUnreadable
				}
				half, evening = n+1, slices.Contains(eveningMarkers, m)
				s = s[:i] + " " + s[i+len(m):]
				up = up[:i] + " " + up[i+len(m):]
				break
			}
		}
	}
	cjkMonthDay := strings.Contains(s, "月")
	s = unitReplacer.Replace(s)
	fields := strings.Fields(s)
	if len(fields) == 0 || len(fields) > 2 {
		return w, ErrUnreadable
	}
	date, clock := fields[0], "" // "2024/5/18下午6:00": the marker became the separator
	if len(fields) == 2 {
		clock = fields[1]
	}
	if opt.ExcelEpoch != "" && clock == "" && half == 0 {
		if w, ok := excelSerial(date, opt.ExcelEpoch); ok {
			return w, nil
		}
	}
	var err error
	if w, clock, err = readDate(date, clock, roc, cjkMonthDay, opt); err != nil {
		return w, err
	}
	if weekday >= 0 && time.Date(w.y, time.Month(w.mo), w.d, 0, 0, 0, 0, time.UTC).Weekday() != weekday {
		return w, ErrUnreadable // the weekday is another day's: the date is misread or mistyped
	}
	if clock == "" {
		if half != 0 {
			return w, ErrUnreadable
		}
		return w, nil
	}
	if w.h, w.mi, w.s, err = readClock(clock, half); err != nil {
		return w, err
	}
	if evening && w.h == 12 {
		return w, ErrUnreadable
	}
	return w, nil
}

// weekdayPrefixes and weekdayDays spell a Chinese weekday: 星期日,
// 周日, 週六, 礼拜天. A mainland export writes it after the date or the
// time (2026/12/6 14:30 星期日, 2026年12月6日 14:30 周日), which a review
// found unreadable.
var weekdayPrefixes = []string{"星期", "礼拜", "禮拜", "周", "週"}

var weekdayDays = map[rune]time.Weekday{'日': time.Sunday, '天': time.Sunday, '一': time.Monday, '二': time.Tuesday,
	'三': time.Wednesday, '四': time.Thursday, '五': time.Friday, '六': time.Saturday}

// cutWeekday removes a Chinese weekday (and brackets around it) from s and
// returns it, or -1 when s names none. parseClinic checks it against the
// date read: a weekday of another day says the date is wrong.
func cutWeekday(s string) (string, time.Weekday) {
	for _, pre := range weekdayPrefixes {
		i := strings.Index(s, pre)
		if i < 0 {
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i+len(pre):])
		wd, ok := weekdayDays[r]
		if !ok {
			continue
		}
		start, end := i, i+len(pre)+size
		if start > 0 && s[start-1] == '(' && end < len(s) && s[end] == ')' {
			start, end = start-1, end+1
		}
		return strings.TrimSpace(s[:start] + " " + s[end:]), wd
	}
	return s, -1
}

// readDate reads the date field; compact HIS timestamps also carry the
// time, which is returned as clock when no separate clock was given.
func readDate(date, clock string, roc, cjkMonthDay bool, opt Options) (wall, string, error) {
	var w wall
	parts := strings.FieldsFunc(date, func(r rune) bool { return r == '/' || r == '.' || r == '-' })
	for _, p := range parts {
		if p == "" || len(p) > 14 || strings.Trim(p, "0123456789") != "" {
			return w, clock, ErrUnreadable
		}
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	year := func(s string, rocYear bool) (int, error) {
		y := num(s)
		switch {
		case rocYear:
			if y < 1 || y > 200 {
				return 0, ErrUnreadable
			}
			return y + 1911, nil
		case len(s) == 2:
			return 2000 + y, nil // appointments, not birthdates: 24 is 2024
		case len(s) == 4:
			return y, nil
		}
		return 0, ErrUnreadable
	}
	var y, m, d int
	var err error
	switch len(parts) {
	case 1:
		c := parts[0]
		switch len(c) {
		case 6:
			if !opt.ROC && !roc {
				return w, clock, ErrUnreadable // YYMMDD or ROC YYMMDD: only a setting can say
			}
			y, err = year(c[:2], true)
			m, d = num(c[2:4]), num(c[4:6])
		case 7, 13:
			y, err = year(c[:3], true)
			m, d = num(c[3:5]), num(c[5:7])
			if len(c) == 13 {
				if clock != "" {
					return w, clock, ErrUnreadable
				}
				clock = c[7:9] + ":" + c[9:11] + ":" + c[11:13]
			}
		case 8, 14:
			if roc {
				return w, clock, ErrUnreadable
			}
			y, m, d = num(c[:4]), num(c[4:6]), num(c[6:8])
			if len(c) == 14 {
				if clock != "" {
					return w, clock, ErrUnreadable
				}
				clock = c[8:10] + ":" + c[10:12] + ":" + c[12:14]
			}
		default:
			return w, clock, ErrUnreadable
		}
	case 2: // month and day, no year
		a, b := num(parts[0]), num(parts[1])
		switch {
		case len(parts[0]) > 2 || len(parts[1]) > 2:
			return w, clock, ErrUnreadable
		case cjkMonthDay || opt.DateOrder == OrderMDY || opt.DateOrder == OrderYMD:
			m, d = a, b
		case opt.DateOrder == OrderDMY:
			m, d = b, a
		default:
			return w, clock, ErrDateOrder
		}
		if y, err = yearFor(m, d, opt); err != nil {
			return w, clock, err
		}
	case 3:
		p0, p1, p2 := parts[0], parts[1], parts[2]
		if len(p1) > 2 {
			return w, clock, ErrUnreadable
		}
		switch {
		case len(p0) == 4 && !roc:
			y, m, d = num(p0), num(p1), num(p2)
			if len(p2) > 2 {
				return w, clock, ErrUnreadable
			}
		case len(p0) == 3 || roc && len(p0) <= 3:
			y, err = year(p0, true)
			m, d = num(p1), num(p2)
			if len(p2) > 2 {
				return w, clock, ErrUnreadable
			}
		case len(p0) > 2:
			return w, clock, ErrUnreadable
		case len(p2) == 4 || len(p2) == 2 && !opt.ROC:
			switch opt.DateOrder {
			case OrderMDY:
				m, d = num(p0), num(p1)
			case OrderDMY:
				d, m = num(p0), num(p1)
			case OrderYMD:
				if len(p2) == 4 {
					return w, clock, ErrUnreadable
				}
				y, err = year(p0, false)
				m, d = num(p1), num(p2)
			default:
				return w, clock, ErrDateOrder
			}
			if opt.DateOrder != OrderYMD {
				y, err = year(p2, false)
			}
		case len(p2) <= 2 && opt.ROC: // 77/11/28
			y, err = year(p0, true)
			m, d = num(p1), num(p2)
		default:
			return w, clock, ErrUnreadable
		}
	default:
		return w, clock, ErrUnreadable
	}
	if err != nil {
		return w, clock, err
	}
	if m < 1 || m > 12 || d < 1 || d > daysIn(y, m) || y < 1900 || y > 2200 {
		return w, clock, ErrUnreadable
	}
	w.y, w.mo, w.d = y, m, d
	return w, clock, nil
}

// yearFor completes a date printed without its year (5月27日). A
// configured input.default_year wins. Otherwise, when Options.Today is set,
// the date is read as its latest occurrence on or before Today — and only
// if that lies within Options.YearWindowDays of it: the window is the
// platforms' upload window (the longest max_event_age_days of the enabled
// destinations, under a year), within which a month and day occur once, so
// the year is fixed by the fact that the conversion can be sent at all. A
// date outside the window in every year it could have is ErrYearlessTooOld
// (or ErrYearlessFuture when this year's is still to come): the row is
// excluded as too old, whatever the settings. Without a window it is
// ErrNoYear: the row is excluded and the summary names input.default_year.
// Never a year that puts the date after Today.
func yearFor(m, d int, opt Options) (int, error) {
	if opt.DefaultYear != 0 {
		return opt.DefaultYear, nil
	}
	if opt.Today.IsZero() || opt.YearWindowDays <= 0 || m < 1 || m > 12 || d < 1 {
		return 0, ErrNoYear
	}
	if d > daysIn(2024, m) { // no year has it: not a date at all
		return 0, ErrUnreadable
	}
	ty, tm, td := opt.Today.Date()
	today := time.Date(ty, tm, td, 0, 0, 0, 0, time.UTC)
	future := false
	for y := ty; y >= ty-1; y-- {
		if d > daysIn(y, m) {
			continue // 29 February in a common year
		}
		at := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		if at.After(today) {
			future = true
			continue
		}
		if today.Sub(at) > time.Duration(min(opt.YearWindowDays, 365))*24*time.Hour {
			// Outside the window in every year it could have: no
			// setting would make it a conversion that can be sent.
			if future {
				return 0, ErrYearlessFuture
			}
			return 0, ErrYearlessTooOld
		}
		return y, nil
	}
	if future { // 29 February: this year's to come, last year had none
		return 0, ErrYearlessFuture
	}
	return 0, ErrYearlessTooOld // 29 February, and no leap year within the window
}

// readClock reads h[:mm[:ss]] with an optional half-day marker.
func readClock(clock string, half int) (h, mi, s int, err error) {
	clock = strings.TrimSuffix(clock, ":") // "9点" became "9:"
	parts := strings.Split(clock, ":")
	if len(parts) > 3 {
		return 0, 0, 0, ErrUnreadable
	}
	var v [3]int
	for i, p := range parts {
		if p == "" || len(p) > 2 || strings.Trim(p, "0123456789") != "" {
			return 0, 0, 0, ErrUnreadable
		}
		v[i], _ = strconv.Atoi(p)
	}
	h, mi, s = v[0], v[1], v[2]
	if h > 23 || mi > 59 || s > 59 {
		return 0, 0, 0, ErrUnreadable
	}
	switch half {
	case 1: // AM: 12 is midnight; 13 and later is a contradiction
		if h > 12 {
			return 0, 0, 0, ErrUnreadable
		}
		if h == 12 {
			h = 0
		}
	case 2: // PM: 下午 13:00 is written too, and means 13:00
		if h == 0 {
			return 0, 0, 0, ErrUnreadable
		}
		if h < 12 {
			h += 12
		}
	}
	return h, mi, s, nil
}

// excelSerial reads Excel's day count: 45414 is 2024-05-02 in the 1900
// system (counted from 1899-12-30, which absorbs Lotus's phantom
// 1900-02-29), and 1462 days earlier in the Mac 1904 system. A fraction is
// the time of day. Only five-digit serials (1927–2173) are taken.
func excelSerial(s, epoch string) (wall, bool) {
	intPart, frac, _ := strings.Cut(s, ".")
	if len(intPart) != 5 || strings.Trim(intPart, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" {
		return wall{}, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return wall{}, false
	}
	base := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	if epoch == "1904" {
		base = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	days := math.Floor(v)
	secs := math.Round((v - days) * 86400)
	t := base.AddDate(0, 0, int(days)).Add(time.Duration(secs) * time.Second)
	return wall{t.Year(), int(t.Month()), t.Day(), t.Hour(), t.Minute(), t.Second()}, true
}

// daysIn is the number of days in month m (1–12) of year y in the
// proleptic Gregorian calendar package time counts in. A table and the leap
// rule, not time.Date(y, m+1, 0, …).Day(), which normalises a date and
// reads it back: every appointment and consent time the fast path reads
// checks its day here (issue 29). TestDaysInIsTimeDate holds the two equal.
func daysIn(y, m int) int {
	if m == 2 && y%4 == 0 && (y%100 != 0 || y%400 == 0) {
		return 29
	}
	return int(monthDays[m-1])
}

var monthDays = [12]uint8{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// asciiUpper upper-cases ASCII letters only, keeping every byte offset.
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
