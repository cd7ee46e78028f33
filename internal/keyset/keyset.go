// Package keyset is an exact set of 64-bit keyed digests in memory that
// does not grow with the export: the order keys a run has already turned
// into conversions (duplicate_order), the patient keys revoked on any row
// (consent_revoked_patient), and others. Repeats finds, in the same
// bounded memory, the keys added more than once, when that is asked only
// at the end (the orders of more than one row). It was named orderset
// while it held order keys only.
//
// A run must know, for every usable row, whether an earlier row had the
// same order key (duplicate_order). A Go map of 64-bit keys costs about
// 20 bytes per conversion and doubles as it grows: 338 MB peak on a
// 10-million-row export. Here the memory is fixed:
//
//   - keys sit in an open-addressing table that grows to at most 2 MiB,
//     each as its digest mix(key) at the slot its top bits name; when it
//     is 60% full at that size they are written, in digest order, to a
//     sorted run on disk, runs merging four of a size while the filter
//     has room, two once it is full (spill), and the table starts empty
//     again;
//   - a Bloom filter (made at the first spill, 8 to 16 bits per key on
//     disk, at most 4 MiB) holds the keys on disk, so a new key costs a
//     table probe and a few bit tests;
//   - a key the filter cannot rule out is looked up in the runs whose
//     range holds it, through a sparse in-memory index and one 4 KiB read
//     each, the newest first; a frozen set's runs are merged into one, its
//     filter rebuilt with the hashes its bits a key call for (Freeze).
//
// A small export never spills and never allocates the filter. Table and
// filter arrays from 256 KiB up live outside the Go heap (words.go), so
// the garbage collector's headroom does not double them.
//
// With the default sizes a 10-million-row export (about 4 million
// conversions, 8 filter bits per key on disk) sees a false-positive rate
// near 2%: some tens of thousands of 4 KiB reads, from the page cache. The
// runs' files are created in the system temp directory and unlinked at
// once on Unix: they hold 64-bit keyed digests only, never an order id,
// and they disappear with the process.
package keyset

import (
	"errors"
	"math"
	"math/bits"
	"slices"
	"sync/atomic"
)

// Sizes tune a Set; the zero value means the defaults. Tests shrink them
// to exercise the disk path.
type Sizes struct {
	BloomBits  uint64 // a power of two
	TableSlots uint64 // a power of two
}

// Default sizes: 4 MiB of filter and 2 MiB of table.
//
// The table was 4 MiB. A run keeps up to four sets (orders converted, and
// orders, patients and bookings withdrawn), and a table once grown is
// written through, so resident: on the 1M-row bench export the sets of
// orders converted and withdrawn both held a 4 MiB table, 8 of the
// dry-run's 64 MB (issue 29: peak RSS). At 2 MiB (157k keys before a
// spill) each spills twice as often: no CPU difference at 400k keys, and
// 2.9-3.2 -> 3.9 CPU-s for 4M new keys (the orders converted of a
// 10M-row export; about +1 CPU-s per such set, where the run takes about
// 85), because every spill then merged the whole file again (since
// spill keeps runs instead).
const (
	defaultBloomBits  = 1 << 25
	defaultTableSlots = 1 << 18
	blockKeys         = 512 // keys per indexed block of the file: 4 KiB
	bloomHashes       = 7
)

// Set is an exact set of uint64 keys. It is not safe for concurrent use.
type Set struct {
	bloom     []uint64 // keys on disk; nil until the first spill
	bloomBits uint64   // 64 × len(bloom), a power of two
	maxBloom  uint64   // Sizes.BloomBits: the most the filter grows to

	// table holds mix(key) of each key, at the slot its top bits name
	// (shift = 64 − log2 of the slots) or the first free one after it:
	// so the table is in digest order but for a few neighbours, and a
	// spill sorts it in one pass (sortNearly). 0 marks an empty slot;
	// key 0, whose digest is 0, is kept in hasZero.
	table    []uint64
	mask     uint64
	shift    uint8
	maxSlots uint64
	n        int
	hasZero  bool
	dir      string
	// runs are the sorted files of keys on disk, the largest (oldest)
	// first; fileKeys is their keys in all.
	runs     []run
	fileKeys int
	// err is the error a spill stopped with: the table's keys or the
	// filter may then be short of keys on disk, so every later call
	// returns it instead of a wrong answer.
	err      error
	buf      []byte
	diskRead int
	// frozen: Freeze was called, and Seen adds no more. filterFirst: the
	// filter then holds every key, the table's too, and Has asks it
	// first (a set that stayed small keeps asking its table).
	frozen, filterFirst bool
	// moved holds a spill's keys that wrapped past the table's end.
	moved []uint64
	mem   *words // the table's and the filter's mappings, when off the heap
	// hashes is the filter's number of hash functions: bloomHashes, or
	// fewer once Freeze finds fewer than 8 bits a key (hashesFor).
	hashes uint64
	// probeReads counts the blocks Has reads (it may run on several
	// goroutines): tests see the runs a lookup scans.
	probeReads atomic.Int64
	// written counts the keys writeRun wrote, spills and merges together:
	// tests see the bytes a set costs the disk (8 a key).
	written int
}

