package channels

import (
	"math"
	"slices"
)

// The suppression's engine: grids tied by relations. A relation is an
// additive one the printed figures obey — a grid's own lines (channels
// to Total, paid channels to Paid, Total less Paid to the channels
// without a platform, periods to the window) and those across grids
// within one line and span (visits = new + returning visits, bookings =
// what became of them, new patients = new-patient visits; revenue = new +
// returning revenue). Every relation is a sum a reader can subtract in,
// so rule 3 holds on each, and the audit (audit.go) solves them all at
// once for what no single relation shows.

// ref is one cell of one grid of an sdc.
type ref struct{ m, r, c int }

// relation: the members add up to the margin.
type relation struct {
	members []ref
	margin  ref
}

// sdc is the grids of one suppression — the counts', or the amounts' —
// and the relations among them.
type sdc struct {
	gs []*grid
	// parents[m] lists the grids whose suppressed cells hide m's (rule 2).
	parents [][]int
	// own[m] are grid m's lines; cross the relations across grids.
	own   [][]relation
	cross []relation
	// rels is every relation (own, then cross); of lists, per cell, the
	// relations it is in.
	rels []relation
	of   map[ref][]int
	buf  []ref // needs' scratch
	// crossFree is versions()+1 when the relations across grids last
	// needed nothing.
	crossFree int
	// nestBelow: a cell withheld with a value below it withholds its
	// parts (rule 2) — a small count, or a part of one; a count withheld
	// to protect another is at least k (or zero), and its parts may print.
	nestBelow float64
	// enough says whether withheld members that a printed margin lets a
	// reader add up together are safe to print as that sum (counts: at
	// least k; amounts: not mostly one patient's).
	enough func(hidden []ref) bool
}

func newSDC(gs []*grid, parents [][]int, nestBelow float64, cross []relation, enough func([]ref) bool) *sdc {
	t := &sdc{gs: gs, parents: parents, nestBelow: nestBelow, own: make([][]relation, len(gs)), cross: cross, enough: enough, of: map[ref][]int{}}
	for m, g := range gs {
		if g == nil {
			continue
		}
		for _, l := range g.lines() {
			rel := relation{margin: ref{m, l[len(l)-1][0], l[len(l)-1][1]}}
			for _, x := range l[:len(l)-1] {
				rel.members = append(rel.members, ref{m, x[0], x[1]})
			}
			t.own[m] = append(t.own[m], rel)
		}
	}
	t.rels = t.all()
	for i, rel := range t.rels {
		for _, x := range append(append([]ref(nil), rel.members...), rel.margin) {
			t.of[x] = append(t.of[x], i)
		}
	}
	return t
}

// all lists every relation: the grids' own, then those across them.
func (t *sdc) all() []relation {
	var out []relation
	for _, o := range t.own {
		out = append(out, o...)
	}
	return append(out, t.cross...)
}

// loss is what withholding x takes from the reader: its value — the
// smaller count is the cheaper to give up.
func (t *sdc) loss(x ref) float64 { return max(t.gs[x.m].v[x.r][x.c], 0) }

// versions sums the grids' versions: it changes when any cell is hidden.
func (t *sdc) versions() int {
	n := 0
	for _, g := range t.gs {
		if g != nil {
			n += g.version
		}
	}
	return n
}

func (t *sdc) ok(x ref) bool         { return t.gs[x.m].ok[x.r][x.c] }
func (t *sdc) suppressed(x ref) bool { return t.gs[x.m].suppressed(x.r, x.c) }
func (t *sdc) hide(x ref) bool       { return t.gs[x.m].hide(x.r, x.c) }

