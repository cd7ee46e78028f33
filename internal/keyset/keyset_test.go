package keyset

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"path/filepath"
	"testing"
)

// TestMatchesAMap: over a long stream of keys with many repeats — near
// and far apart, key 0 included — the Set answers exactly as a map, with
// sizes small enough that the table spills to disk many times and the
// filter gives false positives.
func TestMatchesAMap(t *testing.T) {
	for _, sz := range []Sizes{{BloomBits: 1 << 12, TableSlots: 1 << 8}, {BloomBits: 1 << 16, TableSlots: 1 << 10}, {}} {
		s := New(t.TempDir(), sz)
		ref := map[uint64]bool{}
		r := rand.New(rand.NewPCG(7, uint64(sz.TableSlots)))
		var recent []uint64
		for i := 0; i < 60000; i++ {
			var k uint64
			switch r.IntN(10) {
			case 0: // repeat something recent
				if len(recent) > 0 {
					k = recent[r.IntN(len(recent))]
				}
			case 1: // repeat something old
				k = uint64(r.IntN(i+1)) * 0x9E3779B97F4A7C15
			default:
				k = r.Uint64()
			}
			add := r.IntN(8) != 0
			has, err := s.Has(k)
			if err != nil || has != ref[k] {
				t.Fatalf("sizes %+v, key %d (#%d): Has %v (%v), want %v", sz, k, i, has, err, ref[k])
			}
			got, err := s.Seen(k, add)
			if err != nil {
				t.Fatal(err)
			}
			if got != ref[k] {
				t.Fatalf("sizes %+v, key %d (#%d): Seen %v, want %v", sz, k, i, got, ref[k])
			}
			if add {
				ref[k] = true
				recent = append(recent, k)
				if len(recent) > 64 {
					recent = recent[1:]
				}
			}
		}
		onDisk, reads := s.Stats()
		if sz.TableSlots != 0 && (onDisk == 0 || reads == 0) {
			t.Errorf("sizes %+v: the disk path was not exercised (%d keys on disk, %d reads)", sz, onDisk, reads)
		}
		if err := s.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkSeen: the cost per new key, the common case of a run.
func BenchmarkSeen(b *testing.B) {
	s := New(b.TempDir(), Sizes{})
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 2))
	b.ResetTimer()
	for range b.N {
		if _, err := s.Seen(r.Uint64(), true); err != nil {
			b.Fatal(err)
		}
	}
}

