package channels

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"
	"sort"
	"sync"
	"time"
)

// The release rule: what a report that may leave the clinic prints.
//
// Suppression inside one report (suppress.go) cannot protect a small count
// from a reader holding several reports: August–November minus
// September–November is August; yesterday's quarter-to-date subtracted
// from today's is today; LINE+Referral merged minus LINE is Referral. Every
// one of those differences is exact when the figures are. So the counts
// and amounts hashgate prints are made inexact with the cell key method
// of national statistics offices — the Australian Bureau of Statistics'
// TableBuilder (Thompson, Broadfoot and Elazar 2013), the UK's Census 2021
// (ONS) — applied to counts, as differential privacy's mechanisms for
// counts observed continually do (Dwork, Naor, Pitassi and Rothblum 2010;
// Chan, Shi and Song 2011), on running totals rather than on the windows
// themselves; amounts are perturbed per contribution and rounded on a
// fixed calendar grid (amounts.go):
//
//  1. Running totals. For each line of the report (a channel, Paid,
//     Total, an unmatched source word) and each count, and for
//     each calendar year Y in the clinic's time zone, the running total
//     P(d) is the figure over 1 January of Y to day d. Each running total
//     is released once, noisily (3 and 4 below), as z(d), and the released
//     chain is made non-decreasing: z'(d) = max(z(d), z'(d−1)), which
//     keeps z'(d) within the noise of P(d) because P never decreases. A
//     window or period from a to b within one year prints z'(b) − z'(a−1)
//     (z' before 1 January is 0, exactly); across years, the same per year.
//  2. Record keys and cell keys. Each booking gets a record key: a keyed
//     hash (HMAC-SHA-256 under the installation's release key) of its order
//     id; each patient one of their patient key. A running total's cell
//     key is the sum of its records' keys, so the same set of bookings has
//     the same cell key in every report, whatever the channel's name, the
//     grouping, the window or the config that led to it; any other set has
//     an unrelated one. A day that adds no record to a line keeps its
//     running total, its cell key and so its draw.
//  3. Perturbation. A running total's noise is drawn from its cell key
//     and its count: the same records always print the same figure, in
//     every report, so a reader holding a hundred rolling windows holds
//     nothing that the running totals — one draw per line and day — do
//     not, and averaging reruns or overlapping windows learns nothing.
//     Counts move by −1, 0 or +1 (zero stays zero: it describes nobody; no
//     count goes below zero). Amounts — revenue, new revenue, LTV's
//     revenue and the lead days booking_lead_days averages — are
//     perturbed before they are summed (5 below).
//  4. The release key is 32 random bytes generated on first use in
//     hashgate's state directory (mode 0600). Without it nobody can tell
//     which draw a running total got; with it lost, the next report draws
//     anew.
//  5. Amounts (revenue, new revenue, LTV's revenue, lead days) are
//     perturbed per contribution, before they are summed: amounts.go.
//
// Why running totals and not the calendar grid (month, ISO week and day
// cells, each perturbed) hashgate used before. First, closeness: a window
// cut at any day was a sum of up to 54 grid cells, each ±1; a difference of
// two running totals is within 2 of the truth (3 across one new year), so
// every count of 30 or more is within 10% over any window. Second, bounds:
// the grid's noise is bounded and its cells nest (a month holds its weeks
// and days), so a month that drew −1 beside parts that each drew +1 leaves
// one solution — every part pinned, a part printed 5 known to be 4
// (attacktest.Bounds finds it; Gauss-Jordan cannot). A line of running
// totals has no such pin, and the proof is short. Say the reader knows
// every z'(d) of a line. The truths P consistent with them are exactly
// the non-decreasing non-negative integer paths with P(d) in
// [z'(d)−1, z'(d)+1], and P(d) ≥ 1 where z'(d) ≥ 1 (P = 0 releases 0):
// given such a path, draw z(d) = z'(d) where z' rises and z(d) = P(d)−1
// where it does not (0 where P is 0), and the rule releases z'. Write
// lo(d), hi(d) for those ranges' ends: both are non-decreasing in d, and
// hi(d) − lo(d) ≥ 1. The largest truth of a window [a, b] is
// hi(b) − lo(a−1) (the path lo up to a−1, hi from a on), the smallest
// max(0, lo(b) − hi(a−1)) (hi up to a−1, then max(lo, hi(a−1))). Their gap
// is at least 1, and at least (hi(b)−lo(b)) + (hi(a−1)−lo(a−1)) ≥ 2 when
// the smallest is above 0: no window of a line is ever pinned, and one
// that cannot be 0 has three values or more — for a reader who takes the
// paths above. One who also knows that z' rises only on a day with a
// record (a day without one keeps its draw) keeps only the paths that
// rise wherever z' does: still none pinned (P rises with z', so the path
// lo up to a−1 then hi, and the path hi up to a−1 then rising by the
// rises in [a, b], are both consistent, and they differ), but a window
// that cannot be 0 may keep two values only — z' = 1, 2 leaves day 2 at 1
// or 2 (TestLineWindowsUnderSearch exhausts chains of five days). A
// reader who sees fewer
// running totals (a window printed "<5", a figure hidden) only has more
// paths. What remains are relations across lines — a total and its
// channels, a grouping and its members, consented_only on and off — where
// a pin needs every member at one end of its range and the total at the
// other; README's "Small cells" states how often the bounds reader finds
// one (TestBoundsAttacksOnRandomTables), and how often a reader who
// searches does (TestSearchAcrossLines: far more often). Printing Paid and
// Total as their channels' sums would leave that reader nothing, at the
// cost of the Total's closeness (summedlines.go: measured, not in force).
//
// Then, on the window's figures: a count from 1 to min_cell−1 prints as
// "<min_cell" and the suppression of suppress.go hides what would let it be
// worked out within the report; an amount where one patient (with
// input.columns.patient_key, the sum of their visits in the figure's line
// and span; without it, one visit; for LTV, one new patient's lifetime
// value) is more than channels.dominance_share of it is hidden with every
// figure derived from it. Neither rule changes the noise, so changing min_cell,
// dominance_share or the grouping never takes a reader closer than the
// noise to a true count.
//
// --exact (or min_cell: 1) skips all of it: exact figures for the clinic's
// own eyes, marked "not for sharing" in every output.

