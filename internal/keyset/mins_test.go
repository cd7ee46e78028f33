package keyset

import (
	"math/rand/v2"
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
		if _, onDisk := m.Len(); (sz.TableSlots != 0) != (onDisk == len(ref)) {
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
