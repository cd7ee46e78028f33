package channels

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/channels/attacktest"
)

// The bounds attack on real reports, with the real noise (−1, 0, +1) and
// real keys: a reader who knows the release rule (release.go) and reasons
// with bounds (attacktest.Bounds), where the linear attack of
// attack_test.go reasons with equations. Per measure, the edges are the
// days that end a printed span or precede one (and 31 December before the
// spans' year), and the reader's unknowns are:
//
//   - per chain — a series (a channel's records, consented or not when a
//     report toggled consented_only) or a line (the series a printed line
//     sums: a channel, Paid, Total, LINE+Referral, with or without the
//     unconsented part) — its true count W(i, j) between every two edges
//     i < j, ≥ 0, with W(i, k) = W(i, j) + W(j, k) for every i < j < k
//     (all the adding and subtracting of windows a reader can do) and, for
//     a line of several series, W = the sum of theirs;
//   - per line and edge, the noise e of its released running total there:
//     −1 … +1, 0 before 1 January; one variable however many reports print
//     it, since the same records draw the same noise;
//
// and each printed figure of a line over [a, b] is W(a−1, b) + e(b) −
// e(a−1): equal to the figure, or 1 to min_cell−1 for "<min_cell";
// released running totals never decrease (W + e(j) − e(i) ≥ 0 between
// neighbouring edges). Visits, no-shows and cancellations are printed no
// higher than bookings, and new visits no higher than visits (nest): a
// figure equal to its parent's is only a lower bound. The reader narrows
// every range (attacktest.Bounds.Propagate); the ranges must keep the
// truth (else the model of the rule is wrong), and a window whose range
// closes on a count of 1 to min_cell−1 is pinned.
//
// What the reader does not use (it is weaker than one who does): that a
// line whose records are all zero releases exactly 0, that two lines with
// the same records (Paid when Meta has none, and Google) draw alike, and
// search beyond propagation. Identities across measures (bookings =
// visits + no-shows + …) are TestBoundsAcrossMeasures's.

// boundsMeasures are the measures attacked, with the measure each is
// printed no higher than.
var boundsMeasures = []boundsMeasure{
	{Bookings, 0, false, -1}, {Visits, Bookings, true, 0}, {NoShows, Bookings, true, 1}, {Cancellations, Bookings, true, 2}, {NewVisits, Visits, true, -1},
}

// boundsMeasure is a measure the reader reads, with the measure it is
// printed no higher than (nested) and, where bookings are split by what
// became of them, its outcome (-1: all of them).
type boundsMeasure struct {
	m, parent Metric
	nested    bool
	outcome   int
}

// boundsOutcomes are what became of a booking, in outcome order: a
// booking is exactly one of them, so bookings are their sum — an identity
// across measures that a reader playing TestBoundsAcrossMeasures uses.
var boundsOutcomes = []Metric{Visits, NoShows, Cancellations, Pending, Unclassified}

// boundsIdentity reads bookings and every outcome together.
var boundsIdentity = []boundsMeasure{
	{Bookings, 0, false, -1}, {Visits, Bookings, true, 0}, {NoShows, Bookings, true, 1},
	{Cancellations, Bookings, true, 2}, {Pending, Bookings, true, 3}, {Unclassified, Bookings, true, 4},
}

// boundsAttack is one reader's system for one measure.
type boundsAttack struct {
	b      attacktest.Bounds
	edges  []int32 // sorted; edges[0] is the day before 1 January
	parts  int
	nout   int // outcomes a series is split by: 1, or len(boundsOutcomes)
	noise  int64
	chains map[string]map[[2]int]int // chain → W(i, j)
	e      map[string][]int          // line → noise per edge
	of     map[string][]int          // chain → its series
}

func (a *boundsAttack) edge(d int32) int {
	i, ok := slices.BinarySearch(a.edges, d)
	if !ok {
		panic(fmt.Sprintf("day %d is no edge", d))
	}
	return i
}

// series returns the series of line name's outcome (-1: all) in a report
// with consentedOnly.
func (a *boundsAttack) series(name string, consentedOnly bool, outcome int) []int {
	var out []int
	for p := range a.parts {
		if consentedOnly && p > 0 {
			continue
		}
		for _, ch := range attackMembers(name) {
			for o := range a.nout {
				if a.nout == 1 || outcome < 0 || o == outcome {
					out = append(out, (p*len(attackChannels)+ch)*a.nout+o)
				}
			}
		}
	}
	return out
}

