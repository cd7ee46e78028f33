package attacktest

import (
	"math/rand/v2"
	"testing"
)

// TestBoundsPinsTheMonthAndItsParts is the leak of issue 26's second
// finding, by hand: a month released as 12 (its truth 13, the month drew
// −1) and its three parts released as 5, 5 and 6, each at the top of its
// range (truths 4, 4, 5). No equation pins a part — Solve finds none — but
// bounds do: each part is at least its figure − 1, so the parts are at
// least 13 together, the month at most 13, and so every part is exactly
// its lower bound. A part printed as 5 is 4: below min_cell.
func TestBoundsPinsTheMonthAndItsParts(t *testing.T) {
	var b Bounds
	parts := []int{b.Var(0, Inf), b.Var(0, Inf), b.Var(0, Inf)}
	printed := []int64{5, 5, 6}
	var month []Term
	for i, p := range parts {
		e := b.Var(-1, 1)
		b.Constrain([]Term{{p, 1}, {e, 1}}, printed[i], printed[i])
		month = append(month, Term{p, 1})
	}
	e := b.Var(-1, 1)
	b.Constrain(append(month, Term{e, 1}), 12, 12)
	if !b.Propagate() {
		t.Fatal("infeasible: the figures were built from a truth")
	}
	for i, p := range parts {
		if lo, hi := b.Range(p); lo != hi || lo != printed[i]-1 {
			t.Errorf("part %d: range %d…%d, want pinned at %d", i, lo, hi, printed[i]-1)
		}
	}
	// The same figures as equations pin nothing: three parts and a month,
	// four equations over seven unknowns.
	if got := Solve(3, []Equation{{Atoms: []int{0, 1, 2}, Value: 12}}); len(got) != 0 {
		t.Errorf("Solve pinned %v from one equation", got)
	}
}

func TestBoundsRounding(t *testing.T) {
	var b Bounds
	x, y := b.Var(0, Inf), b.Var(0, Inf)
	b.Constrain([]Term{{x, 2}, {y, 2}}, 3, 5) // 2x + 2y ∈ [3, 5]: x + y = 2
	b.Constrain([]Term{{x, 1}, {y, -1}}, 2, 2)
	if !b.Propagate() {
		t.Fatal("infeasible")
	}
	if lo, hi := b.Range(x); lo != 2 || hi != 2 {
		t.Errorf("x: %d…%d, want 2", lo, hi)
	}
	var c Bounds
	z := c.Var(0, 3)
	c.Constrain([]Term{{z, 1}}, 4, 9)
	if c.Propagate() {
		t.Error("z ≤ 3 and z ≥ 4 called feasible")
	}
	if floorDiv(-3, 2) != -2 || ceilDiv(-3, 2) != -1 || floorDiv(3, -2) != -2 || ceilDiv(3, 2) != 2 {
		t.Error("floorDiv/ceilDiv")
	}
}

// The two rules on one line of one model month — four ISO weeks of seven
// days, min_cell 5 — with sparse random counts: the reader holds every
// figure either rule lets out over the month (by month, week and day
// under the grid; every window under running totals), each small one as
// "<5" under the grid and, to make the reader stronger, exact under
// running totals.
const (
	gridMonths = 20000
	modelDays  = 28
	modelK     = 5
)

// modelNoise is the rule's count noise: −1 or +1 one time in four each,
// zero stays zero, nothing below zero.
func modelNoise(rng *rand.Rand, n int64) int64 {
	if n == 0 {
		return 0
	}
	return max([4]int64{-1, 0, 0, 1}[rng.IntN(4)], -n)
}

func modelTable(rng *rand.Rand, busy int) []int64 {
	x := make([]int64, modelDays)
	for d := range x {
		for range busy {
			if rng.IntN(8) == 0 {
				x[d]++
			}
		}
	}
	return x
}

// line adds a line of len(x) days to b as running totals: S[0] = 0 and
// S[d] the count of days 1…d, non-decreasing (each day's count is S[d] −
// S[d−1] ≥ 0). Running totals rather than one variable per day, because
// propagation along a chain of differences is what a reader does with
// nested windows (a month and its weeks): per-day variables would lose
// that "the weeks add up to at least so much" before it reaches the month.
func line(b *Bounds, n int) []int {
	s := []int{b.Var(0, 0)}
	for d := 1; d <= n; d++ {
		s = append(s, b.Var(0, Inf))
		b.Constrain([]Term{{s[d], 1}, {s[d-1], -1}}, 0, Inf)
	}
	return s
}

// window adds a variable for days a…z (from 0) of line s, and returns it
// with its truth.
func window(bs *Bounds, s []int, x []int64, a, z int) (int, int64) {
	w := bs.Var(0, Inf)
	bs.Constrain([]Term{{w, 1}, {s[z+1], -1}, {s[a], 1}}, 0, 0)
	var truth int64
	for d := a; d <= z; d++ {
		truth += x[d]
	}
	return w, truth
}

