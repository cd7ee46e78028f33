package channels

import (
	"cmp"
	"math/bits"
	"slices"
)

// The audit: every relation of an sdc at once, as a reader with unlimited
// patience adds and subtracts them. Its unknowns are the withheld cells;
// its equations the relations, printed cells moved to the constant side
// (their values do not matter: whether a cell is pinned depends only on
// which cells are withheld). A withheld cell is pinned exactly when its
// unit vector lies in the span of the equations' rows — equivalently,
// when it is zero in every solution of the homogeneous system. Rules 3
// and 4 find the common cases on one relation or one grid; the audit
// finds what only several relations across grids pin together (a cycle
// of withheld new-patient visits beside one of returning visits, tied by
// visits printed on two of their cells, pins both).
//
// The elimination runs in the integers modulo the prime 2^61−1, as the
// attack suites' solver does (package attacktest): the coefficients are
// 0 and ±1, and modular elimination decides the span as rational
// elimination does unless a determinant is a multiple of the prime. The
// homogeneous solutions are sampled: the free unknowns set to draws of a
// fixed sequence, the pinned ones solved for; a cell that is zero in two
// samples is pinned (a free cell is zero in one by a chance of one in
// 2^61). The sequence is fixed, so a report is the same on every run.

const auditPrime = 1<<61 - 1

func mulMod(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	r := (lo & auditPrime) + (lo>>61 | hi<<3)
	r = (r & auditPrime) + (r >> 61)
	if r >= auditPrime {
		r -= auditPrime
	}
	return r
}

func subMod(a, b uint64) uint64 {
	if a >= b {
		return a - b
	}
	return a + auditPrime - b
}

func invMod(a uint64) uint64 {
	r, e := uint64(1), uint64(auditPrime-2)
	for e > 0 {
		if e&1 == 1 {
			r = mulMod(r, a)
		}
		a = mulMod(a, a)
		e >>= 1
	}
	return r
}

type entry struct {
	col int
	v   uint64
}

// determined returns the withheld cells that rels pin, in the order of
// their columns, rows and grids.
func (t *sdc) determined(rels []relation) []ref {
	idx := map[ref]int{}
	var unknowns []ref
	for _, rel := range rels {
		if !t.ok(rel.margin) {
			continue
		}
		for _, x := range append(append([]ref(nil), rel.members...), rel.margin) {
			if _, seen := idx[x]; !seen && t.ok(x) && t.suppressed(x) {
				idx[x] = 0
				unknowns = append(unknowns, x)
			}
		}
	}
	if len(unknowns) == 0 {
		return nil
	}
	// Periods first, each period's lines and grids together, the window
	// last: the relations within a period then eliminate among few
	// unknowns, and only the window's sums run long.
	slices.SortFunc(unknowns, func(a, b ref) int {
		return cmp.Or(cmp.Compare(a.c, b.c), cmp.Compare(a.r, b.r), cmp.Compare(a.m, b.m))
	})
	for i, x := range unknowns {
		idx[x] = i
	}
	n := len(unknowns)
	var eqs [][]entry
	for _, rel := range rels {
		if !t.ok(rel.margin) {
			continue
		}
		var eq []entry
		add := func(x ref, v uint64) {
			if i, ok := idx[x]; ok && t.ok(x) && t.suppressed(x) {
				eq = append(eq, entry{i, v})
			}
		}
		for _, x := range rel.members {
			add(x, 1)
		}
		add(rel.margin, auditPrime-1)
		if len(eq) > 0 {
			eqs = append(eqs, eq)
		}
	}
	// Short equations first: they eliminate locally.
	slices.SortStableFunc(eqs, func(a, b []entry) int { return cmp.Compare(len(a), len(b)) })

	// Row echelon form: each stored row leads with its smallest column,
	// scaled to 1; a new row is reduced by the stored ones in ascending
	// column order, which only adds entries to the right.
	pivot := make([]int, n)
	for i := range pivot {
		pivot[i] = -1
	}
	var rows [][]entry
	acc := make([]uint64, n)
	for _, eq := range eqs {
		lo, hi := n, -1
		for _, e := range eq {
			acc[e.col] = (acc[e.col] + e.v) % auditPrime
			lo, hi = min(lo, e.col), max(hi, e.col)
		}
		var row []entry
		for c := lo; c <= hi; c++ {
			f := acc[c]
			if f == 0 {
				continue
			}
			if p := pivot[c]; p >= 0 {
				for _, e := range rows[p] {
					acc[e.col] = subMod(acc[e.col], mulMod(f, e.v))
					hi = max(hi, e.col)
				}
				continue
			}
			row = append(row, entry{c, f})
			acc[c] = 0
		}
		if len(row) == 0 {
			continue
		}
		if inv := invMod(row[0].v); inv != 1 {
			for i := range row {
				row[i].v = mulMod(row[i].v, inv)
			}
		}
		pivot[row[0].col] = len(rows)
		rows = append(rows, row)
	}
	// Two samples of the homogeneous solutions.
	pinned := make([]bool, n)
	for i := range pinned {
		pinned[i] = true
	}
	seed := uint64(0x9e3779b97f4a7c15)
	draw := func() uint64 {
		seed += 0x9e3779b97f4a7c15
		z := seed
		z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
		z = (z ^ z>>27) * 0x94d049bb133111eb
		return (z^z>>31)%(auditPrime-1) + 1
	}
	z := make([]uint64, n)
	for range 2 {
		for c := n - 1; c >= 0; c-- {
			p := pivot[c]
			if p < 0 {
				z[c] = draw()
				continue
			}
			var s uint64
			for _, e := range rows[p][1:] {
				s = (s + mulMod(e.v, z[e.col])) % auditPrime
			}
			z[c] = subMod(0, s)
		}
		for c, v := range z {
			if v != 0 {
				pinned[c] = false
			}
		}
	}
	var out []ref
	for c, x := range unknowns {
		if pinned[c] {
			out = append(out, x)
		}
	}
	return out
}
