package pipeline

import (
	"slices"
	"strings"
)

// Each destination's own reasons. A row every destination left out is
// counted once, under the first destination's reason (Summary.Excluded),
// so that rows read add up to rows used plus excluded; when that reason
// was the first destination's own and the others had theirs (Google's
// no_click_id beside Meta's weak_identifiers), each destination's is
// counted too (Summary.LeftOut), as `hashgate check` judges each by its
// own. Dropped identifiers carry the configured column they were read
// from, which the summary names beside them.

// columnSep parts a held drop's key from the header name it was read from
// (tally.drop): U+001F is in no platform, field or reason name, so the
// first one ends the key whatever the header holds.
const columnSep = "\x1f"

// ownReasons reports whether an excluded row's reason is the first
// destination's own, every destination having its own (decided, or a
// withdrawal that left none open): the destinations may differ. Any
// other reason — a malformed row, a date, a status, a duplicate, a
// withdrawn patient — is the row's, whatever its destinations.
func ownReasons(reason string, skips []string) bool {
	return reason != "" && len(skips) > 0 && reason == skips[0] && !slices.Contains(skips, "")
}

// reasonFor is why destination i left the row out, "" when it got a
// conversion.
func reasonFor(reason string, skips []string, i int) string {
	if reason == "" || ownReasons(reason, skips) {
		return skips[i]
	}
	return reason
}

// ReasonFor returns why the row was not sent to Platforms[i], by that
// platform's own reason, or "" when a conversion was made for it.
func (o Outcome) ReasonFor(i int) string { return reasonFor(o.Reason, o.Skipped, i) }

// exclude counts an excluded row: once under its reason, and for each
// destination under that destination's own.
//
// A row every destination left out for the row's own reason — nearly
// every excluded row — is counted for each destination once, in
// leaveOutTheRest, from Excluded: counting it per destination as it came
// was four map updates a row, which callgrind counted on the dry-run's hot
// path (issue 29). Only rows whose destinations had reasons of their own
// are counted here, and noted in ownOut so that the rest is Excluded less
// them.
//
// Rows are counted in s.tally first, and added to the summary from there
// in leaveOutTheRest (rowtally.go).
func (s *settler) exclude(reason string, skips []string) {
	if !s.tally.add(reason, skips) {
		s.excludeN(reason, ownReasons(reason, skips), skips, 1)
	}
}

// leaveOutTheRest counts, for each destination, the excluded rows whose
// reason was every destination's (exclude). The settler is the only
// writer of Excluded, once per run: called once, from close.
func (s *settler) leaveOutTheRest() {
	s.tally.flush(s) // first: the rest is Excluded less ownOut
	for reason, n := range s.sum.Excluded {
		if n -= s.ownOut[reason]; n > 0 {
			for _, p := range s.platforms {
				s.sum.LeaveOutN(p.String(), reason, n)
			}
		}
	}
}

// dropped counts a held drop (tally.drop) under its key, and the column
// it was read from when it has one.
// Counted in s.tally first (rowtally.go), as exclude's rows are.
func (s *settler) dropped(d string) {
	if !s.tally.drop(d) {
		s.droppedN(d, 1)
	}
}

func (s *settler) droppedN(d string, n int) {
	key, column, _ := strings.Cut(d, columnSep)
	s.sum.Dropped[key] += n
	if column != "" {
		s.sum.DropColumn(key, column)
	}
}
