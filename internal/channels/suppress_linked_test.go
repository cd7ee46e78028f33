package channels

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/hashgate/hashgate/internal/channels/attacktest"
)

// at3 is a cell of one measure's grid: the test's own, apart from the
// suppression's.
type at3 struct{ m, r, c int }

// linkedTable is a random report's counts on every grid, as assemble.go
// fills them: channels (some paid), the Paid line, the Total; periods and
// the window. Each channel's bookings are what became of them (visits,
// no-shows, cancellations, pending, unclassified), its visits new or
// returning, its new patients its new-patient visits; margins are sums.
func linkedTable(rng *rand.Rand, k int) (gs [numMeasures]*grid, paid []int) {
	nch := 2 + rng.IntN(5)
	twoD := rng.IntN(2) == 1
	nper := 1
	if twoD {
		nper = 1 + rng.IntN(5)
	}
	for r := range nch {
		if rng.IntN(2) == 0 {
			paid = append(paid, r)
		}
	}
	rows, cols := nch+2, nper
	if twoD {
		cols++
	}
	paidRow, totalRow := nch, nch+1
	count := func() float64 {
		switch rng.IntN(4) {
		case 0:
			return 0
		case 1:
			return float64(1 + rng.IntN(k))
		}
		return float64(rng.IntN(30))
	}
	for _, m := range []measure{mBookings, mVisits, mNoShows, mCancellations, mPending, mUnclassified, mNewVisits, mReturningVisits, mNewPatients} {
		gs[m] = newGrid(rows, cols, twoD)
		gs[m].paidRow, gs[m].paid = paidRow, paid
		for r := range rows {
			for c := range cols {
				gs[m].ok[r][c] = true
			}
		}
	}
	add := func(m measure, r, c int, v float64) {
		g := gs[m]
		for _, rr := range []int{r, totalRow} {
			g.v[rr][c] += v
			if twoD {
				g.v[rr][cols-1] += v
			}
		}
		for _, p := range paid {
			if p == r {
				g.v[paidRow][c] += v
				if twoD {
					g.v[paidRow][cols-1] += v
				}
			}
		}
	}
	for r := range nch {
		for c := range nper {
			outcomes := map[measure]float64{mVisits: count(), mNoShows: count(), mCancellations: count(), mPending: count(), mUnclassified: count()}
			if rng.IntN(3) == 0 { // a clinic whose statuses are visits and no-shows only
				outcomes[mCancellations], outcomes[mPending], outcomes[mUnclassified] = 0, 0, 0
			}
			b := 0.0
			for m, v := range outcomes {
				add(m, r, c, v)
				b += v
			}
			add(mBookings, r, c, b)
			nv := float64(rng.IntN(int(outcomes[mVisits]) + 1))
			add(mNewVisits, r, c, nv)
			add(mNewPatients, r, c, nv)
			add(mReturningVisits, r, c, outcomes[mVisits]-nv)
		}
	}
	return gs, paid
}

// linkedRelations are every additive relation among a linkedTable's
// figures, written out here apart from the suppression's own list: per
// measure, per column the channels to the Total, the paid channels to
// Paid, Paid and the other channels to the Total; per row the periods to
// the window; per cell visits = new + returning, bookings = its outcomes,
// new patients = new-patient visits.
func linkedRelations(gs *[numMeasures]*grid, paid []int) [][]at3 {
	var out [][]at3 // members, then the margin
	var g *grid
	for m, mg := range gs {
		if mg == nil {
			continue
		}
		g = mg
		nch := g.rows - 2
		isPaid := map[int]bool{}
		for _, p := range paid {
			isPaid[p] = true
		}
		for c := range g.cols {
			var all, ps, unpaid []at3
			unpaid = append(unpaid, at3{m, nch, c})
			for r := range nch {
				all = append(all, at3{m, r, c})
				if isPaid[r] {
					ps = append(ps, at3{m, r, c})
				} else {
					unpaid = append(unpaid, at3{m, r, c})
				}
			}
			out = append(out, append(all, at3{m, nch + 1, c}))
			if len(paid) > 0 { // else the paid line sums no one
				out = append(out, append(ps, at3{m, nch, c}), append(unpaid, at3{m, nch + 1, c}))
			}
		}
		if g.twoD {
			for r := range g.rows {
				var l []at3
				for c := 0; c < g.cols-1; c++ {
					l = append(l, at3{m, r, c})
				}
				out = append(out, append(l, at3{m, r, g.cols - 1}))
			}
		}
	}
	for r := range g.rows {
		for c := range g.cols {
			at := func(ms ...measure) []at3 {
				var l []at3
				for _, m := range ms {
					l = append(l, at3{int(m), r, c})
				}
				return l
			}
			out = append(out, at(mNewVisits, mReturningVisits, mVisits), at(mNewVisits, mNewPatients),
				at(mVisits, mNoShows, mCancellations, mPending, mUnclassified, mBookings))
		}
	}
	return out
}

