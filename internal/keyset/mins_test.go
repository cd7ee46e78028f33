package keyset

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// TestMinsMatchesAMap: over keys noted many times each, in any order, a
// Mins answers each key's least value as a map does, whether it stayed in
// memory or spilled many times (16 pairs a buffer), and answers absent
// keys absent; noting after Freeze fails, and so does asking before it.
func TestMinsMatchesAMap(t *testing.T) {
	for _, sz := range []Sizes{{BloomBits: 1 << 12, TableSlots: 1 << 6}, {BloomBits: 1 << 16, TableSlots: 1 << 10}, {}} {
		m := NewMins(t.TempDir(), sz)
		ref := map[uint64]int64{}
		r := rand.New(rand.NewPCG(3, uint64(sz.TableSlots)))
		for range 20000 {
			k := uint64(r.IntN(5000)) * 0x9E3779B97F4A7C15 // key 0 too
			v := r.Int64N(1<<40) - 1<<39
			if err := m.Note(k, v); err != nil {
				t.Fatal(err)
			}
			if was, ok := ref[k]; !ok || v < was {
				ref[k] = v
			}
		}
		if _, _, err := m.Get(1); err == nil {
			t.Errorf("sizes %+v: asked before Freeze, Get answered", sz)
		}
		if err := m.Freeze(); err != nil {
			t.Fatal(err)
		}
		if _, onDisk := m.Spilled(); (sz.TableSlots != 0) != (onDisk == len(ref)) {
			t.Errorf("sizes %+v: %d keys on disk of %d (want all of them when shrunk, none by default)", sz, onDisk, len(ref))
		}
		if sz.TableSlots != 0 && len(m.runs) != 1 {
			t.Errorf("sizes %+v: %d runs once frozen, want 1", sz, len(m.runs))
		}
		for k, want := range ref {
			got, ok, err := m.Get(k)
			if err != nil || !ok || got != want {
				t.Fatalf("sizes %+v: key %#x: %d %v (%v), want %d", sz, k, got, ok, err, want)
			}
		}
		for range 5000 {
			k := r.Uint64() | 1<<63 // none of the keys noted
			if _, ok, err := m.Get(k); err != nil || ok {
				t.Fatalf("sizes %+v: absent key %#x found (%v)", sz, k, err)
			}
		}
		if err := m.Note(5, 1); err == nil {
			t.Errorf("sizes %+v: noted after Freeze", sz)
		}
		if err := m.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// minsOf makes a frozen Mins of n random pairs (keys negative as int64
// among them, as HMAC digests are), noted in the ledger's order (int64
// increasing) when sorted, and returns it with the map it must equal.
func minsOf(t *testing.T, n int, sz Sizes, sorted bool) (*Mins, map[uint64]int64) {
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
	if sorted {
		slices.SortFunc(keys, func(a, b uint64) int { return cmp.Compare(int64(a), int64(b)) })
	}
	m := NewMins(t.TempDir(), sz)
	t.Cleanup(func() { m.Close() })
	for _, k := range keys {
		if err := m.Note(k, ref[k]); err != nil {
			t.Fatal(err)
		}
	}
	if sorted && len(m.runs) > 1 {
		t.Errorf("%d keys noted in order: %d runs, want the newest extended", n, len(m.runs))
	}
	if err := m.Freeze(); err != nil {
		t.Fatal(err)
	}
	return m, ref
}

// TestMinsServesTheRemembered: as the ledger's remembered withdrawals
// (ledger.RevokedPatients: each key once, in the ledger's order or not)
// below, at and above MinsMapMax, in memory and spilled, asked from
// several goroutines at once, a Mins answers every key it holds with its
// value and every key it does not as absent, as a Go map does; up to
// MinsMapMax keys sit in a map.
func TestMinsServesTheRemembered(t *testing.T) {
	for _, n := range []int{1, 300, MinsMapMax, MinsMapMax + 1, 5*minsBlock*64 + 17} {
		for _, sorted := range []bool{true, false} {
			m, ref := minsOf(t, n, Sizes{}, sorted)
			inMemory, onDisk := m.Spilled()
			if m.Len() != n || (m.small != nil) != (n <= MinsMapMax) || (onDisk == n) != (n > 1<<16) || inMemory+onDisk != n {
				t.Fatalf("%d pairs: Len %d, in a map %v, %d in memory, %d on disk", n, m.Len(), m.small != nil, inMemory, onDisk)
			}
			var wg sync.WaitGroup
			for g := range 4 {
				wg.Go(func() {
					r := rand.New(rand.NewPCG(uint64(g), 1))
					for k, want := range ref {
						if v, ok, err := m.Get(k); err != nil || !ok || v != want {
							t.Errorf("%d pairs: Get(%#x) = %d, %v, %v; want %d", n, k, v, ok, err, want)
							return
						}
						if x := r.Uint64(); !mapHas(ref, x) {
							if _, ok, err := m.Get(x); err != nil || ok {
								t.Errorf("%d pairs: Get(%#x) found a key never noted (%v)", n, x, err)
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
}

func mapHas(m map[uint64]int64, k uint64) bool { _, ok := m[k]; return ok }

// TestMinsEmpty: a nil Mins, as the ledger returns for no remembered
// patient, is empty, and so is one frozen with nothing noted.
func TestMinsEmpty(t *testing.T) {
	var m *Mins
	if _, ok, err := m.Get(7); ok || err != nil || m.Len() != 0 || m.Err() != nil || m.Close() != nil {
		t.Error("a nil Mins is not empty")
	}
	m = NewMins(t.TempDir(), Sizes{})
	if err := m.Freeze(); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := m.Get(0); ok || err != nil || m.Len() != 0 {
		t.Errorf("an empty Mins holds key 0 (%v) or %d keys", err, m.Len())
	}
}

// TestMinsReadFailure: a key whose block cannot be read is an error, and
// Err keeps the first: the ledger's remembered withdrawals treat the
// patient as withdrawn and the run stops on Err before sending.
func TestMinsReadFailure(t *testing.T) {
	m, ref := minsOf(t, 1<<17+300, Sizes{TableSlots: 1 << 10}, true) // 513 spills: one run, not two
	m.runs[0].file.Close()
	for k := range ref {
		if _, _, err := m.Get(k); err == nil {
			t.Error("Get after the file failed: no error")
		}
		break
	}
	if m.Err() == nil {
		t.Error("Err is nil after a failed read")
	}
}