// defaults, when set, are the sizes New takes for a zero Sizes field in
// place of the constants above (ShrinkDefaults).
var defaults atomic.Pointer[Sizes]

// ShrinkDefaults makes every Set made from now on with a zero field in its
// Sizes take sz's instead, until restore is called; a zero field of sz
// keeps the default. It is for tests of packages that make their sets
// inside (package pipeline: the orders converted and withdrawn, the patients
// revoked), to play the disk path end to end on a few hundred rows
// (internal/cli's TestSettleGolden); no production code calls it.
func ShrinkDefaults(sz Sizes) (restore func()) {
	prev := defaults.Swap(&sz)
	return func() { defaults.Store(prev) }
}

// New returns an empty Set; dir is where the runs' files go ("" means the
// system temp directory).
func New(dir string, sz Sizes) *Set {
	if d := defaults.Load(); d != nil {
		if sz.BloomBits == 0 {
			sz.BloomBits = d.BloomBits
		}
		if sz.TableSlots == 0 {
			sz.TableSlots = d.TableSlots
		}
	}
	if sz.BloomBits == 0 {
		sz.BloomBits = defaultBloomBits
	}
	if sz.TableSlots == 0 {
		sz.TableSlots = defaultTableSlots
	}
	start := min(sz.TableSlots, 1<<12)
	s := &Set{mask: start - 1, shift: uint8(64 - bits.TrailingZeros64(start)), maxSlots: sz.TableSlots, maxBloom: sz.BloomBits, dir: dir, hashes: bloomHashes}
	s.mem = newWords(s)
	s.table, _ = s.mem.alloc(tableWords, start)
	return s
}

// mix spreads a key's bits; keys are keyed digests already, but tests and
// other callers may pass sequential numbers. It is a bijection (murmur3's
// finaliser: each step can be undone), so the set keeps and stores a key's
// digest in place of the key; mix(0) is 0.
func mix(x uint64) uint64 {
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return x
}

// Mix is the set's finaliser, for a caller that places keys by their
// bits as the set does (the ledger's filter of older acceptances): one
// copy of the constants, not two.
func Mix(x uint64) uint64 { return mix(x) }

func (s *Set) bloomMay(h uint64) bool {
	h1, h2 := h, h>>32|h<<32|1
	for i := uint64(0); i < s.hashes; i++ {
		b := (h1 + i*h2) & (s.bloomBits - 1)
		if s.bloom[b>>6]&(1<<(b&63)) == 0 {
			return false
		}
	}
	return true
}

func (s *Set) bloomAdd(h uint64) {
	h1, h2 := h, h>>32|h<<32|1
	for i := uint64(0); i < s.hashes; i++ {
		b := (h1 + i*h2) & (s.bloomBits - 1)
		s.bloom[b>>6] |= 1 << (b & 63)
	}
}

// Seen reports whether key was added before, and adds it when add is set.
func (s *Set) Seen(key uint64, add bool) (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	if add && s.frozen {
		return false, errFrozen
	}
	if key == 0 {
		was := s.hasZero
		s.hasZero = s.hasZero || add
		return was, nil
	}
	h := mix(key)
	i := h >> s.shift
	for ; s.table[i] != 0; i = (i + 1) & s.mask {
		if s.table[i] == h {
			return true, nil
		}
	}
	if s.runs != nil && s.bloomMay(h) {
		if found, err := s.onDisk(h); err != nil || found {
			return found, err
		}
	}
	if !add {
		return false, nil
	}
	s.table[i] = h
	s.n++
	if uint64(s.n) >= uint64(len(s.table))*6/10 {
		if uint64(len(s.table)) < s.maxSlots {
			s.grow()
		} else if err := s.spill(); err != nil {
			s.err = err
			return false, err
		}
	}
	return false, nil
}

