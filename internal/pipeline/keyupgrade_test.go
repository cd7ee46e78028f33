package pipeline

import (
	"fmt"
	"testing"
)

// TestAnUpgradeReadsAWideOldRange: a ledger of 2026-12-06 keeps a kind
// of key as "n,min,max"; a typo widened its range to 3–13. Before, its
// keys spread under a tenth on each length, every key of the kind
// departed, and the first ordinary night after upgrading stopped (40 of
// 40 unlike) and taught nothing, so every night after it did too. Now
// the ordinary nights pass, the shape learns them, and a renumbering
// still stops: a new kind, or the kind two lengths past the old range.
func TestAnUpgradeReadsAWideOldRange(t *testing.T) {
	for _, c := range []struct {
		text string
		past int // a length two past the old range
	}{{"3:300,3,13", 15}, {"3:50000,3,13", 15}, {"3:40,6,30", 32}, {"0:900,3,6;3:3000,5,24", 26}} {
		text := c.text
		t.Run(text, func(t *testing.T) {
			var prior KeyShape
			if err := prior.UnmarshalText([]byte(text)); err != nil {
				t.Fatal(err)
			}
			var nights KeyNights
			for night := range 3 {
				tonight := keysShape(nKeys("A%05d", 10000+100*night, 40)...)
				if err := judgeNight(prior, nights, tonight); err != nil {
					t.Fatalf("ordinary night %d: %d of 40 unlike, stopped: %v", night+1, prior.departing(&tonight), err)
				}
				prior, nights = tonight.Kept(prior, false), nights.Next(tonight)
			}
			for _, format := range []string{"MRN-%05d", "AB%05d", fmt.Sprintf("A%%0%dd", c.past-1)} {
				renumbered := keysShape(nKeys(format, 1, 40)...)
				if judgeNight(prior, nights, renumbered) == nil {
					t.Errorf("a new numbering %q passed over %v", format, prior.Lens[3])
				}
			}
		})
	}
}

// TestOldRangeIsNoWiderThanItWas: every length the 2026-12-06 form passed
// (min-1 to max+1) of a kind of many keys passes as read, for ranges of
// up to 17 lengths, min to max for up to 27; two lengths past them
// departs, as then.
func TestOldRangeIsNoWiderThanItWas(t *testing.T) {
	for w := 1; w <= 27; w++ {
		for _, n := range []int{300, 1001, 50000} {
			var s KeyShape
			if err := s.UnmarshalText(fmt.Appendf(nil, "3:%d,3,%d", n, 3+w-1)); err != nil || s.kindN(3) != n {
				t.Fatalf("w %d n %d: %d keys read (%v)", w, n, s.kindN(3), err)
			}
			lo, hi := 3, 3+w-1
			if w <= 17 {
				lo, hi = lo-1, hi+1
			}
			for l := lo; l <= hi; l++ {
				if s.strange(3, l) {
					t.Errorf("range of %d lengths, %d keys: length %d departs", w, n, l)
				}
			}
			if !s.strange(3, 1) || (3+w+1 < keyLens && !s.strange(3, 3+w+1)) {
				t.Errorf("range of %d lengths, %d keys: two lengths past it passes", w, n)
			}
		}
	}
}
