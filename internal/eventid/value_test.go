package eventid

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
)

// TestValueKeyMemoIsTheKey: the memo answers what the keyed hash makes, for
// the first ask and every later one, past the memo's slots (valueMemoSize)
// and from several goroutines at once; and keys still tell apart what they
// must (a cent, a currency, no value, -0 from 0 as the ledger always did).
func TestValueKeyMemoIsTheKey(t *testing.T) {
	k := NewValueKeyer("memo-secret")
	fresh := NewValueKeyer("memo-secret")
	type ask struct {
		has      bool
		value    float64
		currency string
	}
	rng := rand.New(rand.NewPCG(7, 29))
	asks := []ask{{false, 0, ""}, {false, 1200, "TWD"}, {true, 0, "TWD"}, {true, math.Copysign(0, -1), "TWD"}}
	for range 3 * valueMemoSize {
		asks = append(asks, ask{true, float64(rng.IntN(20000)) / 100, []string{"TWD", "USD", "CNY"}[rng.IntN(3)]})
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range asks {
				a := asks[(i*7+g*1013)%len(asks)]
				if got, want := k.Key(a.has, a.value, a.currency), fresh.key(a.has, a.value, a.currency); got != want {
					t.Errorf("Key(%v, %v, %q) = %x, the keyed hash makes %x", a.has, a.value, a.currency, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
	used := 0
	for _, s := range k.memo {
		if s.key != 0 {
			used++
		}
	}
	if used < valueMemoSize/2 {
		t.Errorf("memo holds %d keys of %d asked for in %d slots: the fees do not spread", used, len(asks), valueMemoSize)
	}
	distinct := map[uint64]string{}
	for _, a := range []ask{{true, 1200, "TWD"}, {true, 1200.01, "TWD"}, {true, 1200, "USD"}, {false, 0, ""}, {true, 0, "TWD"}, {true, math.Copysign(0, -1), "TWD"}} {
		key, what := k.Key(a.has, a.value, a.currency), fmt.Sprint(a)
		if other, ok := distinct[key]; ok {
			t.Errorf("%s and %s have one key", what, other)
		}
		distinct[key] = what
	}
	if k.Key(false, 0, "") != k.Key(false, 1200, "TWD") {
		t.Error("without a value, the value and currency must not enter the key")
	}
}

// BenchmarkValueKey: a price list's fees, asked for over and over, as the
// ledger does per accepted event.
func BenchmarkValueKey(b *testing.B) {
	k := NewValueKeyer("bench-secret")
	fees := []float64{500, 800, 1200, 1500, 3000, 6800, 12000, 68000}
	b.ReportAllocs()
	for i := range b.N {
		k.Key(true, fees[i%len(fees)], "TWD")
	}
}

// BenchmarkValueKeyRandomFees: fees as gen.py makes them (whole amounts
// from 500 to 90,000, at random), through the memo: mostly misses.
func BenchmarkValueKeyRandomFees(b *testing.B) {
	k := NewValueKeyer("bench-secret")
	rng := rand.New(rand.NewPCG(1, 2))
	fees := make([]float64, 1<<16)
	for i := range fees {
		fees[i] = float64(500 + rng.IntN(89501))
	}
	b.ReportAllocs()
	for i := range b.N {
		k.Key(true, fees[i&(len(fees)-1)], "TWD")
	}
}

// BenchmarkValueKeyMisses: fees the memo does not hold (gen.py's are
// random), each a keyed hash.
func BenchmarkValueKeyMisses(b *testing.B) {
	k := NewValueKeyer("bench-secret")
	b.ReportAllocs()
	for i := range b.N {
		k.key(true, float64(i%100000), "TWD")
	}
}
