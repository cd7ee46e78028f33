package pipeline

import (
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestScreenLeavesAPlatformOpen: a row that process takes past the consent
// value (stage past stagePre) always has a platform open (o.open != 0).
// screen returns "" only when decided() finds a platform whose skip is ""
// and sets that platform's bit in o.open, and nothing after screen clears
// it; withdraw.apply, which would exclude a row left with none open,
// relies on it. Settling ahead had a fallback for such a row settled
// before any withdrawal (ahead.risky: settle every row again at the end);
// this test, over the wide exports and every configuration of
// TestSettleAheadWide (with dated revocations read as such too), is why
// it was deleted as unreachable.
func TestScreenLeavesAPlatformOpen(t *testing.T) {
	past := 0
	for v := range uint64(128) {
		bits := v<<3 | v&7 // every combination of the upper six bits, the lower three in turn
		c := caseOf(bits)
		rng := rand.New(rand.NewPCG(bits, 31))
		orders, patients := 20+rng.IntN(300), 5+rng.IntN(150)
		cfg, whole, rev, err := c.options(rng, orders, patients)
		if err != nil {
			t.Fatalf("%v: %v", c, err)
		}
		cfg.Consent.RevokedAllowsEarlier = rng.IntN(2) == 0
		in := wideExport(rng, 100+rng.IntN(200), orders, patients, []int{2, 20, 300}[bits%3])
		opt := Options{Config: cfg, Whole: whole, Revocations: rev, Key: "k", Input: strings.NewReader(in), InputName: "t.csv", Now: bookingNow}
		rd, err := Open(opt)
		if err != nil {
			t.Fatal(err)
		}
		r := newRunner(cfg, opt)
		var o outcome
		for {
			row, err := rd.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if err := r.process(row, &o); err != nil {
				t.Fatalf("%v, line %d: %v", c, row.Line, err)
			}
			if o.stage == stagePre {
				continue
			}
			past++
			if o.open == 0 {
				t.Fatalf("%v, line %d: stage %d with no platform open (skips %q): a row settled ahead before any withdrawal would not stand",
					c, row.Line, o.stage, r.skip)
			}
		}
	}
	if past == 0 {
		t.Fatal("no row got past the consent value: the test proves nothing")
	}
}
