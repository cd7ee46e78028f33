package channels

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"hash"
	"math"
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
// and amounts hashgate prints are made inexact, in the way national
// statistics offices protect the tables their users build themselves —
// the cell key method of the Australian Bureau of Statistics' TableBuilder
// (Thompson, Broadfoot and Elazar 2013) and of the UK's Census 2021 (ONS),
// on a fixed calendar grid:
//
//  1. A fixed grid. Every span a report prints (the window, each period)
//     is cut into cells of a fixed calendar grid in the clinic's time zone:
//     whole calendar months, then whole ISO weeks, then days (pieces). A
//     figure is the sum of its pieces' perturbed values. Whatever windows
//     and periods a reader collects, what the reports hold is a function of
//     the perturbed values of grid cells — at most three per day (its day,
//     its ISO week, its month) — so no number of overlapping or rolling
//     windows gives a reader more views of a day than that, and
//     subtracting one report from another gives perturbed grid cells, never
//     a true count.
//  2. Record keys and cell keys. Each booking gets a record key: a keyed
//     hash (HMAC-SHA-256 under the installation's release key) of its order
//     id. A cell's key is the sum of its records' keys, so the same set of
//     bookings has the same cell key in every report, whatever the
//     channel's name, the grouping, the window or the config that led to
//     it; any other set has an unrelated one.
//  3. Perturbation. A cell's noise is drawn from its cell key and its count
//     (and, for an amount, the amount): the same cell with the same
//     contents always prints the same figure (re-running a report gives it
//     back, and averaging reruns learns nothing), while a cell that differs
//     by one booking gets an unrelated draw. Counts move by −1, 0 or +1
//     (zero stays zero: it describes nobody; no count goes below zero);
//     amounts by 5–15% of the largest single contribution to them, so the
//     one patient who dominates an amount is never given back exactly.
//  4. The release key is 32 random bytes generated on first use in
//     hashgate's state directory (mode 0600). Without it nobody can tell
//     which draw a cell got; with it lost, the next report draws anew.
//
// Then, on the perturbed figures: a count from 1 to min_cell−1 prints as
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

// piece is one cell of the calendar grid: a month, an ISO week or a day.
type piece = span

// gridPieces cuts [from, to] into the grid's cells, coarsest first: a
// calendar month wholly inside the span is one piece, else an ISO week
// (Monday to Sunday) wholly inside it, else a day. Days are calendar dates
// in the clinic's zone (dayNumber), so the grid is the same in every report
// of one installation.
func gridPieces(from, to int32) []piece {
	var out []piece
	for d := from; d <= to; {
		t := dayTime(d)
		if t.Day() == 1 {
			end := dayNumber(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)) - 1
			if end <= to {
				out = append(out, piece{d, end})
				d = end + 1
				continue
			}
		}
		if t.Weekday() == time.Monday && d+6 <= to {
			out = append(out, piece{d, d + 6})
			d += 7
			continue
		}
		out = append(out, piece{d, d})
		d++
	}
	return out
}

// releaser perturbs a report's cells under one release key; nil means
// exact figures.
type releaser struct {
	key []byte
	// spread, in tests only, replaces the count noise by a draw from 1 to
	// spread (and leaves amounts unrounded): with a spread far above any
	// count, two draws cancel only when the release rule makes them the
	// same draw, so an attack's answer that equals the truth is a
	// structural leak, never luck.
	spread uint64
	// h is the keyed hash, made once and Reset per draw: hmac.New hashes
	// the key's pads again on every call, which made record keys a tenth
	// of a report's time (go test -cpuprofile). mu makes the releaser safe
	// for the concurrent batches of the upload summary's coverage.
	mu  sync.Mutex
	h   hash.Hash
	sum []byte
}

// mac returns 64 bits of HMAC-SHA-256(key, parts…).
func (r *releaser) mac(parts ...[]byte) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.h == nil {
		r.h = hmac.New(sha256.New, r.key)
	} else {
		r.h.Reset()
	}
	for _, p := range parts {
		r.h.Write(p)
	}
	r.sum = r.h.Sum(r.sum[:0])
	return binary.BigEndian.Uint64(r.sum)
}

