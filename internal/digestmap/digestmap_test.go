package digestmap

import (
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// build makes a Map of n random pairs (negative keys as int64 among
// them, as HMAC digests are) and returns it with the map it must equal.
func build(t *testing.T, n int) (*Map, map[uint64]int64) {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 9))
	ref := make(map[uint64]int64, n)
	for len(ref) < n {
		ref[r.Uint64()] = int64(r.IntN(3)) * 86400 * int64(r.IntN(20000))
	}
	keys := make([]uint64, 0, n)
	for k := range ref {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b uint64) int { return cmpInt(int64(a), int64(b)) })
	m, err := Build(t.TempDir(), func(add func(uint64, int64) error) error {
		for _, k := range keys {
			if err := add(k, ref[k]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m, ref
}

// TestMatchesAMap: below, at and above SmallMax, from several goroutines
// at once, a Map answers every key it holds with its value and almost
// every other key as absent, as a Go map does.
func TestMatchesAMap(t *testing.T) {
	for _, n := range []int{1, 300, SmallMax, SmallMax + 1, 5*blockRecs*64 + 17} {
		m, ref := build(t, n)
		if m.Len() != n || m.OnDisk() != (n > SmallMax) {
			t.Fatalf("%d pairs: Len %d, OnDisk %v", n, m.Len(), m.OnDisk())
		}
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				r := rand.New(rand.NewPCG(uint64(g), 1))
				for k, want := range ref {
					if v, ok := m.Get(k); !ok || v != want {
						t.Errorf("%d pairs: Get(%#x) = %d, %v; want %d", n, k, v, ok, want)
						return
					}
					if x := r.Uint64(); !mapHas(ref, x) {
						if _, ok := m.Get(x); ok {
							t.Errorf("%d pairs: Get(%#x) found a key never added", n, x)
							return
						}
					}
				}
			})
		}
		wg.Wait()
		if err := m.Err(); err != nil {
			t.Fatal(err)
		}
	}
}

func mapHas(m map[uint64]int64, k uint64) bool { _, ok := m[k]; return ok }

// TestOrderAndEmpty: keys must increase as int64 (the ledger's order);
// nothing added is a nil Map, which is empty.
func TestOrderAndEmpty(t *testing.T) {
	_, err := Build("", func(add func(uint64, int64) error) error {
		if err := add(5, 0); err != nil {
			return err
		}
		return add(1<<63, 0) // negative as int64: before 5
	})
	if !errors.Is(err, ErrOrder) {
		t.Errorf("keys out of order: %v; want ErrOrder", err)
	}
	m, err := Build("", func(func(uint64, int64) error) error { return nil })
	if err != nil || m != nil || m.Len() != 0 || m.Err() != nil {
		t.Errorf("empty: %v, %v", m, err)
	}
	if _, ok := m.Get(7); ok {
		t.Error("a nil Map holds a key")
	}
	if got := Of(map[uint64]int64{1 << 63: 3, 2: 0}); got.Len() != 2 || got.OnDisk() {
		t.Errorf("Of: %d keys, on disk %v", got.Len(), got.OnDisk())
	}
}

// TestAReadFailureWithdraws: a key the file could not be read for is
// answered as held with 0 (withdrawn from every appointment) and Err
// says why: a run stops on it before anything is sent.
func TestAReadFailureWithdraws(t *testing.T) {
	m, ref := build(t, SmallMax+blockRecs)
	m.file.Close()
	for k := range ref {
		if v, ok := m.Get(k); !ok || v != 0 {
			t.Errorf("Get after the file failed: %d, %v; want 0, true", v, ok)
		}
		break
	}
	if m.Err() == nil {
		t.Error("Err is nil after a failed read")
	}
}