// checkLinked fails when a small count is printed, a withheld count
// follows from the printed ones by the relations together, or the
// withheld members of one relation whose margin is printed add up to a
// small count (1 to k-1) — or to 0 when one of them is withheld under a
// small count it is part of.
func checkLinked(t *testing.T, gs *[numMeasures]*grid, paid []int, k int, label string) {
	t.Helper()
	idx := map[at3]int{}
	var unknowns []at3
	for m, g := range gs {
		if g == nil {
			continue
		}
		for r := range g.rows {
			for c := range g.cols {
				if v := g.v[r][c]; v > 0 && v < float64(k) && !g.suppressed(r, c) {
					t.Fatalf("%s: m%d cell %d,%d = %v is printed", label, m, r, c, v)
				}
				if g.suppressed(r, c) {
					idx[at3{m, r, c}] = len(unknowns)
					unknowns = append(unknowns, at3{m, r, c})
				}
			}
		}
	}
	sup := func(x at3) bool { return gs[x.m].suppressed(x.r, x.c) }
	// Rule 2: the parts of a withheld count below k are withheld.
	for m, g := range gs {
		if g == nil {
			continue
		}
		for _, p := range measureParents[m] {
			for r := range g.rows {
				for c := range g.cols {
					if up := gs[p]; up != nil && up.suppressed(r, c) && up.v[r][c] < float64(k) && !g.suppressed(r, c) {
						t.Fatalf("%s: m%d cell %d,%d is printed under a withheld count below k", label, m, r, c)
					}
				}
			}
		}
	}
	val := func(x at3) float64 { return gs[x.m].v[x.r][x.c] }
	nestedSmall := func(x at3) bool {
		for _, p := range measureParents[x.m] {
			if gs[p] != nil && sup(at3{int(p), x.r, x.c}) && val(at3{int(p), x.r, x.c}) < float64(k) {
				return true
			}
		}
		return false
	}
	var eqs []attacktest.Equation
	for _, rel := range linkedRelations(gs, paid) {
		members, margin := rel[:len(rel)-1], rel[len(rel)-1]
		var eq attacktest.Equation
		for _, x := range members {
			if sup(x) {
				eq.Atoms = append(eq.Atoms, idx[x])
			}
		}
		if sup(margin) {
			eq.Minus = append(eq.Minus, idx[margin])
		}
		if len(eq.Atoms)+len(eq.Minus) > 0 {
			eqs = append(eqs, eq)
		}
		if sup(margin) {
			continue
		}
		sum, nested, n := 0.0, false, 0
		for _, x := range members {
			if sup(x) {
				sum, n = sum+val(x), n+1
				nested = nested || nestedSmall(x)
			}
		}
		if n > 0 && (sum > 0 && sum < float64(k) || sum == 0 && nested) {
			t.Fatalf("%s: %v: withheld members add up to %v, recoverable\n%s", label, rel, sum, dumpLinked(gs))
		}
	}
	if pinned := attacktest.Solve(len(unknowns), eqs); len(pinned) > 0 {
		var cells []at3
		for a := range pinned {
			cells = append(cells, unknowns[a])
		}
		t.Fatalf("%s: withheld cells %v follow from the printed ones\n%s", label, cells, dumpLinked(gs))
	}
}

func dumpLinked(gs *[numMeasures]*grid) string {
	s := ""
	for m, g := range gs {
		if g == nil {
			continue
		}
		s += fmt.Sprintf("m%d\n%s", m, dump(g))
	}
	return s
}

// TestSuppressLinkedRandomTables: on random tables of every count the
// report prints, tied as the report ties them, no withheld count follows
// from the printed ones — through the relations of one grid or across
// grids (visits = new + returning: Meta's 14 visits beside 11 new-patient
// visits gave its withheld 3 returning ones away) — and no group a reader
// can add up is a small count.
func TestSuppressLinkedRandomTables(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(26, 3))
	withheld := 0
	for trial := range 400 {
		k := 2 + rng.IntN(9)
		gs, paid := linkedTable(rng, k)
		suppress(&gs, k)
		checkLinked(t, &gs, paid, k, fmt.Sprintf("trial %d (k %d)", trial, k))
		for _, g := range gs {
			if g != nil {
				for r := range g.rows {
					for c := range g.cols {
						if g.suppressed(r, c) {
							withheld++
						}
					}
				}
			}
		}
	}
	if withheld < 1000 {
		t.Fatalf("only %d withheld counts in 400 tables: the test proves nothing", withheld)
	}
}
