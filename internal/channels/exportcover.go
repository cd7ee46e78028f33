package channels

import (
	"fmt"
	"math"
	"time"
)

// The days the export covers. A spend download declares its range; an
// export does not, so hashgate takes it to cover the days from its first
// to its last dated row — any row with a readable appointment time,
// counted or not (outside the window, without consent, a reschedule's
// earlier row), whatever the window. A day of a span outside that range
// and before --as-of has no appointment data: not zero bookings, but no
// knowledge of them. A review found a window of August to November over an
// export starting 20 October print August's and September's spend beside
// 0 new patients, and a headline cost per new patient of 19,994 — all
// four months' spend over seven weeks' patients — against 7,204 over the
// days the export holds. So, as for spend days no download covers
// (spenddata.go): a span none of whose days the export covers prints its
// clinic figures as not computed (NoExportData), and a span it covers in
// part lists every figure that sets the downloads' figures against the
// clinic's (SpendAgainstClinic) as incomplete. Days on or after --as-of
// are never missing: their appointments have not happened yet (pending),
// and an export made today cannot hold next week's.
//
// A day the clinic was closed at either end of an export that declares no
// range looks the same as a day it does not cover; an export that
// declares one above its header covers it (declaredcover.go), and an
// export reaching back channels.history_days before the window, as new
// patients need, covers its start anyway.

// noteDated widens the export's covered range to a dated row's time.
func (t *tally) noteDated(at int64) {
	if !t.dated || at < t.firstAt {
		t.firstAt = at
	}
	if !t.dated || at > t.lastAt {
		t.lastAt = at
	}
	t.dated = true
}

// exportCover is the days the export covers, in the clinic's time zone:
// the range it declares, when no dated row lies outside it, else its
// first to its last dated day; ok is false when it declares none and no
// row had a readable appointment time.
func (t *tally) exportCover() (s span, ok bool) {
	obs, dated := t.observedCover()
	if t.declaredOK && (!dated || obs.from >= t.declared.from && obs.to <= t.declared.to) {
		return t.declared, true
	}
	return obs, dated
}

// observedCover is the export's first and last dated day.
func (t *tally) observedCover() (s span, ok bool) {
	if !t.dated {
		return span{}, false
	}
	loc := t.location()
	return span{dayNumber(time.Unix(t.firstAt, 0).In(loc)), dayNumber(time.Unix(t.lastAt, 0).In(loc))}, true
}

// exportMissing counts the days of s before --as-of outside the export's
// covered range.
func (t *tally) exportMissing(s span) int32 {
	end := s.to
	if t.asOf != math.MaxInt32 {
		end = min(end, t.asOf-1)
	}
	if end < s.from {
		return 0
	}
	cov, ok := t.exportCover()
	if !ok {
		return end - s.from + 1
	}
	n := int32(0)
	if s.from < cov.from {
		n += min(end, cov.from-1) - s.from + 1
	}
	if lo := max(s.from, cov.to+1); lo <= end {
		n += end - lo + 1
	}
	return n
}

// warnCoverage names the days of the window the export does not cover.
func (t *tally) warnCoverage(from, to int32) {
	date := func(d int32) string { return dayTime(d).Format(time.DateOnly) }
	cov, ok := t.exportCover()
	if t.declaredOK && cov != t.declared {
		t.warnings = append(t.warnings, fmt.Sprintf("the export declares %s to %s above its header, but has rows outside that range: the range is taken to be of something else, and the export to cover its first to its last dated row",
			date(t.declared.from), date(t.declared.to)))
	}
	w := span{from, to}
	n := t.exportMissing(w)
	if n == 0 {
		return
	}
	const after = "no appointment data, not zero: a span none of whose days the export covers prints its clinic figures as not computed (no data), and every cost, booking rate and ROAS over a span it covers in part is over part of it (listed as incomplete, †)"
	if !ok {
		t.warnings = append(t.warnings, "the export holds no dated appointment: the window has "+after)
		return
	}
	last := to // the last day that can be missing: the day before --as-of
	if t.asOf != math.MaxInt32 {
		last = min(last, t.asOf-1)
	}
	var gaps []string
	if hi := min(last, cov.from-1); from <= hi {
		gaps = append(gaps, fmt.Sprintf("the window starts %d day(s) earlier (%s to %s)", cov.from-from, date(from), date(hi)))
	}
	if lo := max(from, cov.to+1); lo <= last {
		gaps = append(gaps, fmt.Sprintf("it ends %d day(s) before the window does, --as-of counted (%s to %s)", last-lo+1, date(lo), date(last)))
	}
	whence := "its first and last dated row"
	if t.declaredOK && cov == t.declared {
		whence = "the range it declares above its header"
	}
	t.warnings = append(t.warnings, fmt.Sprintf("the export covers %s to %s (%s); %s: %d day(s) of the window have %s; export the whole window — or, if the clinic was closed on those days, name the export's range on a line above its header (%s ~ %s)",
		date(cov.from), date(cov.to), whence, joinAnd(gaps), n, after, date(min(from, cov.from)), date(max(to, cov.to))))
}

// joinAnd joins clauses with "; and ".
func joinAnd(s []string) string {
	out := ""
	for i, c := range s {
		if i > 0 {
			out += "; and "
		}
		out += c
	}
	return out
}