// run applies rules 2–4 and the audit until nothing changes. Per grid in
// order, as before relations crossed grids: parents first, so a cell
// hidden to protect a small booking count is hidden in visits before
// visits look for partners; then the relations across grids; then the
// audit of everything together.
func (t *sdc) run() {
	all := t.rels
	for changed := true; changed; {
		changed = false
		for m, g := range t.gs {
			if g == nil {
				continue
			}
			for _, p := range t.parents[m] {
				up := t.gs[p]
				if up == nil {
					continue
				}
				for r := range g.rows {
					for c := range g.cols {
						if up.suppressed(r, c) && up.v[r][c] < t.nestBelow && g.hide(r, c) {
							changed = true
						}
					}
				}
			}
			for {
				step := false
				if g.linesFree != g.version+1 {
					if step = t.protect(t.own[m]); !step {
						g.linesFree = g.version + 1 // nothing to do until a cell is hidden
					}
				}
				if !step && g.twoD && g.bridgeFree != g.version+1 {
					if step = g.breakBridge(); !step {
						g.bridgeFree = g.version + 1 // no bridge until a cell is hidden
					}
				}
				if !step {
					break
				}
				changed = true
			}
		}
		if changed || t.crossFree != t.versions()+1 && t.protect(t.cross) {
			changed = true
			continue
		}
		t.crossFree = t.versions() + 1
		if d := t.determined(all); len(d) > 0 {
			changed = t.hidePartner(all, d[0])
		}
	}
}

// protect applies rule 3 to the first relation that needs it and
// reports whether it hid anything. A relation whose margin does not
// exist (Total clicks: the platforms' clicks are never summed) ties
// nothing a reader can see.
func (t *sdc) protect(rels []relation) bool {
	for i := range rels {
		rel := &rels[i]
		fix, ok := t.needs(rel, ref{m: -1})
		if !ok {
			continue
		}
		if best, ok := t.cheapest(rel, fix); ok {
			t.hide(best)
			return true
		}
		if t.hide(rel.margin) {
			return true
		}
		for _, x := range rel.members { // only printed zeros are left
			if t.hide(x) {
				return true
			}
		}
	}
	return false
}

// needs says whether rel breaks rule 3 — with also withheld, when it is
// a cell (m ≥ 0) — and what mends it: zeroOK when the withheld figures
// are safe together and only their number is short (a withheld zero
// beside the one makes two unknowns of one sum).
func (t *sdc) needs(rel *relation, also ref) (zeroOK, broken bool) {
	if !t.ok(rel.margin) {
		return false, false
	}
	hidden := t.buf[:0]
	for _, x := range rel.members {
		if t.ok(x) && (t.suppressed(x) || x == also) {
			hidden = append(hidden, x)
		}
	}
	t.buf = hidden
	n := len(hidden)
	mh := t.suppressed(rel.margin) || rel.margin == also
	if mh {
		n++
	}
	safe := mh || t.enough(hidden)
	if n == 0 || n >= 2 && safe {
		return false, false
	}
	return n == 1 && safe, true
}

// cheapest returns the printed member of rel to withhold beside its
// withheld ones: the one whose loss costs least — its own value and, one
// step ahead, what the other relations it is in would then need withheld
// too (withholding a returning visit where new-patient visits are printed
// costs those) — preferring the earliest on ties. A printed zero is a
// candidate when that is enough (zeroOK).
func (t *sdc) cheapest(rel *relation, zeroOK bool) (ref, bool) {
	best, found, bestCost := ref{}, false, 0.0
	for _, x := range append(append([]ref(nil), rel.members...), rel.margin) {
		g := t.gs[x.m]
		if !g.ok[x.r][x.c] || g.suppressed(x.r, x.c) || g.v[x.r][x.c] < 0 || g.v[x.r][x.c] == 0 && !zeroOK {
			continue
		}
		cost := t.loss(x) + t.knockOn(rel, x)
		if !found || cost < bestCost {
			best, found, bestCost = x, true, cost
		}
	}
	return best, found
}