// recordKey is a booking's (or patient's) record key: a keyed hash of its
// id. Only sums of record keys leave this file.
func (r *releaser) recordKey(kind byte, id string) uint64 {
	if r == nil {
		return 0
	}
	return r.mac([]byte{kind}, []byte(id))
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
// no count goes below zero. A figure of at most three grid cells (a
// month, a quarter, a week, a day) is within 3 of the truth: 10% of 30.
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

// perturbAmount returns amount v of a cell perturbed by 5% to 15% of its
// largest single contribution top, up or down, drawn from the cell key
// and the amount; never below zero. A cell with one contribution (v equal
// to top) moves by 5–15% of itself: never nothing, so a difference of
// reports never gives one patient's amount exactly.
func (r *releaser) perturbAmount(v, top float64, ck uint64) float64 {
	if r == nil || v <= 0 || top <= 0 {
		return v
	}
	u := r.mac([]byte("amount"), u64(ck), u64(math.Float64bits(v)), u64(math.Float64bits(top)))
	share := 0.05 + 0.1*float64(u>>11&(1<<52-1))/float64(1<<52)
	if u&1 == 1 {
		share = -share
	}
	if r.spread > 0 {
		// Tests with widened noise: unrounded, so that two draws never
		// land on the same whole unit by luck (a rounded 5–15% of a
		// 2,000 visit has ~200 values: the attack sweeps met such a
		// coincidence and called it a leak).
		return max(v+share*top, 0)
	}
	return math.Round(max(v+share*top, 0)) // whole units: the noise makes any finer digit meaningless
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
var releasedCounts = []struct {
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

// release returns what the release rule prints of one grid cell of one
// line: its counts and amounts perturbed, the platforms' figures (spend,
// clicks, claims: they describe no patient) as they are. With r nil, the
// cell as it is.
func (r *releaser) release(c *cell) cell {
	out := *c
	if r == nil {
		return out
	}
	for _, rc := range releasedCounts {
		*rc.field(&out) = r.perturbCount(*rc.field(c), c.cellKey(rc.m))
	}
	amt := func(a, top amount, ck uint64) amount {
		return toAmount(r.perturbAmount(a.float(), top.float(), ck))
	}
	out.revenue = amt(c.revenue, c.top, c.cellKey(mVisits))
	out.newRevenue = amt(c.newRevenue, c.newTop, c.cellKey(mNewVisits))
	out.ltvRevenue = amt(c.ltvRevenue, c.ltvTop, c.cellKey(mLTVPatients))
	return out
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

// dominance says which amounts of a printed cell one contributor
// dominates.
type dominance struct{ revenue, newRevenue, returningRevenue, ltv bool }

// dominated applies channels.dominance_share to a printed figure's true
// sums c (line r, column c of the report): an amount is dominated when
// its largest single contributor is more than share of it. With
// input.columns.patient_key the contributor is a patient — the sum of
// their visits in that line and column (patientTop, and for returning
// revenue patientReturningTop: the same without their first visit) — and
// a visit without a patient key counts alone (c.top); without the column,
// one visit. New revenue is one visit per patient (their first) and LTV
// one new patient's revenue already. A dominated amount is hidden with
// everything derived from it (ROAS, LTV): printed, even perturbed, it
// would say roughly what that one patient paid.
func dominated(s *cell, share float64, patientTop, patientReturningTop [][]amount, r, c int) dominance {
	dom := func(a, top amount) bool { return a > 0 && top.float() > share*a.float() }
	top, retTop := s.top, s.top
	if r < len(patientTop) && c < len(patientTop[r]) {
		top = max(top, patientTop[r][c])
		retTop = max(retTop, patientReturningTop[r][c])
	}
	return dominance{
		revenue:          dom(s.revenue, top),
		newRevenue:       dom(s.newRevenue, s.newTop),
		returningRevenue: dom(s.revenue-s.newRevenue, retTop),
		ltv:              dom(s.ltvRevenue, s.ltvTop),
	}
}

// wordBookings is the bookings of unmatched source word i (folded) from
// from to to: exact, or under the release rule the sum of its grid cells,
// each perturbed like any count. A word's bookings are not summed per
// booking key, so its cell key is a keyed hash of the word, the cell and
// its count: the same word, cell and count draw the same noise in every
// report.
func (t *tally) wordBookings(i int32, word string, from, to int32) float64 {
	sum := func(a, b int32) float64 {
		n := 0.0
		for d, c := range t.wordDays[i] {
			if d >= a && d <= b {
				n += c
			}
		}
		return n
	}
	if t.rel == nil {
		return sum(from, to)
	}
	total := 0.0
	for _, p := range gridPieces(from, to) {
		n := sum(p.from, p.to)
		ck := t.rel.mac([]byte("word"), []byte(word), u64(uint64(p.from)), u64(uint64(p.to)))
		total += t.rel.perturbCount(n, ck)
	}
	return total
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

// Count is count n of the cell with cell key ck, perturbed: −1, 0 or +1,
// zero kept, never below zero; the same cell always draws the same.
func (r *Releaser) Count(n int, ck uint64) int {
	return int(r.r.perturbCount(float64(n), ck))
}