// chain returns the W variables of series ss (made on first use). With
// split, a chain of several series is tied to theirs.
func (a *boundsAttack) chain(ss []int, split bool) map[[2]int]int {
	id := fmt.Sprint(ss)
	if c, ok := a.chains[id]; ok {
		return c
	}
	n := len(a.edges)
	c := map[[2]int]int{}
	for i := range n {
		for j := i + 1; j < n; j++ {
			c[[2]int{i, j}] = a.b.Var(0, attacktest.Inf)
		}
	}
	for i := range n {
		for j := i + 1; j < n; j++ {
			for k := j + 1; k < n; k++ {
				a.b.Constrain([]attacktest.Term{{Var: c[[2]int{i, k}], Coef: 1}, {Var: c[[2]int{i, j}], Coef: -1}, {Var: c[[2]int{j, k}], Coef: -1}}, 0, 0)
			}
		}
	}
	a.chains[id], a.of[id] = c, ss
	if split && len(ss) > 1 {
		parts := make([]map[[2]int]int, len(ss))
		for i, s := range ss {
			parts[i] = a.chain([]int{s}, false)
		}
		for ij, v := range c {
			terms := []attacktest.Term{{Var: v, Coef: 1}}
			for _, p := range parts {
				terms = append(terms, attacktest.Term{Var: p[ij], Coef: -1})
			}
			a.b.Constrain(terms, 0, 0)
		}
	}
	return c
}

// line returns line ss's W and noise variables.
func (a *boundsAttack) line(ss []int, split bool) (map[[2]int]int, []int) {
	c := a.chain(ss, split)
	id := fmt.Sprint(ss)
	if e, ok := a.e[id]; ok {
		return c, e
	}
	e := []int{a.b.Var(0, 0)}
	for i := 1; i < len(a.edges); i++ {
		e = append(e, a.b.Var(-a.noise, a.noise))
		// The released running totals never decrease.
		a.b.Constrain([]attacktest.Term{{Var: c[[2]int{i - 1, i}], Coef: 1}, {Var: e[i], Coef: 1}, {Var: e[i-1], Coef: -1}}, 0, attacktest.Inf)
	}
	a.e[id] = e
	return c, e
}

// boundsResult is what one reader found.
type boundsResult struct {
	small, pinned int      // windows of 1 to min_cell−1, and those pinned
	pins          []string // which
}