// TestLargeArraysLeaveTheHeap: once the table outgrows mapWordsMin it is
// a mapping outside the Go heap (on Unix), the filter too, and Close
// returns both; the answers are the same as on the heap (TestMatchesAMap
// runs both sizes).
func TestLargeArraysLeaveTheHeap(t *testing.T) {
	s := New(t.TempDir(), Sizes{TableSlots: 4 * mapWordsMin, BloomBits: 64 * mapWordsMin})
	if s.mem.mapped[tableWords] != nil {
		t.Fatal("a small table is a mapping")
	}
	n := uint64(0)
	for ; len(s.runs) == 0; n++ {
		if _, err := s.Seen(n*0x9E3779B97F4A7C15+1, true); err != nil {
			t.Fatal(err)
		}
	}
	// The filter starts at the size the keys on disk need and grows,
	// rebuilt, with them up to its limit.
	if first := s.bloomBits; first >= s.maxBloom || first < uint64(s.fileKeys)*bloomBitsPerKey {
		t.Errorf("after the first spill (%d keys) the filter has %d bits (limit %d)", s.fileKeys, first, s.maxBloom)
	}
	for ; s.bloomBits < s.maxBloom; n++ {
		if _, err := s.Seen(n*0x9E3779B97F4A7C15+1, true); err != nil {
			t.Fatal(err)
		}
	}
	if offHeap {
		if s.mem.mapped[tableWords] == nil || s.mem.mapped[bloomWords] == nil {
			t.Errorf("after a spill the table (%v) and the filter (%v) should be mappings", s.mem.mapped[tableWords] != nil, s.mem.mapped[bloomWords] != nil)
		}
	}
	for k := range n {
		if seen, err := s.Has(k*0x9E3779B97F4A7C15 + 1); err != nil || !seen {
			t.Fatalf("key #%d lost after the table grew into a mapping and spilled (%v)", k, err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if s.mem.mapped[tableWords] != nil || s.mem.mapped[bloomWords] != nil {
		t.Error("Close kept a mapping")
	}
	if err := s.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
}

// TestKeysGrowAndLeaveTheHeap: a Keys keeps every key appended, in
// order, as it grows from the heap into a mapping, and Close returns it.
func TestKeysGrowAndLeaveTheHeap(t *testing.T) {
	for _, hint := range []int{0, 10, 3 * mapWordsMin} {
		k := NewKeys(hint)
		n := 3*mapWordsMin + 7
		for i := range n {
			k.Append(uint64(i) * 0x9E3779B97F4A7C15)
		}
		got := k.Slice()
		if len(got) != n {
			t.Fatalf("hint %d: %d keys, want %d", hint, len(got), n)
		}
		for i, v := range got {
			if v != uint64(i)*0x9E3779B97F4A7C15 {
				t.Fatalf("hint %d: key #%d is %d", hint, i, v)
			}
		}
		if offHeap && k.mem.mapped[tableWords] == nil {
			t.Errorf("hint %d: %d keys are not a mapping", hint, n)
		}
		k.Truncate(5)
		if len(k.Slice()) != 5 {
			t.Errorf("Truncate(5): %d keys", len(k.Slice()))
		}
		k.Close()
		k.Close()
		if k.mem.mapped[tableWords] != nil || k.Slice() != nil {
			t.Errorf("hint %d: Close kept the array", hint)
		}
	}
}

// TestRunsHalve: spill after spill, the runs on disk stay as a binary
// counter keeps them — each larger than the next, at most log2(spills)+1
// of them — each sorted, and every key found. One file rewritten whole at
// every spill (the layout before) made a 10M-row export rewrite its keys
// about 30 times over.
//
// Played twice: with a filter at its limit from the first spill, and with
// one that grows (and is rebuilt from every run on disk) at least three
// times while the runs are several.
func TestRunsHalve(t *testing.T) {
	for _, bloom := range []uint64{1 << 16, 1 << 22} {
		t.Run(fmt.Sprint("bloom bits ", bloom), func(t *testing.T) { playRunsHalve(t, bloom) })
	}
}

func playRunsHalve(t *testing.T, bloomBits uint64) {
	s := New(t.TempDir(), Sizes{BloomBits: bloomBits, TableSlots: 1 << 8})
	r := rand.New(rand.NewPCG(3, 4))
	var keys []uint64
	in := map[uint64]bool{}
	spills, rebuilds := 0, 0
	for len(keys) < 50000 {
		k := r.Uint64() | 1
		if in[k] {
			continue
		}
		before, bits0 := s.fileKeys, s.bloomBits
		if seen, err := s.Seen(k, true); err != nil || seen {
			t.Fatalf("Seen(new key) = %v, %v", seen, err)
		}
		if s.fileKeys != before {
			spills++
			if bits0 != 0 && s.bloomBits != bits0 {
				rebuilds++
			}
		}
		keys = append(keys, k)
		in[k] = true
	}
	if bloomBits > 1<<16 && rebuilds < 3 {
		t.Fatalf("the filter grew %d times after its first spill, want 3 or more", rebuilds)
	}
	// Every spill writes the same number of keys (the table 60% full), so
	// the runs are that many times the powers of two that make up spills.
	if want := bits.OnesCount(uint(spills)); len(s.runs) != want {
		t.Fatalf("%d runs after %d spills, want %d (one per bit)", len(s.runs), spills, want)
	}
	total := 0
	for i, run := range s.runs {
		if i > 0 && s.runs[i-1].keys <= run.keys {
			t.Fatalf("run %d holds %d keys, run %d before it %d: not halving", i, run.keys, i-1, s.runs[i-1].keys)
		}
		prev, n := uint64(0), 0
		if err := run.each(func(k uint64) {
			if n > 0 && k <= prev {
				t.Fatalf("run %d: key %d (%#x) after %#x: not strictly increasing", i, n, k, prev)
			}
			prev, n = k, n+1
		}); err != nil {
			t.Fatal(err)
		}
		if n != run.keys || prev != run.last {
			t.Fatalf("run %d: read %d keys ending %#x, holds %d ending %#x", i, n, prev, run.keys, run.last)
		}
		total += n
	}
	if total != s.fileKeys || spills < 100 {
		t.Fatalf("%d keys in the runs, fileKeys %d, %d spills (want 100 or more)", total, s.fileKeys, spills)
	}
	for _, k := range keys {
		if has, err := s.Has(k); err != nil || !has {
			t.Fatalf("key %#x lost (%v)", k, err)
		}
	}
	// Keys never added: random ones, and the value just above each key
	// of every run, inside its range, in every block, the last partial
	// one included.
	absent := func(k uint64) {
		if in[k] {
			return
		}
		if has, err := s.Has(k); err != nil || has {
			t.Fatalf("absent key %#x: Has %v (%v)", k, has, err)
		}
	}
	for range 10000 {
		absent(r.Uint64())
	}
	for _, run := range s.runs {
		if err := run.each(func(k uint64) { absent(k + 1) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

// TestSpillErrorSticks: a spill that cannot write stops the set — Seen
// and Has return its error from then on, never an answer the keys lost
// with it could make wrong.
func TestSpillErrorSticks(t *testing.T) {
	s := New(filepath.Join(t.TempDir(), "missing"), Sizes{BloomBits: 1 << 12, TableSlots: 1 << 8})
	defer s.Close()
	var err error
	for k := uint64(1); err == nil && k < 1000; k++ {
		_, err = s.Seen(k*0x9E3779B97F4A7C15, true)
	}
	if err == nil {
		t.Fatal("no spill failed: the test needs one")
	}
	if _, again := s.Seen(12345, true); again == nil {
		t.Fatal("Seen after a failed spill answered")
	}
	if _, again := s.Has(0x9E3779B97F4A7C15); again == nil {
		t.Fatal("Has after a failed spill answered")
	}
}
