package keyset

import (
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestRepeatsFindsTheKeysAddedTwice: the keys added more than once — in
// one array, across arrays spilled to disk, or both — and no other, for
// any number of spills, against a map of every key's count.
func TestRepeatsFindsTheKeysAddedTwice(t *testing.T) {
	for _, chunk := range []uint64{1 << 6, 1 << 8, 1 << 18} {
		restore := ShrinkDefaults(Sizes{TableSlots: chunk, BloomBits: 1 << 12})
		for seed := range uint64(4) {
			rng := rand.New(rand.NewPCG(seed, chunk))
			n := []int{0, 1, 500, 5000}[seed]
			count := map[uint64]int{}
			r := NewRepeats(t.TempDir())
			for range n {
				k := rng.Uint64N(uint64(n)*2 + 1) // about a third repeat
				count[k]++
				if err := r.Add(k); err != nil {
					t.Fatal(err)
				}
			}
			spilled := len(r.runs)
			set, err := r.Finish()
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for k, c := range count {
				got, err := set.Has(k)
				if err != nil {
					t.Fatal(err)
				}
				if got != (c > 1) {
					t.Fatalf("chunk %d, seed %d: key %d added %d times: repeated %v", chunk, seed, k, c, got)
				}
				if c > 1 {
					want++
				}
			}
			if set.Len() != want {
				t.Errorf("chunk %d, seed %d: %d keys repeated, want %d", chunk, seed, set.Len(), want)
			}
			if chunk == 1<<6 && n >= 500 && spilled == 0 {
				t.Errorf("chunk %d, %d keys: nothing spilled", chunk, n)
			}
			// Runs merge as they come: about log2 of the spills stay
			// open, not one a spill (file descriptors).
			if spills := n / int(chunk); spills > 4 && spilled > 2*bits.Len(uint(spills)) {
				t.Errorf("chunk %d, %d keys: %d runs open for %d spills", chunk, n, spilled, spills)
			}
			set.Close()
			r.Close() // a no-op after Finish
		}
		restore()
	}
}

// TestSortKeysIsSlicesSort: sortKeys orders any keys as slices.Sort does
// — uniform digests, keys sharing a top byte, small counts, duplicates.
func TestSortKeysIsSlicesSort(t *testing.T) {
	rng := rand.New(rand.NewPCG(28, 29))
	for _, n := range []int{0, 1, 4095, 4096, 5000, 70000} {
		for shape := range 4 {
			ks := make([]uint64, n)
			for i := range ks {
				switch shape {
				case 0:
					ks[i] = rng.Uint64()
				case 1: // one top byte
					ks[i] = 0x42<<56 | rng.Uint64()>>8
				case 2: // few values
					ks[i] = rng.Uint64N(7) << 58
				default: // two top bytes, duplicates
					ks[i] = uint64(rng.IntN(2))<<63 | rng.Uint64N(100)
				}
			}
			want := slices.Clone(ks)
			slices.Sort(want)
			sortKeys(ks)
			if !slices.Equal(ks, want) {
				t.Fatalf("n %d, shape %d: sortKeys differs from slices.Sort", n, shape)
			}
		}
	}
}
