package channels

import (
	"math"
	"testing"
)

// TestContributionDrawIsTheMacWithoutAllocating: the draw of a
// contribution's share, built in the releaser's buffer, is the keyed hash
// of (tag, who, amount) that mac gives for the same
// parts, so every figure stays what it was; and it allocates nothing.
func TestContributionDrawIsTheMacWithoutAllocating(t *testing.T) {
	r := &releaser{key: testKey}
	for _, c := range []struct {
		tag string
		who uint64
		v   float64
	}{{"amount", 1, 1500}, {"lead", 0xfeedface, 3}, {"amount", math.MaxUint64, 0.25}} {
		if got, want := r.contributionDraw(c.tag, c.who, c.v), r.mac([]byte(c.tag), u64(c.who), u64(math.Float64bits(c.v))); got != want {
			t.Errorf("%+v: draw %x, mac %x", c, got, want)
		}
	}
	if n := testing.AllocsPerRun(100, func() { r.contributionShare("amount", 7, 1500) }); n != 0 {
		t.Errorf("contributionShare allocates %v times a contribution", n)
	}
}
