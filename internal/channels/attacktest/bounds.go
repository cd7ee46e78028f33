package attacktest

// The bounds attacker: a reader who knows the release rule's noise is
// bounded and that counts are non-negative integers, and reasons with
// bounds rather than equations. Solve cannot see this leak: under a rule
// whose noise is at most ±1, a month released as m and its parts
// released each at the top of their range, while the month drew −1, leave
// one solution only — Σ(part − 1) = m + 1 — and every part is pinned,
// though no equation pins it. Interval propagation (bound tightening, the
// presolve of every integer-programming solver) finds such pins:
//
//   - unknowns are integer variables with a range: atoms (a channel's
//     count over a stretch of days, ≥ 0) and noise terms (the rule's
//     bounds, e.g. −1…+1; one variable per draw, so a draw that several
//     figures share is one variable in all of them);
//   - each printed figure is a constraint lo ≤ Σ coef·var ≤ hi (a printed
//     figure: lo = hi; "<5": 1…4);
//   - each constraint in turn narrows every variable in it to what the
//     others' ranges allow, rounded inwards to integers, until nothing
//     changes.
//
// Every narrowing follows from the constraints, so the ranges always
// hold the truth (the tests check that they do: a range that loses the
// truth is a model of the rule that is wrong, not a clever reader), and a
// variable whose range closes to one value is pinned — a reader can state
// it exactly. Propagation is not complete: a pin that needs search
// (branching on a variable) can escape it. What it misses, a stronger
// reader might find; what it finds is real.

// Inf is the upper end of an unbounded variable: far above any count or
// amount in cents, small enough that sums of a few thousand terms stay
// within int64.
const Inf int64 = 1 << 44

// Term is coef × variable.
type Term struct {
	Var  int
	Coef int64
}

type constraint struct {
	terms  []Term
	lo, hi int64
}

// Bounds is a reader's system of ranges and constraints.
type Bounds struct {
	lo, hi []int64
	cons   []constraint
	uses   [][]int // constraints per variable
	// Rounds caps the sweeps over the constraints (a range narrowed by
	// one per sweep would take Inf of them); stopping early is sound,
	// only weaker. Zero means 1000.
	Rounds int
}

// Var adds a variable with range lo…hi and returns its id.
func (b *Bounds) Var(lo, hi int64) int {
	b.lo = append(b.lo, lo)
	b.hi = append(b.hi, hi)
	b.uses = append(b.uses, nil)
	return len(b.lo) - 1
}

// Constrain adds lo ≤ Σ terms ≤ hi.
func (b *Bounds) Constrain(terms []Term, lo, hi int64) {
	id := len(b.cons)
	b.cons = append(b.cons, constraint{terms: terms, lo: lo, hi: hi})
	for _, t := range terms {
		b.uses[t.Var] = append(b.uses[t.Var], id)
	}
}

// Range is what the reader knows of variable v: lo ≤ v ≤ hi.
func (b *Bounds) Range(v int) (lo, hi int64) { return b.lo[v], b.hi[v] }

// Pinned says whether the reader knows v exactly.
func (b *Bounds) Pinned(v int) bool { return b.lo[v] == b.hi[v] }

// SumRange is a sound range of Σ terms from the variables' ranges.
func (b *Bounds) SumRange(terms []Term) (lo, hi int64) {
	for _, t := range terms {
		l, h := t.Coef*b.lo[t.Var], t.Coef*b.hi[t.Var]
		if t.Coef < 0 {
			l, h = h, l
		}
		lo, hi = lo+l, hi+h
	}
	return lo, hi
}

// Propagate narrows the ranges to a fixpoint (or Rounds sweeps). It
// returns false when the constraints contradict each other: no values of
// the variables meet them all.
func (b *Bounds) Propagate() bool {
	rounds := b.Rounds
	if rounds <= 0 {
		rounds = 1000
	}
	queued := make([]bool, len(b.cons))
	queue := make([]int, 0, len(b.cons))
	for i := range b.cons {
		queue = append(queue, i)
		queued[i] = true
	}
	// A sweep is one pass over the queue as it stands.
	for r := 0; r < rounds && len(queue) > 0; r++ {
		var next []int
		cur := queue
		for _, ci := range cur {
			queued[ci] = false
		}
		for _, ci := range cur {
			c := &b.cons[ci]
			lo, hi := b.SumRange(c.terms)
			if lo > c.hi || hi < c.lo {
				return false
			}
			for _, t := range c.terms {
				// The others' sum lies in [lo − own, hi − own], so
				// coef·v ∈ [c.lo − (hi − ownHi), c.hi − (lo − ownLo)].
				ownLo, ownHi := t.Coef*b.lo[t.Var], t.Coef*b.hi[t.Var]
				if t.Coef < 0 {
					ownLo, ownHi = ownHi, ownLo
				}
				least, most := c.lo-(hi-ownHi), c.hi-(lo-ownLo)
				var nlo, nhi int64
				if t.Coef > 0 {
					nlo, nhi = ceilDiv(least, t.Coef), floorDiv(most, t.Coef)
				} else {
					nlo, nhi = ceilDiv(most, t.Coef), floorDiv(least, t.Coef)
				}
				changed := false
				if nlo > b.lo[t.Var] {
					b.lo[t.Var], changed = nlo, true
				}
				if nhi < b.hi[t.Var] {
					b.hi[t.Var], changed = nhi, true
				}
				if b.lo[t.Var] > b.hi[t.Var] {
					return false
				}
				if changed {
					// Recompute this constraint's sum range for the
					// terms after this one, and requeue the others.
					lo, hi = b.SumRange(c.terms)
					for _, o := range b.uses[t.Var] {
						if !queued[o] {
							queued[o] = true
							next = append(next, o)
						}
					}
				}
			}
		}
		queue = next
	}
	return true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func ceilDiv(a, b int64) int64 { return -floorDiv(-a, b) }