// playBounds builds the reader's system from reports reps (of requests
// qs) for measures ms — one measure, or bookings split by outcome
// (boundsIdentity) — each line alone (alone) or all together, and checks
// every window of every chain over every span printed against truths read
// from exact reports. noise is the rule's bound (0 for exact figures).
func playBounds(t testing.TB, export string, qs []attackRequest, reps []*Report, ms []boundsMeasure, noise int64, alone bool, exact map[[2]int32]*Report) boundsResult {
	t.Helper()
	var spans [][2]int32
	year := int32(-1)
	parts := 1
	seen := map[int32]bool{}
	var edges []int32
	for i, rep := range reps {
		if qs[i].consentedOnly {
			parts = 2
		}
		for _, tb := range append([]Table{rep.Table}, rep.Periods...) {
			a, b := dayNumber(tb.From), dayNumber(tb.To)
			if year >= 0 && yearStart(a) != year || yearStart(b) != yearStart(a) {
				t.Fatalf("the bounds attack models spans within one calendar year; %s–%s", tb.From.Format(time.DateOnly), tb.To.Format(time.DateOnly))
			}
			year = yearStart(a)
			spans = append(spans, [2]int32{a, b})
			for _, e := range []int32{a - 1, b} {
				if !seen[e] {
					seen[e] = true
					edges = append(edges, e)
				}
			}
		}
	}
	nout := 1
	if len(ms) > 1 {
		nout = len(boundsOutcomes)
	}
	if parts == 2 && ms[0].m == NewVisits {
		// A patient's first visit among consented rows is not their first
		// among all: new visits do not split into a consented part and the
		// rest, and the model's series would not hold.
		return boundsResult{}
	}
	if !seen[year-1] {
		edges = append(edges, year-1)
	}
	slices.Sort(edges)

	// The truth: each series' running total at each edge, from exact
	// reports from 1 January (the unconsented part as all less consented),
	// cached in exact by edge and part.
	truth := map[int][]int64{}
	nseries := parts * len(attackChannels) * nout
	for s := range nseries {
		truth[s] = make([]int64, len(edges))
	}
	for i, e := range edges[1:] {
		for p := range parts {
			q := qs[0]
			q.from, q.to, q.period, q.merged, q.consentedOnly, q.minCell = dayTime(year), dayTime(e), "", false, parts == 2 && p == 0, 1
			key := [2]int32{e, int32(p)}
			if exact[key] == nil {
				exact[key] = runAttack(t, export, q, nil)
			}
			for _, l := range exact[key].Channels {
				for o := range nout {
					s := (p*len(attackChannels)+attackMembers(l.Name)[0])*nout + o
					m := ms[0].m
					if nout > 1 {
						m = boundsOutcomes[o]
					}
					truth[s][i+1] = int64(l.Values[m].V)
				}
			}
		}
	}
	if parts == 2 {
		half := len(attackChannels) * nout
		for s := range half {
			for i := range edges {
				truth[half+s][i] -= truth[s][i]
			}
		}
	}

	newAttack := func() *boundsAttack {
		return &boundsAttack{edges: edges, parts: parts, nout: nout, noise: noise, chains: map[string]map[[2]int]int{}, e: map[string][]int{}, of: map[string][]int{}}
	}
	// One system for everything, or one per line.
	groups := map[string]bool{"": true}
	if alone {
		groups = map[string]bool{}
		a := newAttack()
		for i, rep := range reps {
			for _, tb := range append([]Table{rep.Table}, rep.Periods...) {
				for _, l := range append(append([]Line(nil), tb.Channels...), tb.Paid, tb.Total) {
					for _, bm := range ms {
						if ss := a.series(l.Name, qs[i].consentedOnly, bm.outcome); len(ss) > 0 {
							groups[fmt.Sprint(ss)] = true
						}
					}
				}
			}
		}
	}
	var res boundsResult
	for group := range groups {
		a := newAttack()
		for i, rep := range reps {
			for _, tb := range append([]Table{rep.Table}, rep.Periods...) {
				lo, hi := a.edge(dayNumber(tb.From)-1), a.edge(dayNumber(tb.To))
				for _, l := range append(append([]Line(nil), tb.Channels...), tb.Paid, tb.Total) {
					for _, bm := range ms {
						ss := a.series(l.Name, qs[i].consentedOnly, bm.outcome)
						if len(ss) == 0 || group != "" && fmt.Sprint(ss) != group {
							continue
						}
						c, e := a.line(ss, group == "")
						fig := []attacktest.Term{{Var: c[[2]int{lo, hi}], Coef: 1}, {Var: e[hi], Coef: 1}, {Var: e[lo], Coef: -1}}
						v := l.Values[bm.m]
						atMost := bm.nested && !(l.Values[bm.parent].State == Shown && v.V < l.Values[bm.parent].V)
						switch {
						case v.State == Shown && atMost:
							a.b.Constrain(fig, int64(v.V), attacktest.Inf)
						case v.State == Shown:
							a.b.Constrain(fig, int64(v.V), int64(v.V))
						case v.State == Small && !bm.nested:
							a.b.Constrain(fig, 1, int64(rep.MinCell-1))
						case v.State == Small:
							a.b.Constrain(fig, 1, attacktest.Inf)
						}
					}
				}
			}
		}
		what := ms[0].m.Key()
		if nout > 1 {
			what = "bookings by outcome"
		}
		if !a.b.Propagate() {
			t.Fatalf("%s: the figures contradict the model of the rule", what)
		}
		const k = 5
		done := map[string]bool{}
		for id, c := range a.chains {
			for _, sp := range spans {
				i, j := a.edge(sp[0]-1), a.edge(sp[1])
				name := fmt.Sprintf("%s: series %s over %s–%s", what, id, dayTime(sp[0]).Format(time.DateOnly), dayTime(sp[1]).Format(time.DateOnly))
				if done[name] {
					continue
				}
				done[name] = true
				var tv int64
				for _, s := range a.of[id] {
					tv += truth[s][j] - truth[s][i]
				}
				lo, hi := a.b.Range(c[[2]int{i, j}])
				if tv < lo || tv > hi {
					t.Fatalf("%s: the range %d…%d lost the truth %d — the model of the rule is wrong", name, lo, hi, tv)
				}
				if tv >= 1 && tv < k {
					res.small++
					if lo == hi {
						res.pinned++
						res.pins = append(res.pins, fmt.Sprintf("%s = %d", name, tv))
					}
				}
			}
		}
	}
	return res
}

