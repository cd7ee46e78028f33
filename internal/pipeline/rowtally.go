package pipeline

import "slices"

// rowTally counts settled rows by what the summary counts them under —
// an excluded row's reason (and, when the reason is the destinations'
// own, each destination's: ownReasons), a used row's skipped
// destinations — and adds the counts to the summary once, in flush.
//
// Why: counting each row straight into the summary's string-keyed maps
// was up to five map updates an excluded row (Excluded, ownOut, and
// LeftOut's two levels per destination), about 1,000 instructions a row
// on the settler's one goroutine after the read, where nothing runs beside
// it but the sink (issue 29, session 24). The kinds of row are few — a
// reason and a skip per destination, from short fixed lists — so they are
// found by a comparison or two in a short slice, the last one first.
//
// At most tallyKinds kinds are kept; a row of any other kind is counted
// into the summary as it comes (add returns false), so memory stays flat
// whatever the export holds.
type rowTally struct {
	kinds []tallyKind
	// skips holds each kind's skips, nplat a kind, for the kinds whose
	// skips are counted (own reasons, used rows); "" for the others.
	skips []string
	nplat int
	last  int // the kind the last row was
	// drops counts the held drops (tally.drop: a key and its column) by
	// kind, as the rows' kinds are: a map update, a cut and a search of
	// the column's list each (settler.dropped).
	drops []tallyDrop
}

type tallyDrop struct {
	d string
	n int
}

type tallyKind struct {
	reason string
	own    bool // the reason is every destination's own: skips count
	n      int
}

// tallyKinds bounds the kinds a rowTally keeps. Real exports show a
// handful (the bench export: 7).
const tallyKinds = 64

// skipped counts a used row's skipped destinations (Summary.Skip).
func (s *settler) skipped(skips []string) {
	if !slices.ContainsFunc(skips, isSkip) || s.tally.add("", skips) {
		return
	}
	for j, p := range s.platforms {
		if skips[j] != "" {
			s.sum.Skip(p.String(), skips[j])
		}
	}
}

func isSkip(sk string) bool { return sk != "" }

// add counts a settled row: reason "" for a used row (counted only when
// a destination skipped it), else an excluded one. It returns false when
// the row is of a kind the tally has no room for: the caller counts it.
func (t *rowTally) add(reason string, skips []string) bool {
	own := reason != "" && ownReasons(reason, skips)
	if t.last < len(t.kinds) && t.is(t.last, reason, own, skips) {
		t.kinds[t.last].n++
		return true
	}
	for i := range t.kinds {
		if t.is(i, reason, own, skips) {
			t.kinds[i].n++
			t.last = i
			return true
		}
	}
	if len(t.kinds) == tallyKinds {
		return false
	}
	t.nplat = len(skips) // the enabled destinations': the same every row
	t.kinds = append(t.kinds, tallyKind{reason: reason, own: own, n: 1})
	for j := range t.nplat {
		sk := ""
		if own || reason == "" {
			sk = skips[j]
		}
		t.skips = append(t.skips, sk)
	}
	t.last = len(t.kinds) - 1
	return true
}

// drop counts a held drop; false when the tally has no room for it.
func (t *rowTally) drop(d string) bool {
	for i := range t.drops {
		if t.drops[i].d == d {
			t.drops[i].n++
			return true
		}
	}
	if len(t.drops) == tallyKinds {
		return false
	}
	t.drops = append(t.drops, tallyDrop{d: d, n: 1})
	return true
}

// is reports whether kind i is a row of reason whose skips are skips.
func (t *rowTally) is(i int, reason string, own bool, skips []string) bool {
	k := &t.kinds[i]
	if k.reason != reason || k.own != own {
		return false
	}
	if reason != "" && !own {
		return true // the row's reason, whatever its destinations'
	}
	for j, sk := range t.skips[i*t.nplat : (i+1)*t.nplat] {
		if sk != skips[j] {
			return false
		}
	}
	return true
}

// flush adds the counts to sum, as counting each row as it came would
// have (settler.exclude, settler.count), and empties the tally.
func (t *rowTally) flush(s *settler) {
	for i, k := range t.kinds {
		skips := t.skips[i*t.nplat : (i+1)*t.nplat]
		if k.reason == "" {
			for j, p := range s.platforms {
				if skips[j] != "" {
					s.sum.SkipN(p.String(), skips[j], k.n)
				}
			}
			continue
		}
		s.excludeN(k.reason, k.own, skips, k.n)
	}
	for _, d := range t.drops {
		s.droppedN(d.d, d.n)
	}
	t.kinds, t.skips, t.last, t.drops = t.kinds[:0], t.skips[:0], 0, t.drops[:0]
}

// excludeN counts n excluded rows of one reason (settler.exclude).
func (s *settler) excludeN(reason string, own bool, skips []string, n int) {
	s.sum.Excluded[reason] += n
	if !own {
		return // the row's reason is every destination's: leaveOutTheRest
	}
	if s.ownOut == nil {
		s.ownOut = map[string]int{}
	}
	s.ownOut[reason] += n
	for j, p := range s.platforms {
		s.sum.LeaveOutN(p.String(), skips[j], n)
	}
}