// releaser perturbs a report's running totals under one release key; nil
// means exact figures.
type releaser struct {
	key []byte
	// spread, in tests only, replaces the count noise by a draw from 1 to
	// spread (and leaves amounts unrounded): with a spread far above any
	// count, two draws cancel only when the release rule makes them the
	// same draw, so an attack's answer that equals the truth is a
	// structural leak, never luck.
	spread uint64
	// amounts is how amounts are perturbed; the zero value is the release
	// rule's. The others are the candidates issue 26's fee attacks
	// measured (TestFeeAttacks), kept so that the figures README states
	// for them can be played again.
	amounts amountRule
	// summed, in tests only, prints Paid and Total as their channels'
	// released counts added up (summedlines.go): the candidate that pins
	// nothing across lines, kept so that its cost can be measured again
	// (TestSummedTotalsCost).
	summed bool
	// h is the keyed hash, made once and Reset per draw: hmac.New hashes
	// the key's pads again on every call, which made record keys a tenth
	// of a report's time (go test -cpuprofile). mu makes the releaser safe
	// for the concurrent batches of the upload summary's coverage.
	mu  sync.Mutex
	h   hash.Hash
	sum []byte
	// buf holds recordKey's message (kind, id), reused under mu: the
	// variadic slices of mac escaped, two allocations per record key, and
	// an upload takes one for every event it sends.
	buf []byte
}

// mac returns 64 bits of HMAC-SHA-256(key, parts…).
func (r *releaser) mac(parts ...[]byte) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reset()
	for _, p := range parts {
		r.h.Write(p)
	}
	return r.sum64()
}

