package pipeline

import (
	"fmt"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
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
				prior, nights = tonight.Kept(prior, false), nights.Next(tonight, "")
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

// TestKeyVerdictsAreStrange: the table a run looks rows up in says what
// strange says, for every kind and length, over kept shapes of both
// forms, empty, small and past keyEvidence, with lone outliers, a kind
// with no share and keys longer than keyLens.
func TestKeyVerdictsAreStrange(t *testing.T) {
	shapes := []KeyShape{{}, keysShape("500", "501", "M70001", "M70002"), keysShape(append(nKeys("A%05d", 10000, 30), "A123456", "AB1234", "x-1", "W01")...)}
	for _, text := range []string{"3:300,3,13", "0:900,3,6;3:3000,5,7;6:40,6,6", "3:40,6,40;11:2,9,9", "0:26,3,4;3:24,6,7", "3:6=300/7=20/9=25/31=4/32=40;5:2=1;9:4=50"} {
		var s KeyShape
		if err := s.UnmarshalText([]byte(text)); err != nil {
			t.Fatal(err)
		}
		shapes = append(shapes, s, keysShape(nKeys("B%04d", 1, 12)...).Kept(s, false))
	}
	for _, s := range shapes {
		v, stranger := s.verdicts(), 0
		for kind := range keyKinds {
			for l := range keyLens {
				if v[kind][l] != s.strange(kind, l) {
					t.Errorf("%v: kind %d length %d: table %v, strange %v", s.Lens, kind, l, v[kind][l], !v[kind][l])
				}
				if v[kind][l] {
					stranger++
				}
			}
		}
		if stranger == 0 || stranger == keyKinds*keyLens && s.Total() > 0 {
			t.Errorf("%v: %d of %d strange, a shape that tells nothing apart", s.Lens, stranger, keyKinds*keyLens)
		}
	}
	cfg := config.Defaults()
	cfg.Input.Columns.PatientKey = "pid"
	prior := IDShape{Keys: shapes[3]}
	if g := keyGate(Options{Config: &cfg, PriorIDs: &prior}); g.strange == nil || *g.strange != *shapes[3].verdicts() {
		t.Error("the run's gate does not look up its kept shape's verdicts")
	}
}