// grow doubles the table.
func (s *Set) grow() {
	old := s.table
	var prev []uint64
	s.table, prev = s.mem.alloc(tableWords, 2*uint64(len(old)))
	defer func() {
		if prev != nil {
			unmapWords(prev)
		}
	}()
	s.mask = uint64(len(s.table)) - 1
	s.shift--
	for _, h := range old {
		if h == 0 {
			continue
		}
		i := h >> s.shift
		for s.table[i] != 0 {
			i = (i + 1) & s.mask
		}
		s.table[i] = h
	}
}

// onDisk binary-searches the sparse index, then reads one block.
func (s *Set) onDisk(key uint64) (bool, error) {
	if cap(s.buf) < blockKeys*8 {
		s.buf = make([]byte, blockKeys*8)
	}
	return s.searchDisk(key, s.buf[:blockKeys*8], &s.diskRead)
}

// searchDisk looks key up in the runs, the newest first (a key that comes
// back soon after it was added is in a small run); reads counts the 4 KiB
// reads it makes, when not nil.
func (s *Set) searchDisk(key uint64, block []byte, reads *int) (bool, error) {
	for i := len(s.runs) - 1; i >= 0; i-- {
		r := &s.runs[i]
		if r.keys == 0 || key < r.index[0] || key > r.last {
			continue
		}
		if reads != nil {
			*reads++
		}
		if found, err := r.search(key, block); err != nil || found {
			return found, err
		}
	}
	return false, nil
}

// Has reports whether key is in the set without changing it. Unlike Seen
// it may be called from several goroutines at once, provided nothing is
// added meanwhile: a set built in one pass and read in the next.
func (s *Set) Has(key uint64) (bool, error) {
	if s.err != nil {
		return false, s.err
	}
	if key == 0 {
		return s.hasZero, nil
	}
	h := mix(key)
	if s.filterFirst && !s.bloomMay(h) {
		return false, nil // one filter lookup for most absent keys
	}
	for i := h >> s.shift; s.table[i] != 0; i = (i + 1) & s.mask {
		if s.table[i] == h {
			return true, nil
		}
	}
	if s.runs == nil || !s.filterFirst && !s.bloomMay(h) {
		return false, nil
	}
	var buf [blockKeys * 8]byte
	reads := 0
	found, err := s.searchDisk(h, buf[:], &reads)
	s.probeReads.Add(int64(reads))
	return found, err
}

// spill writes the table's keys to disk as a new sorted run, empties the
// table, and merges runs in tiers: when the newest fanout runs are of one
// size, they become one, in one pass. So the runs shrink from the oldest,
// there are at most fanout−1 of a size, and each key is rewritten about
// log_fanout(spills) times in all (fanout says how many).
//
// Merging every spill into one file, as this did first, rewrote the
// whole file each time: on a 10M-row export (9.8M orders converted, 62
// spills) about 2.4 GB written and read again, 9% of the dry-run's CPU and
// all of it on the settler's one goroutine (issue 29). Merging two runs of
// a size always (a binary counter, until upload28) rewrote each key about
// log2(spills) times: the set of the export's order rows (pipeline's
// orderRows, three keys a row and platform) spilled 18 times on the
// 1M-row bench export, and with the settler's orders sent the two wrote
// 148 MB, a third of the upload's 422 bytes a conversion. A lookup the
// filter cannot rule out reads one block of each run whose range holds
// the key, the newest first.
func (s *Set) spill() error {
	keys, _ := s.packSorted()
	defer func() { clear(s.table); s.n = 0 }()
	// The filter grows with the keys on disk, to bloomBitsPerKey each (a
	// power of two of bits, so between that and twice it), up to maxBloom:
	// a filter of the full size from the first spill cost 4 MiB to a set
	// that never held more than a few hundred thousand keys. When it
	// grows it is rebuilt from every key on disk, once per doubling;
	// otherwise only the table's keys are added to it.
	if err := s.growFilter(uint64(s.fileKeys) + uint64(len(keys))); err != nil {
		return err
	}
	for _, h := range keys {
		s.bloomAdd(h)
	}
	i := 0
	r, err := s.writeRun(func() (uint64, bool, error) {
		if i == len(keys) {
			return 0, false, nil
		}
		i++
		return keys[i-1], true, nil
	})
	if err != nil {
		return err
	}
	s.runs = append(s.runs, r)
	s.fileKeys += r.keys
	f := s.fanout()
	for n := len(s.runs); n >= f && s.runs[n-f].keys <= s.runs[n-1].keys; n = len(s.runs) {
		tail := s.runs[n-f:]
		merged, err := s.mergeRuns(tail, nil)
		if err != nil {
			return err
		}
		for i := range tail {
			tail[i].file.Close()
		}
		clear(tail) // nothing kept past the slice's end
		s.runs = append(s.runs[:n-f], merged)
	}
	return nil
}

