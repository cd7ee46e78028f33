package keyset

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
		// Frozen, it answers the same: every key added, and as many
		// absent ones, some of them between keys on disk.
		if err := s.Freeze(); err != nil {
			t.Fatal(err)
		}
		if sz.TableSlots != 0 && !s.filterFirst {
			t.Errorf("sizes %+v: frozen with keys on disk, Has does not ask the filter first", sz)
		}
		check := func(k uint64) {
			has, err := s.Has(k)
			if err != nil || has != ref[k] {
				t.Fatalf("sizes %+v, frozen: key %#x Has %v (%v), want %v", sz, k, has, err, ref[k])
			}
			if seen, err := s.Seen(k, false); err != nil || seen != ref[k] {
				t.Fatalf("sizes %+v, frozen: key %#x Seen %v (%v), want %v", sz, k, seen, err, ref[k])
			}
		}
		for k := range ref {
			check(k)
			check(unmix(mix(k) + 1))
			check(unmix(mix(k) - 1))
		}
		for range 20000 {
			check(r.Uint64())
		}
		if _, err := s.Seen(r.Uint64()|1, true); err == nil {
			t.Errorf("sizes %+v: a key added after Freeze was taken", sz)
		}
		if _, err := s.Seen(0, true); err == nil {
			t.Errorf("sizes %+v: key 0 added after Freeze was taken", sz)
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

// BenchmarkHas: a lookup of an absent key in a set built once, as the
// withdrawals are asked once a held row after the export's end (300k
// keys: the orders withdrawn of the 1M-row bench export), with and
// without Freeze.
func BenchmarkHas(b *testing.B) {
	for _, frozen := range []bool{false, true} {
		b.Run(fmt.Sprint("frozen=", frozen), func(b *testing.B) {
			s := New(b.TempDir(), Sizes{})
			defer s.Close()
			r := rand.New(rand.NewPCG(1, 2))
			for range 300000 {
				if _, err := s.Seen(r.Uint64(), true); err != nil {
					b.Fatal(err)
				}
			}
			if frozen {
				if err := s.Freeze(); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for range b.N {
				if has, err := s.Has(r.Uint64()); err != nil || has {
					b.Fatal(has, err)
				}
			}
		})
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

// TestKeysShrink: Shrink keeps the bytes asked for and, for a mapping on
// Linux, returns the whole pages past them to the system (they read as
// zeros again).
func TestKeysShrink(t *testing.T) {
	// Keys whose 6 bytes each end mid-page, and on a page's end.
	for _, n := range []int{10, 3*mapWordsMin + 7, 3 * mapWordsMin} {
		k := NewKeys(n)
		for i := range n {
			k.Append(uint64(i)*0x9E3779B97F4A7C15 | 1)
		}
		want := append([]byte(nil), k.Bytes()[:n*6]...)
		k.Shrink(n * 6)
		if got := k.Bytes(); len(got) < n*6 || string(got[:n*6]) != string(want) {
			t.Fatalf("n=%d: Shrink lost the bytes kept", n)
		}
		if m := k.mem.mapped[tableWords]; m != nil && runtime.GOOS == "linux" {
			page := os.Getpagesize() / 8
			keep := ((n*6+7)/8 + page - 1) / page * page
			if m[keep-1] == 0 || m[keep] != 0 || m[len(m)-1] != 0 {
				t.Errorf("n=%d: the pages past the bytes kept were not returned", n)
			}
		}
		if len(k.Slice()) != 0 {
			t.Errorf("n=%d: %d keys readable after Shrink", n, len(k.Slice()))
		}
		k.Close()
		if k.mem.mapped[tableWords] != nil {
			t.Errorf("n=%d: Close kept the array", n)
		}
	}
}

// TestRunsHalve: spill after spill, the runs on disk stay in spill's
// tiers — none larger than the one before it; while the filter keeps its
// bits a key, one per unit of each digit of spills written in base
// mergeFanout (a binary counter's bits, until upload28 merged four of a
// size), and once it is outgrown, about one per bit again — each sorted,
// and every key found. One file rewritten whole at every spill (the
// layout before) made a 10M-row export rewrite its keys about 30 times
// over.
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
	// the runs are that many times the powers of mergeFanout that make up
	// spills, as many of each as its digit says.
	if s.fanout() == mergeFanout {
		want := 0
		for n := spills; n > 0; n /= mergeFanout {
			want += n % mergeFanout
		}
		if len(s.runs) != want {
			t.Fatalf("%d runs after %d spills, want %d (one per unit of each base-%d digit)", len(s.runs), spills, want, mergeFanout)
		}
	} else if most := bits.OnesCount(uint(spills)) + mergeFanout - 1; len(s.runs) > most {
		// The tiers left when the filter filled up, merged in pairs since.
		t.Fatalf("%d runs after %d spills, the filter outgrown: want at most %d", len(s.runs), spills, most)
	}
	total := 0
	for i, run := range s.runs {
		if i > 0 && s.runs[i-1].keys < run.keys {
			t.Fatalf("run %d holds %d keys, run %d before it %d: not shrinking", i, run.keys, i-1, s.runs[i-1].keys)
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
		if err := run.each(func(h uint64) { absent(unmix(h + 1)) }); err != nil {
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

// unmix undoes mix: a run holds digests, and a test that wants a key
// absent between two of them asks for the key whose digest falls there.
func unmix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0x9cb4b2f8129337db // the inverse of 0xc4ceb9fe1a85ec53 modulo 2^64
	x ^= x >> 33
	x *= 0x4f74430c22a54005 // the inverse of 0xff51afd7ed558ccd
	x ^= x >> 33
	return x
}

func TestUnmixUndoesMix(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 1000 {
		if k := r.Uint64(); unmix(mix(k)) != k || mix(unmix(k)) != k {
			t.Fatalf("unmix(mix(%#x)) = %#x", k, unmix(mix(k)))
		}
	}
	if mix(0) != 0 {
		t.Fatal("mix(0) != 0: key 0's digest would mark an empty slot")
	}
}

// TestPackSortedWraps: a spill writes the table's digests in increasing
// order — those of the first cluster that wrapped past the table's end
// included, which sit at the front of the table but belong at the back —
// and one insertion pass does it on a table 60% full (no hand-over to
// slices.Sort: the moves stay far under the budget).
func TestPackSortedWraps(t *testing.T) {
	for seed := range uint64(200) {
		s := New(t.TempDir(), Sizes{TableSlots: 1 << 8})
		r := rand.New(rand.NewPCG(seed, 9))
		var want []uint64
		// Digests crowded at the table's end, so the last cluster wraps.
		for len(want) < 150 {
			var h uint64
			if len(want) < 6 {
				h = ^uint64(0) - r.Uint64()>>58 // the top slot or so
			} else {
				h = r.Uint64()
			}
			if h == 0 || slices.Contains(want, h) {
				continue
			}
			if _, err := s.Seen(unmix(h), true); err != nil {
				t.Fatal(err)
			}
			want = append(want, h)
		}
		if s.fileKeys != 0 {
			t.Fatalf("seed %d: the table spilled before the test's pack", seed)
		}
		if s.table[0] == 0 || s.table[0]>>s.shift == 0 {
			t.Fatalf("seed %d: slot 0 holds no digest that wrapped", seed)
		}
		slices.Sort(want)
		got, moves := s.packSorted()
		if !slices.Equal(got, want) {
			t.Fatalf("seed %d: packed %x, want %x", seed, got, want)
		}
		if moves < 0 || moves > 2*len(want) {
			t.Fatalf("seed %d: %d moves for %d keys: the wrapped digests were not put at the back", seed, moves, len(want))
		}
		s.Close()
	}
}

// TestSortNearly: a full-size table at the brink of its spill is
// ordered in well under two moves a key (the linear pass, not the
// hand-over); keys far from order are still sorted, by the hand-over.
func TestSortNearly(t *testing.T) {
	s := New(t.TempDir(), Sizes{})
	defer s.Close()
	r := rand.New(rand.NewPCG(1, 1))
	for uint64(s.n+1) < defaultTableSlots*6/10 {
		if _, err := s.Seen(r.Uint64(), true); err != nil {
			t.Fatal(err)
		}
	}
	if s.fileKeys != 0 || uint64(len(s.table)) != defaultTableSlots {
		t.Fatalf("%d keys on disk, %d slots: not a full table before its spill", s.fileKeys, len(s.table))
	}
	var packed []uint64
	for _, h := range s.table {
		if h != 0 {
			packed = append(packed, h)
		}
	}
	want := slices.Sorted(slices.Values(packed))
	moves := sortNearly(packed)
	if !slices.Equal(packed, want) {
		t.Fatal("a full table: not sorted")
	}
	t.Logf("%d keys ordered in %d moves", len(packed), moves)
	if moves < 0 || moves > 2*len(packed) {
		t.Fatalf("a full table took %d moves for %d keys: not the linear pass", moves, len(packed))
	}
	keys := make([]uint64, 5000)
	for i := range keys {
		keys[i] = r.Uint64()
	}
	want = slices.Sorted(slices.Values(keys))
	if moves := sortNearly(keys); moves != -1 || !slices.Equal(keys, want) {
		t.Fatalf("random keys: %d moves, sorted %v; want the hand-over, sorted", moves, slices.Equal(keys, want))
	}
}

// TestLenCountsEachKeyOnce: Len is the keys added, each once, in the
// table, on disk and the zero key.
func TestLenCountsEachKeyOnce(t *testing.T) {
	s := New(t.TempDir(), Sizes{BloomBits: 1 << 10, TableSlots: 1 << 6})
	defer s.Close()
	for i := range uint64(1000) {
		for range 2 {
			if _, err := s.Seen(i%700, true); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Seen(5000+i, false); err != nil { // asked, not added
			t.Fatal(err)
		}
	}
	if onDisk, _ := s.Stats(); onDisk == 0 || s.Len() != 700 {
		t.Fatalf("Len %d with %d on disk, want 700 keys (0 among them), some on disk", s.Len(), onDisk)
	}
}
