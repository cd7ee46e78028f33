package keyset

import "testing"

// TestShrinkDefaults: a set made while the defaults are shrunk spills
// after a few hundred keys, one with its own sizes keeps them, and once
// restored a new set holds as many keys in memory as before.
func TestShrinkDefaults(t *testing.T) {
	fill := func(s *Set) int {
		t.Helper()
		defer s.Close()
		for k := uint64(1); k <= 2000; k++ {
			if _, err := s.Seen(k*0x9E3779B97F4A7C15, true); err != nil {
				t.Fatal(err)
			}
		}
		onDisk, _ := s.Stats()
		return onDisk
	}
	restore := ShrinkDefaults(Sizes{BloomBits: 1 << 12, TableSlots: 1 << 8})
	shrunk, own := fill(New(t.TempDir(), Sizes{})), fill(New(t.TempDir(), Sizes{TableSlots: 1 << 14}))
	restore()
	after := fill(New(t.TempDir(), Sizes{}))
	if shrunk == 0 {
		t.Error("a set made under ShrinkDefaults kept 2000 keys in memory: the defaults were not shrunk")
	}
	if own != 0 || after != 0 {
		t.Errorf("keys on disk: a set with its own sizes %d, one made after restore %d; want 0 and 0", own, after)
	}
}