// mergeFanout is how many runs of a size a spill merges into one while
// the filter holds bloomBitsPerKey bits or more for each key on disk.
// Two (a binary counter) rewrote each key about log2(spills) times; four
// halve that, and leave up to three runs a size where two left one.
const mergeFanout = 4

// fanout is how many runs of a size spill merges: mergeFanout while the
// filter keeps its bits a key (at most 2.2% of absent keys then read the
// runs, and an extra run costs them one block each), two once the keys on
// disk outgrow it (a 10M-row export's order rows: nearly every lookup
// then reads a block of every run, and four a size cost a 12M-key set
// 46% more reads, 27 s against 19, where the bytes saved were worth less).
func (s *Set) fanout() int {
	if uint64(s.fileKeys)*bloomBitsPerKey <= s.maxBloom {
		return mergeFanout
	}
	return 2
}

// packSorted packs the table's digests to its front in increasing order
// and returns them. Slots follow the digests' top bits, so two digests
// out of order sit in one cluster (a run of full slots): the later one's
// probe passed the earlier one's slot. One insertion-sort pass orders
// them once the first cluster's digests that wrapped past the table's
// end are moved to the back, where their slots are. This replaced
// slices.Sort of the keys (pdqsort), most of a spill's time: the set of
// orders converted spills on the settler's one goroutine after the
// export's end (issue 29).
//
// It returns the digests and sortNearly's moves.
func (s *Set) packSorted() ([]uint64, int) {
	s.moved = s.moved[:0]
	j := 0
	first := true // in the cluster that starts at slot 0
	for i, h := range s.table {
		if h == 0 {
			first = false
			continue
		}
		if first && h>>s.shift > uint64(i) {
			s.moved = append(s.moved, h) // its slot is near the end: wrapped
			continue
		}
		s.table[j] = h // j <= i: a slot already read
		j++
	}
	keys := append(s.table[:j], s.moved...)
	return keys, sortNearly(keys)
}

// sortNearly sorts keys that are in order but for near neighbours, in
// time linear in their number and displacements, and returns how many
// places it moved keys. A table at most 60% full has short clusters;
// should a table be found with long ones, past a budget of moves the sort
// hands over to slices.Sort (and returns -1).
func sortNearly(keys []uint64) int {
	budget := 8*len(keys) + 64
	moves := 0
	for i := 1; i < len(keys); i++ {
		k := keys[i]
		j := i
		for j > 0 && keys[j-1] > k {
			keys[j] = keys[j-1]
			j--
		}
		keys[j] = k
		if moves += i - j; moves > budget {
			slices.Sort(keys)
			return -1
		}
	}
	return moves
}

// errFrozen is Seen adding a key after Freeze.
var errFrozen = errors.New("order set: a key added after the set was frozen")

// growFilter makes the filter the size for n keys (bloomSize) when it is
// smaller, rebuilt from every run on disk; the caller adds the keys it
// holds in memory.
func (s *Set) growFilter(n uint64) error {
	want := bloomSize(n, s.maxBloom)
	if want <= s.bloomBits {
		return nil
	}
	var prev []uint64
	s.bloom, prev = s.mem.alloc(bloomWords, want/64)
	s.bloomBits = want
	if prev != nil {
		unmapWords(prev)
	}
	for i := range s.runs {
		if err := s.runs[i].each(s.bloomAdd); err != nil {
			return err
		}
	}
	return nil
}