// knockOn is what withholding x would cost in x's other relations: for
// each that it would break, its cheapest mend — the printed cell of least
// loss left in it; with none, withholding zeros, which settles nothing:
// dearer than any figure. A relation already broken that x mends counts
// the other way: withholding x spares that mend.
func (t *sdc) knockOn(rel *relation, x ref) float64 {
	cost := 0.0
	for _, i := range t.of[x] {
		other := &t.rels[i]
		if other.margin == rel.margin && slices.Equal(other.members, rel.members) {
			continue
		}
		_, before := t.needs(other, ref{m: -1})
		_, after := t.needs(other, x)
		if before == after {
			continue
		}
		mend := math.Inf(1)
		for _, y := range append(append([]ref(nil), other.members...), other.margin) {
			g := t.gs[y.m]
			if y != x && g.ok[y.r][y.c] && !g.suppressed(y.r, y.c) && g.v[y.r][y.c] > 0 {
				mend = min(mend, t.loss(y))
			}
		}
		if after {
			cost += mend
		} else if !math.IsInf(mend, 1) {
			cost -= mend
		}
	}
	return cost
}

// smallestShown returns the printed member with the smallest non-zero
// value (the cheapest to give up), preferring the earliest on ties.
func (t *sdc) smallestShown(xs []ref) (ref, bool) {
	best, found := ref{}, false
	for _, x := range xs {
		g := t.gs[x.m]
		if !g.ok[x.r][x.c] || g.suppressed(x.r, x.c) || g.v[x.r][x.c] <= 0 {
			continue
		}
		if !found || g.v[x.r][x.c] < t.gs[best.m].v[best.r][best.c] {
			best, found = x, true
		}
	}
	return best, found
}

// hidePartner hides a printed cell near x, which the relations
// determine: the smallest printed non-zero one of x's relations, else a
// printed zero there, else the same one step further out (through the
// withheld cells of those relations), and so on.
func (t *sdc) hidePartner(all []relation, x ref) bool {
	seen := map[ref]bool{x: true}
	frontier := []ref{x}
	for len(frontier) > 0 {
		var near, next []ref
		for _, y := range frontier {
			for _, i := range t.of[y] {
				rel := all[i]
				if !t.ok(rel.margin) {
					continue
				}
				for _, z := range append(append([]ref(nil), rel.members...), rel.margin) {
					if seen[z] || !t.ok(z) {
						continue
					}
					seen[z] = true
					if t.suppressed(z) {
						next = append(next, z)
					} else {
						near = append(near, z)
					}
				}
			}
		}
		if best, ok := t.smallestShown(near); ok {
			return t.hide(best)
		}
		for _, z := range near {
			if t.hide(z) {
				return true
			}
		}
		frontier = next
	}
	return false
}

// countRelations are the relations across the count grids, per line and
// span: visits = new + returning visits (as printed: returning visits
// are printed as visits less new ones), bookings = visits + no-shows +
// cancellations + pending + unclassified (every booking is exactly one of
// them; an outcome the config has no statuses for is none), new patients
// = new-patient visits (one first visit each). A relation with a grid
// left out (tests), or a part that does not exist, is not made.
func countRelations(gs *[numMeasures]*grid) []relation {
	splits := [][]measure{
		{mVisits, mNewVisits, mReturningVisits},
		{mNewPatients, mNewVisits},
		{mBookings, mVisits, mNoShows, mCancellations, mPending, mUnclassified},
	}
	var out []relation
	for _, s := range splits {
		if slices.ContainsFunc(s, func(m measure) bool { return gs[m] == nil }) {
			continue
		}
		g := gs[s[0]]
		for c := range g.cols {
			for r := range g.rows {
				rel := relation{margin: ref{int(s[0]), r, c}}
				whole := g.ok[r][c]
				for _, m := range s[1:] {
					switch {
					case gs[m].ok[r][c]:
						rel.members = append(rel.members, ref{int(m), r, c})
					case s[0] != mBookings:
						whole = false // visits without new ones: no patient key
					}
				}
				if whole && len(rel.members) > 0 {
					out = append(out, rel)
				}
			}
		}
	}
	return out
}
