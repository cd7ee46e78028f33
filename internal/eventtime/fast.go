package eventtime

import "time"

// fastISO reads the two shapes nearly every export uses —
// "2006-01-02 15:04[:05]" in the clinic's zone and RFC 3339
// "2006-01-02T15:04:05+08:00" / "…Z" — without time.Parse, which was a
// tenth of a dry-run's time (it walks the layout string on every call).
// It only runs when the default layouts are in force, answers only for
// values time.Parse would read to the same instant and offset, and
// returns ok=false for everything else so time.Parse decides;
// TestFastISOMatchesTimeParse and FuzzFastISO hold it to that.
func (p *Parser) fastISO(s string) (t time.Time, ok bool) {
	n := len(s)
	if n != 16 && n != 19 && n != 20 && n != 25 {
		return time.Time{}, false
	}
	d := func(i int) int { return int(s[i] - '0') }
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15} {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	if s[4] != '-' || s[7] != '-' || s[13] != ':' {
		return time.Time{}, false
	}
	y, mo, dd := d(0)*1000+d(1)*100+d(2)*10+d(3), d(5)*10+d(6), d(8)*10+d(9)
	h, mi, sec := d(11)*10+d(12), d(14)*10+d(15), 0
	if n >= 19 {
		if s[16] != ':' || s[17] < '0' || s[17] > '9' || s[18] < '0' || s[18] > '9' {
			return time.Time{}, false
		}
		sec = d(17)*10 + d(18)
	}
	if mo < 1 || mo > 12 || dd < 1 || dd > daysIn(y, mo) || h > 23 || mi > 59 || sec > 59 || y < 1900 || y > 2200 {
		return time.Time{}, false
	}
	switch n {
	case 16, 19: // wall time: the clinic's zone
		if s[10] != ' ' || p.opt.Location == nil {
			return time.Time{}, false
		}
		t = time.Date(y, time.Month(mo), dd, h, mi, sec, 0, p.opt.Location)
		return skipGap(t, dd, h, mi), true
	case 20: // …Z
		if s[10] != 'T' || s[19] != 'Z' {
			return time.Time{}, false
		}
		return time.Date(y, time.Month(mo), dd, h, mi, sec, 0, time.UTC), true
	}
	// …±hh:mm
	if s[10] != 'T' || s[22] != ':' || (s[19] != '+' && s[19] != '-') {
		return time.Time{}, false
	}
	for _, i := range [...]int{20, 21, 23, 24} {
		if s[i] < '0' || s[i] > '9' {
			return time.Time{}, false
		}
	}
	oh, om := d(20)*10+d(21), d(23)*10+d(24)
	if oh > 14 || om > 59 {
		return time.Time{}, false
	}
	off := (oh*60 + om) * 60
	if s[19] == '-' {
		off = -off
	}
	if p.zone == nil || p.zoneOff != off {
		p.zone, p.zoneOff = time.FixedZone("", off), off
	}
	return time.Date(y, time.Month(mo), dd, h, mi, sec, 0, p.zone), true
}
