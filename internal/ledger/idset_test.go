package ledger

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

func TestSortedKeys(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 7, 1000, 100000} {
		in := map[uint64]bool{}
		keys := []uint64{}
		for len(keys) < n {
			k := r.Uint64()
			keys = append(keys, k, k) // duplicates are allowed
			in[k] = true
		}
		if n > 0 {
			keys = append(keys, 0, math.MaxUint64) // both ends of the index
			in[0], in[math.MaxUint64] = true, true
		}
		s := newSortedKeys(keys)
		for k := range in {
			if ok, _ := s.Has(k); !ok {
				t.Fatalf("n=%d: key %x lost", n, k)
			}
		}
		for i := 0; i < 10000; i++ {
			k := r.Uint64()
			if ok, _ := s.Has(k); ok != in[k] {
				t.Fatalf("n=%d: key %x: has %v, want %v", n, k, ok, in[k])
			}
		}
	}
}

// TestBigWindowUsesBoundedSet loads a window larger than the sorted array
// may hold: the keyset path must answer the same.
func TestBigWindowUsesBoundedSet(t *testing.T) {
	defer func(v int64) { maxSortedKeys = v }(maxSortedKeys)
	maxSortedKeys = 100
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	ids := evIDs("W", 300)
	send(t, l, "run", meta, ids[:150], StateAccepted, "")
	send(t, l, "run", meta, ids[150:200], StateRejected, "x")
	dests := map[platform.Platform]Destination{platform.Meta: meta}
	if n := filterPasses(t, l, dests, platform.Meta, t0, ids); n != 150 {
		t.Fatalf("passed %d, want 150", n)
	}
	send(t, l, "run", meta, ids[150:], StateAccepted, "")
	if n := filterPasses(t, l, dests, platform.Meta, t0, ids); n != 0 {
		t.Fatalf("passed %d, want 0", n)
	}
}