// gridPins plays the reader against the grid rule of session 5 and returns
// how many small counts (a day, a week, the month, 1 to 4) are pinned.
func gridPins(t *testing.T, rng *rand.Rand, x []int64) int {
	var b Bounds
	s := line(&b, modelDays)
	type target struct {
		v     int
		truth int64
	}
	var targets []target
	cell := func(a, z int) {
		w, truth := window(&b, s, x, a, z)
		targets = append(targets, target{w, truth})
		e := b.Var(-1, 1)
		r := truth + modelNoise(rng, truth)
		lo, hi := r, r
		if r > 0 && r < modelK {
			lo, hi = 1, modelK-1
		}
		b.Constrain([]Term{{w, 1}, {e, 1}}, lo, hi)
	}
	cell(0, modelDays-1)
	for w := range 4 {
		cell(7*w, 7*w+6)
	}
	for d := range modelDays {
		cell(d, d)
	}
	if !b.Propagate() {
		t.Fatal("grid: infeasible — the model of the rule is wrong")
	}
	pins := 0
	for _, tg := range targets {
		lo, hi := b.Range(tg.v)
		if tg.truth < lo || tg.truth > hi {
			t.Fatalf("grid: the range %d…%d lost the truth %d — an unsound reader", lo, hi, tg.truth)
		}
		if lo == hi && tg.truth >= 1 && tg.truth < modelK {
			pins++
		}
	}
	return pins
}

// prefixLine adds one line's running totals to b, released as the rule
// releases them (noise on each running total, made non-decreasing), and
// returns them.
func prefixLine(b *Bounds, rng *rand.Rand, x []int64) []int {
	s := line(b, len(x))
	var p, z int64
	for d := range x {
		p += x[d]
		// A day without a booking has the same running total, the same
		// cell key and so the same draw as the day before.
		if d == 0 || x[d] > 0 {
			z = max(z, p+modelNoise(rng, p))
		}
		e := b.Var(-1, 1)
		b.Constrain([]Term{{s[d+1], 1}, {e, 1}}, z, z)
	}
	return s
}

// allWindows returns a variable per window [a, z] of line s, with its
// truth.
func allWindows(b *Bounds, s []int, x []int64) (vars []int, truths []int64) {
	for a := range x {
		for z := a; z < len(x); z++ {
			v, truth := window(b, s, x, a, z)
			vars, truths = append(vars, v), append(truths, truth)
		}
	}
	return vars, truths
}

// TestBoundsAgainstGridAndRunningTotals: over random sparse months, the
// bounds reader pins small counts under the grid (a month and its weeks
// and days, each ±1 — the leak) and pins no window at all, of any size,
// within a line of running totals; across lines (two channels and their
// total, each its own running totals) it pins some, and the test reports
// how often.
func TestBoundsAgainstGridAndRunningTotals(t *testing.T) {
	t.Parallel()
	gridTables, gridPinned, lineWindows, crossPinned, crossSmall := 0, 0, 0, 0, 0
	for trial := range 300 {
		rng := rand.New(rand.NewPCG(uint64(trial), 26))
		x := modelTable(rng, 1+trial%12)

		var b Bounds
		atoms := prefixLine(&b, rng, x)
		vars, truths := allWindows(&b, atoms, x)
		if !b.Propagate() {
			t.Fatal("running totals: infeasible — the model of the rule is wrong")
		}
		for i, v := range vars {
			lo, hi := b.Range(v)
			if truths[i] < lo || truths[i] > hi {
				t.Fatalf("running totals: the range %d…%d lost the truth %d", lo, hi, truths[i])
			}
			if lo == hi {
				t.Errorf("table %d: a window of running totals pinned at %d", trial, lo)
			}
			lineWindows++
		}

		// Two channels and their total, each line its running totals.
		y := modelTable(rng, 1+trial%5)
		var c Bounds
		xa, ya := prefixLine(&c, rng, x), prefixLine(&c, rng, y)
		sum := make([]int64, modelDays)
		for d := range sum {
			sum[d] = x[d] + y[d]
		}
		ta := prefixLine(&c, rng, sum)
		for d := range ta {
			c.Constrain([]Term{{ta[d], 1}, {xa[d], -1}, {ya[d], -1}}, 0, 0) // total = its channels, every day
		}
		xv, xt := allWindows(&c, xa, x)
		yv, yt := allWindows(&c, ya, y)
		if !c.Propagate() {
			t.Fatal("running totals across lines: infeasible — the model of the rule is wrong")
		}
		for i, v := range append(xv, yv...) {
			truth := append(xt, yt...)[i]
			lo, hi := c.Range(v)
			if truth < lo || truth > hi {
				t.Fatalf("across lines: the range %d…%d lost the truth %d", lo, hi, truth)
			}
			if truth >= 1 && truth < modelK {
				crossSmall++
				if lo == hi {
					crossPinned++
				}
			}
		}
	}
	// The grid's leak needs the month at the bottom of its range and every
	// non-empty part at the top: (1/4)^5 for a month of four busy weeks,
	// so it is looked for over more months, of weeks of about five.
	for trial := range gridMonths {
		rng := rand.New(rand.NewPCG(uint64(trial), 2605))
		if p := gridPins(t, rng, modelTable(rng, 5+trial%3)); p > 0 {
			gridTables++
			gridPinned += p
		}
	}
	if gridPinned == 0 {
		t.Fatal("the bounds reader pinned nothing under the grid: it cannot see the leak it exists for")
	}
	t.Logf("grid: %d small counts pinned in %d of %d months; running totals: none of %d windows within a line; across a total and its two channels: %d of %d small windows pinned (%.2f%%)",
		gridPinned, gridTables, gridMonths, lineWindows, crossPinned, crossSmall, 100*float64(crossPinned)/float64(max(crossSmall, 1)))
}