// Freeze ends adding: Seen may still ask but not add. A set that is read
// many times once it is built (the withdrawals, after the export's end;
// the withdrawn rows' ids, asked once an accepted event of the ledger)
// calls it: the filter is made to hold every key, the table's too, and
// Has asks it first, so an absent key costs a probe of the filter (a
// fraction of the table's size, often in the core's cache) and not of the
// 2 MiB table, a cache miss of its own. A set that never grew past a
// small table keeps asking its table.
//
// A set with keys on disk is also made one run (compact): a lookup the
// filter cannot rule out then reads one block, not one of each run. And
// the filter is rebuilt with the number of hashes its bits a key call
// for: past the most the filter grows to (4 Mi keys with the defaults)
// it holds fewer than 8 bits a key, and seven hashes then let nearly
// every absent key through to the disk. Both made a frozen set's lookups
// cost more the more keys it held: the ledger's accepted events asked of
// the withdrawn rows of a 10M-row export took 30 times the CPU of a
// 1M-row one (TestFrozenLookupsReadOneRun).
func (s *Set) Freeze() error {
	if s.err != nil || s.frozen {
		return s.err
	}
	s.frozen = true
	if s.runs == nil && uint64(len(s.table)) < mapWordsMin {
		return nil
	}
	if err := s.refilter(); err != nil {
		s.err = err
		return err
	}
	s.filterFirst = true
	return nil
}

// refilter rebuilds the filter from every key, on disk and in the table,
// at its size for them (bloomSize) and with hashesFor's hashes, making
// the runs one on the way (compact).
func (s *Set) refilter() error {
	n := uint64(s.fileKeys) + uint64(s.n)
	if want := bloomSize(n, s.maxBloom); want > s.bloomBits {
		var prev []uint64
		s.bloom, prev = s.mem.alloc(bloomWords, want/64)
		s.bloomBits = want
		if prev != nil {
			unmapWords(prev)
		}
	} else {
		clear(s.bloom)
	}
	s.hashes = hashesFor(s.bloomBits, n)
	if err := s.compact(s.bloomAdd); err != nil {
		return err
	}
	for _, h := range s.table {
		if h != 0 {
			s.bloomAdd(h)
		}
	}
	return nil
}

// hashesFor is the number of hashes that gives the fewest false positives
// to a filter of bits for n keys (bits ÷ n × ln 2, rounded), from 1 to
// bloomHashes.
func hashesFor(bits, n uint64) uint64 {
	if n == 0 {
		return bloomHashes
	}
	k := uint64(float64(bits)/float64(n)*math.Ln2 + 0.5)
	return max(1, min(k, bloomHashes))
}

// bloomBitsPerKey sizes the filter: with bloomHashes hashes, 8 to 16 bits
// a key give a false-positive rate between 2.2% and 0.06%.
const bloomBitsPerKey = 8

// bloomSize is the filter's size in bits for n keys: the power of two at
// or above n × bloomBitsPerKey, at least 64 Ki bits (8 KiB) and at most
// limit.
func bloomSize(n, limit uint64) uint64 {
	b := uint64(1) << 16
	for b < n*bloomBitsPerKey && b < limit {
		b <<= 1
	}
	return min(b, limit)
}

// Close releases the runs' files and the memory of the table and the
// filter; the Set must not be used afterwards. A nil Set may be closed,
// and so may a closed one.
func (s *Set) Close() error {
	if s == nil {
		return nil
	}
	s.mem.release()
	s.table, s.bloom = nil, nil
	var err error
	for _, r := range s.runs {
		if cerr := r.file.Close(); err == nil {
			err = cerr
		}
	}
	s.runs = nil
	return err
}

// Len is how many keys the set holds: each key added once, in its table
// or on disk. It lets a caller's test see what a set costs (package
// pipeline: an order of one row keeps no key).
func (s *Set) Len() int {
	n := s.n + s.fileKeys
	if s.hasZero {
		n++
	}
	return n
}

// Stats reports keys held on disk and the 4 KiB blocks read from the
// runs (a lookup the filter cannot rule out reads one block of each run
// whose range holds the key), for tests and benchmarks.
func (s *Set) Stats() (onDisk, diskReads int) { return s.fileKeys, s.diskRead }