// boundsReports are the reports of requests qs: exact, or under key.
func boundsReports(t testing.TB, export string, qs []attackRequest, key []byte) []*Report {
	var out []*Report
	for _, q := range qs {
		out = append(out, runAttack(t, export, q, key))
	}
	return out
}

// playBoundsAll plays the bounds reader on every measure: under exact
// figures (it must pin small counts, or it proves nothing) and under each
// key. A reader holding every line at once knows more than one reading
// each line alone, so where it pins nothing no line alone does; where it
// pins something, each line is played alone too, and a pin there is a
// failure (release.go proves there is none).
func playBoundsAll(t *testing.T, name, export string, qs []attackRequest, keys [][]byte) (exact, cross boundsResult) {
	t.Helper()
	truth := map[[2]int32]*Report{}
	ex := boundsReports(t, export, qs, nil)
	for _, bm := range boundsMeasures {
		r := playBounds(t, export, qs, ex, []boundsMeasure{bm}, 0, false, truth)
		exact.small, exact.pinned = exact.small+r.small, exact.pinned+r.pinned
	}
	for ki, key := range keys {
		reps := boundsReports(t, export, qs, key)
		for _, bm := range boundsMeasures {
			r := playBounds(t, export, qs, reps, []boundsMeasure{bm}, 1, false, truth)
			cross.small, cross.pinned = cross.small+r.small, cross.pinned+r.pinned
			cross.pins = append(cross.pins, r.pins...)
			if r.pinned == 0 {
				continue
			}
			alone := playBounds(t, export, qs, reps, []boundsMeasure{bm}, 1, true, truth)
			for _, p := range alone.pins {
				t.Errorf("%s, key %d: pinned within one line: %s", name, ki, p)
			}
		}
	}
	return exact, cross
}

// TestBoundsAttacksOnFixture plays the bounds reader on the English
// fixture's reports of TestAttacksOnFixture's groups, under real keys.
func TestBoundsAttacksOnFixture(t *testing.T) {
	t.Parallel()
	raw := readFixtureEN(t)
	d := func(s string) time.Time { return day(s) }
	q := fixtureQuery(time.Time{})
	var toDate []attackRequest
	for i := range 7 {
		toDate = append(toDate, q("2026-11-01", d("2026-11-01").AddDate(0, 0, i).Format(time.DateOnly), "", nil))
	}
	var yearToDate []attackRequest
	for i := range 10 {
		yearToDate = append(yearToDate, q("2026-01-01", d("2026-11-01").AddDate(0, 0, i).Format(time.DateOnly), "", nil))
	}
	merged := func(q *attackRequest) { q.merged = true }
	consented := func(q *attackRequest) { q.consentedOnly = true }
	groups := map[string][]attackRequest{
		"windows, periods and month-to-date": append([]attackRequest{
			q("2026-08-01", "2026-11-30", "", nil), q("2026-09-01", "2026-11-30", "", nil),
			q("2026-08-08", "2026-11-07", "", nil), q("2026-11-01", "2026-11-10", "day", nil),
			q("2026-11-01", "2026-11-30", "week", nil), q("2026-08-01", "2026-11-30", "month", nil),
		}, toDate...),
		// Year-to-date: a window from 1 January prints one released
		// running total, no difference of two — the sharpest figures a
		// reader can get.
		"year-to-date, by month and day by day": append([]attackRequest{
			q("2026-01-01", "2026-11-30", "month", nil), q("2026-01-01", "2026-11-30", "month", merged),
			q("2026-01-01", "2026-11-30", "", consented),
		}, yearToDate...),
		"LINE+Referral merged, consent toggled": {
			q("2026-08-01", "2026-11-30", "month", merged), q("2026-08-01", "2026-11-30", "month", nil),
			q("2026-11-01", "2026-11-30", "week", merged), q("2026-11-01", "2026-11-30", "week", nil),
			q("2026-08-01", "2026-11-30", "month", consented), q("2026-11-01", "2026-11-30", "week", consented),
		},
	}
	var exact, cross boundsResult
	for name, qs := range groups {
		e, c := playBoundsAll(t, name, string(raw), qs, attackKeys(sweep(1)))
		exact.small, exact.pinned = exact.small+e.small, exact.pinned+e.pinned
		cross.small, cross.pinned = cross.small+c.small, cross.pinned+c.pinned
		cross.pins = append(cross.pins, c.pins...)
	}
	if exact.pinned == 0 {
		t.Fatal("the bounds reader pinned no small count of the exact reports: it proves nothing")
	}
	t.Logf("exact reports: %d of %d small windows pinned; under the rule: none within a line, %d of %d across lines (%.1f%%)",
		exact.pinned, exact.small, cross.pinned, cross.small, 100*float64(cross.pinned)/float64(max(cross.small, 1)))
	for _, p := range cross.pins {
		t.Logf("across lines: %s", p)
	}
}

