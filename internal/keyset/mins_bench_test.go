package keyset

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkMinsGet is the per-row lookup of the remembered withdrawals
// (issue #29's hot path): among a clinic's few hundred patients (a map)
// and among 1M (on disk), for a patient held and one not.
func BenchmarkMinsGet(b *testing.B) {
	for _, n := range []int{300, 1_000_000} {
		r := rand.New(rand.NewPCG(1, uint64(n)))
		m := NewMins(b.TempDir(), Sizes{BloomBits: 1 << 26})
		keys := make([]uint64, 0, n)
		for range n {
			k := r.Uint64()
			keys = append(keys, k)
			if err := m.Note(k, int64(r.IntN(3))); err != nil {
				b.Fatal(err)
			}
		}
		if err := m.Freeze(); err != nil {
			b.Fatal(err)
		}
		miss := make([]uint64, 4096)
		for i := range miss {
			miss[i] = r.Uint64()
		}
		b.Run(fmt.Sprintf("n=%d/held", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				m.Get(keys[i%len(keys)])
			}
		})
		b.Run(fmt.Sprintf("n=%d/absent", n), func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				m.Get(miss[i%len(miss)])
			}
		})
		m.Close()
	}
}