// reset readies h for a message; r.mu is held.
func (r *releaser) reset() {
	if r.h == nil {
		r.h = hmac.New(sha256.New, r.key)
	} else {
		r.h.Reset()
	}
}

// sum64 is the first 64 bits of h's sum; r.mu is held.
func (r *releaser) sum64() uint64 {
	r.sum = r.h.Sum(r.sum[:0])
	return binary.BigEndian.Uint64(r.sum)
}

// recordKey is a booking's (or patient's) record key: a keyed hash of its
// id. Beside sums of them, only the upload's conversions carry one
// (Releaser.RecordKeyer), inside the process, for the coverage's sums.
func (r *releaser) recordKey(kind byte, id string) uint64 {
	if r == nil {
		return 0
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reset()
	r.buf = append(append(r.buf[:0], kind), id...)
	r.h.Write(r.buf) // the bytes mac(kind, id) hashed: HMAC reads one stream
	return r.sum64()
}

// Kinds of record key.
const (
	recordBooking byte = 'b'
	recordPatient byte = 'p'
)

func u64(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }

// countNoise is the perturbation of a count n with cell key ck: −1 or +1
// with probability 1/4 each, else 0 (variance 1/2, about the share of
// cells the ONS perturbed in Census 2021's tables); zero stays zero, and
// no count goes below zero. A window is the difference of two running
// totals, so within 2 of the truth (3 across a new year): 10% of 30.
func (r *releaser) countNoise(n float64, ck uint64) float64 {
	if r == nil || n <= 0 {
		return 0
	}
	u := r.mac([]byte("count"), u64(ck), u64(math.Float64bits(n)))
	if r.spread > 0 {
		return float64(1 + u%r.spread)
	}
	noise := [4]float64{-1, 0, 0, 1}[u%4]
	return max(noise, -n)
}

// perturbCount returns n perturbed.
func (r *releaser) perturbCount(n float64, ck uint64) float64 {
	return n + r.countNoise(n, ck)
}

// cellKey is measure m's cell key in c: the sum of its records' keys, or —
// for a measure counted without record keys (new patients, the LTV
// cohort) — the cell's bookings key, tagged with the measure so that two
// measures of one cell draw apart.
func (c *cell) cellKey(m measure) uint64 {
	if k := c.keys[m]; k != 0 {
		return k
	}
	return c.keys[mBookings] ^ (uint64(m)+1)*0x9e3779b97f4a7c15
}

// releasedCounts are the counts the release rule perturbs, each read and
// written through its cell field. Returning visits are printed as visits
// minus new visits, so visits = new + returning holds as printed.
var releasedCounts = [numReleasedCounts]struct {
	m     measure
	field func(*cell) *float64
}{
	{mBookings, func(c *cell) *float64 { return &c.bookings }},
	{mVisits, func(c *cell) *float64 { return &c.visits }},
	{mNoShows, func(c *cell) *float64 { return &c.noShows }},
	{mCancellations, func(c *cell) *float64 { return &c.cancellations }},
	{mPending, func(c *cell) *float64 { return &c.pending }},
	{mUnclassified, func(c *cell) *float64 { return &c.unclassified }},
	{mNewVisits, func(c *cell) *float64 { return &c.newVisits }},
	{mLTVPatients, func(c *cell) *float64 { return &c.ltvPatients }},
	{mBookingsMade, func(c *cell) *float64 { return &c.bookingsMade }},
}

const numReleasedCounts = 9

// yearStart is the day number of 1 January of day d's year: running
// totals start there (days are calendar dates in the clinic's zone).
func yearStart(d int32) int32 {
	return dayNumber(time.Date(dayTime(d).Year(), 1, 1, 0, 0, 0, 0, time.UTC))
}

// nextYear is the day number of 1 January after day d.
func nextYear(d int32) int32 {
	return dayNumber(time.Date(dayTime(d).Year()+1, 1, 1, 0, 0, 0, 0, time.UTC))
}

// releasable says whether c adds a count the release rule perturbs: a
// day that adds none keeps the running total, and its draw, of the day
// before.
func (c *cell) releasable() bool {
	for _, rc := range releasedCounts {
		if *rc.field(c) != 0 {
			return true
		}
	}
	return false
}

// released is one line's released counts, in releasedCounts' order:
// what a running total keeps (a ninth of a cell's size, so that 256
// unmatched words' chains over a year stay small).
type released [numReleasedCounts]float64

// runningTotals are one line's released running totals: at[i] is the
// released total of days[i]'s year from 1 January to days[i]. A day
// between two entries has the earlier one's (it added no record); a day
// before its year's first entry has zero, exactly.
type runningTotals struct {
	days []int32
	at   []released
}

// releaseRunning releases the running totals of lines lines over the
// years of first to last: fill adds day d's cells of each line into
// per (cleared before each call); days are the days with records, sorted.
// Each line's chain is made non-decreasing (z'(d) = max(z(d), z'(d−1))):
// a running total never decreases, so this keeps each within its noise of
// the truth, and no window prints a negative figure.
func (r *releaser) releaseRunning(days []int32, first, last int32, lines int, fill func(d int32, per []cell)) []runningTotals {
	out := make([]runningTotals, lines)
	cum := make([]cell, lines)
	prev := make([]released, lines)
	per := make([]cell, lines)
	year := int32(math.MinInt32)
	lo := sort.Search(len(days), func(i int) bool { return days[i] >= yearStart(first) })
	for _, d := range days[lo:] {
		if d > last {
			break
		}
		if y := yearStart(d); y != year {
			year = y
			clear(cum)
			clear(prev)
		}
		clear(per)
		fill(d, per)
		for l := range per {
			if !per[l].releasable() {
				continue
			}
			cum[l].add(&per[l])
			for i, rc := range releasedCounts {
				// A count the day leaves alone keeps its running total,
				// its cell key and so its draw: nothing to draw again.
				if *rc.field(&per[l]) == 0 {
					continue
				}
				z := r.perturbCount(*rc.field(&cum[l]), cum[l].cellKey(rc.m))
				prev[l][i] = max(prev[l][i], z)
			}
			out[l].days = append(out[l].days, d)
			out[l].at = append(out[l].at, prev[l])
		}
	}
	return out
}

// total is the released running total at day d: zero before its year's
// first record.
func (rt *runningTotals) total(d int32) released {
	i := sort.Search(len(rt.days), func(i int) bool { return rt.days[i] > d }) - 1
	if i < 0 || rt.days[i] < yearStart(d) {
		return released{}
	}
	return rt.at[i]
}

// window returns the released counts of days from to to: per calendar
// year it meets, the running total at the window's last day in that year
// less the one the day before its first (none on 1 January). Within one
// year that is two draws, so within 2 of the truth; each new year the
// window crosses adds one.
func (rt *runningTotals) window(from, to int32) released {
	var out released
	for a := from; a <= to; {
		end := min(to, nextYear(a)-1)
		hi, lo := rt.total(end), released{}
		if a > yearStart(a) {
			lo = rt.total(a - 1)
		}
		for i := range out {
			out[i] += hi[i] - lo[i]
		}
		a = end + 1
	}
	return out
}

// setReleased sets c's released counts to w's.
func (c *cell) setReleased(w released) {
	for i, rc := range releasedCounts {
		*rc.field(c) = w[i]
	}
}

// nest keeps the printed counts of one line and span consistent after
// perturbation: a count is never more than the count it is part of
// (measureParents: what became of a booking ≤ bookings, new visits ≤
// visits), nor new revenue more than revenue, so no rate passes 100% and
// returning visits and revenue are never negative. It reads only perturbed
// figures, so it reveals nothing the noise hides.
func (c *cell) nest() {
	c.visits = min(c.visits, c.bookings)
	c.noShows = min(c.noShows, c.bookings)
	c.cancellations = min(c.cancellations, c.bookings)
	c.pending = min(c.pending, c.bookings)
	c.unclassified = min(c.unclassified, c.bookings)
	c.newVisits = min(c.newVisits, c.visits)
	c.ltvPatients = min(c.ltvPatients, c.newVisits)
	c.newRevenue = min(c.newRevenue, c.revenue)
}

// amountMeasure is an amount of a line and span that the release rule
// prints: revenue, new and returning revenue, and the LTV cohort's
// revenue (which LTV divides by the printed cohort, so gives away).
type amountMeasure uint8

const (
	aRevenue amountMeasure = iota
	aNewRevenue
	aReturningRevenue
	aLTVRevenue
	numAmounts
)

// amountsOf are a cell's amounts and their largest single contributions:
// with input.columns.patient_key the contributor is a patient — the sum
// of their visits in that line and column (patientTop, and for returning
// revenue patientReturningTop: the same without their first visit) — and
// a visit without a patient key counts alone (c.top); without the column,
// one visit. New revenue is one visit per patient (their first) and LTV
// one new patient's revenue already.
func amountsOf(s *cell, patientTop, patientReturningTop [][]amount, r, c int) (sum, top [numAmounts]amount) {
	top[aRevenue], top[aReturningRevenue] = s.top, s.top
	if r < len(patientTop) && c < len(patientTop[r]) {
		top[aRevenue] = max(top[aRevenue], patientTop[r][c])
		top[aReturningRevenue] = max(top[aReturningRevenue], patientReturningTop[r][c])
	}
	top[aNewRevenue], top[aLTVRevenue] = s.newTop, s.ltvTop
	sum = [numAmounts]amount{s.revenue, s.newRevenue, s.revenue - s.newRevenue, s.ltvRevenue}
	return sum, top
}

// dominated applies channels.dominance_share to an amount's true sum and
// its largest single contribution: the amount is dominated when that
// contributor is more than share of it. A dominated amount is hidden with
// everything derived from it (ROAS, LTV): printed, even perturbed, it
// would say roughly what that one patient paid.
func dominated(sum, top amount, share float64) bool {
	return sum > 0 && top.float() > share*sum.float()
}

// wordBookings is the bookings of unmatched source word i from from to
// to: exact, or under the release rule the difference of its released
// running totals (wordTotals, made in report), like any count. A word's
// running totals have the cell keys of its bookings: when a word's
// bookings are all of Unattributed's, both print the same figures.
func (t *tally) wordBookings(i int32, from, to int32) float64 {
	if t.rel != nil {
		return t.wordTotals[i].window(from, to)[0] // bookings, releasedCounts' first
	}
	n := 0.0
	for d, c := range t.wordDays[i] {
		if d >= from && d <= to {
			n += c
		}
	}
	return n
}

// Releaser is the release rule's perturbation for figures outside the
// channel report that follow the same rule: the upload summary's
// identifier coverage (package diagnostics). Its record keys and draws are
// the channel report's, under the same installation key.
type Releaser struct{ r releaser }

// NewReleaser returns the release rule under key (LoadKey).
func NewReleaser(key []byte) *Releaser { return &Releaser{releaser{key: key}} }

// RecordKey is the record key of one record (an event id): sum them for a
// cell key.
func (r *Releaser) RecordKey(id string) uint64 { return r.r.recordKey(recordBooking, id) }

// RecordKeyer returns a function giving RecordKey's keys with a keyed
// hash of its own, for one goroutine: the pipeline's workers make every
// row's record key beside the rest of its work, where RecordKey's shared
// hash would have them queue on its lock.
func (r *Releaser) RecordKeyer() func(id string) uint64 {
	own := &releaser{key: r.r.key, spread: r.r.spread, amounts: r.r.amounts}
	return func(id string) uint64 { return own.recordKey(recordBooking, id) }
}

// Count is count n of the cell with cell key ck, perturbed: −1, 0 or +1,
// zero kept, never below zero; the same cell always draws the same.
func (r *Releaser) Count(n int, ck uint64) int {
	return int(r.r.perturbCount(float64(n), ck))
}
