package ledger

import (
	"math"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestSortedKeys: a sorted array answers exactly, whole or packed (its
// keys' low 48 bits, the rest in the index: ownSortedKeys from packMin up).
func TestSortedKeys(t *testing.T) {
	for _, packed := range []bool{false, true} {
		t.Run(map[bool]string{false: "whole", true: "packed"}[packed], func(t *testing.T) {
			defer func(n int) { packMin = n }(packMin)
			if packed {
				packMin = 1
			}
			testSortedKeys(t, packed)
		})
	}
}

func testSortedKeys(t *testing.T, packed bool) {
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
			// Keys that differ only in their top 16 bits, or only in
			// their low 48, or in one bit of either half.
			k := r.Uint64()
			for _, x := range []uint64{k, k ^ 1<<63, k ^ 1<<48, k ^ 1<<47, k ^ 1, k | (1<<48 - 1)} {
				keys = append(keys, x)
				in[x] = true
			}
		}
		var s *sortedKeys
		if packed {
			own := keyset.NewKeys(len(keys))
			for _, k := range keys {
				own.Append(k)
			}
			s = ownSortedKeys(own)
			if n > 0 && s.packed == nil {
				t.Fatalf("n=%d: not packed", n)
			}
		} else {
			s = newSortedKeys(keys)
		}
		for k := range in {
			if ok, err := s.Has(k); !ok || err != nil {
				t.Fatalf("n=%d: key %x lost (%v)", n, k, err)
			}
		}
		for i := 0; i < 10000; i++ {
			k := r.Uint64()
			if i%4 == 0 && len(keys) > 0 {
				// A key present with one bit flipped: the same bucket,
				// or the same low bits in another bucket.
				k = keys[i%len(keys)] ^ 1<<(i%64)
			}
			if ok, _ := s.Has(k); ok != in[k] {
				t.Fatalf("n=%d: key %x: has %v, want %v", n, k, ok, in[k])
			}
		}
		s.Close()
		// After Close the packed index is memory handed back: a lookup
		// is an error, never a read of it (which faulted, unrecoverably).
		if ok, err := s.Has(1); ok || err == nil {
			t.Fatalf("n=%d: Has after Close: %v, %v; want an error", n, ok, err)
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