// TestBoundsAttacksOnRandomTables plays the bounds reader on random
// exports and readers' collections (randomRequests: shifted windows,
// rolling to-date reports, periods, regroupings, consent toggled, min_cell
// changed). HASHGATE_ATTACK_SWEEP=N plays N tables (make attack).
func TestBoundsAttacksOnRandomTables(t *testing.T) {
	t.Parallel()
	var exact, cross boundsResult
	tables := sweep(4)
	for trial := range tables {
		rng := rand.New(rand.NewPCG(uint64(trial), 2626))
		start := time.Date(2026, 10, 26+rng.IntN(7), 0, 0, 0, 0, time.UTC)
		days := 14 + rng.IntN(21)
		export := randomExport(rng, start, days, 40+rng.IntN(120))
		qs := randomRequests(rng, start, days)
		for i := range 6 { // rolling year-to-date reports
			qs = append(qs, attackRequest{from: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), to: start.AddDate(0, 0, days-6+i)})
		}
		e, c := playBoundsAll(t, fmt.Sprint("table ", trial), export, qs, attackKeys(1))
		exact.small, exact.pinned = exact.small+e.small, exact.pinned+e.pinned
		cross.small, cross.pinned = cross.small+c.small, cross.pinned+c.pinned
	}
	if exact.pinned == 0 {
		t.Fatal("the bounds reader pinned no small count of the exact reports: it proves nothing")
	}
	t.Logf("%d tables; exact reports: %d of %d small windows pinned; under the rule: none within a line, %d of %d across lines (%.1f%%)",
		tables, exact.pinned, exact.small, cross.pinned, cross.small, 100*float64(cross.pinned)/float64(max(cross.small, 1)))
}

// TestBoundsAcrossMeasures plays the bounds reader who also knows that a
// booking is exactly one of a visit, a no-show, a cancellation, pending or
// unclassified — bookings are the sum of five other lines — on the
// fixture's reports by month and year-to-date, with LINE and Referral
// merged and consent toggled. A pin here needs bookings at one end of its
// noise and every non-empty outcome at the other: README reports how
// often. HASHGATE_ATTACK_SWEEP=N reads them under N keys.
func TestBoundsAcrossMeasures(t *testing.T) {
	t.Parallel()
	raw := readFixtureEN(t)
	q := fixtureQuery(day("2026-11-20"))
	merged := func(q *attackRequest) { q.merged = true }
	consented := func(q *attackRequest) { q.consentedOnly = true }
	qs := []attackRequest{
		q("2026-01-01", "2026-11-30", "month", nil), q("2026-08-01", "2026-11-30", "", nil),
		q("2026-09-01", "2026-11-30", "", nil), q("2026-08-01", "2026-11-30", "month", merged),
		q("2026-01-01", "2026-11-30", "month", consented), q("2026-11-01", "2026-11-30", "week", nil),
	}
	truth := map[[2]int32]*Report{}
	ex := playBounds(t, string(raw), qs, boundsReports(t, string(raw), qs, nil), boundsIdentity, 0, false, truth)
	if ex.pinned == 0 {
		t.Fatal("the bounds reader pinned no small count of the exact reports: it proves nothing")
	}
	var cross boundsResult
	for _, key := range attackKeys(sweep(1)) {
		r := playBounds(t, string(raw), qs, boundsReports(t, string(raw), qs, key), boundsIdentity, 1, false, truth)
		cross.small, cross.pinned, cross.pins = cross.small+r.small, cross.pinned+r.pinned, append(cross.pins, r.pins...)
	}
	t.Logf("exact reports: %d of %d small windows pinned; under the rule, across lines and measures: %d of %d (%.2f%%)",
		ex.pinned, ex.small, cross.pinned, cross.small, 100*float64(cross.pinned)/float64(max(cross.small, 1)))
	for _, p := range cross.pins {
		t.Logf("pinned: %s", p)
	}
}
