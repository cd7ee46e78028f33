// Package digestmap is a read-only map of 64-bit keyed digests to int64
// values whose memory does not grow with the keys it holds: the patients
// a ledger remembers as withdrawn, each with the day from which their
// appointments are withdrawn (pipeline.PatientRevocations). A withdrawal
// does not expire, so their number only grows; loaded into a Go map they
// cost 115 MB at 1M patients and 478 MB at 10M on every upload and
// dry-run (review, session 21).
//
// A Map is built once, from keys given in increasing order (a SQLite
// INTEGER column's: the keys read as int64), and then only read, from
// any number of goroutines:
//
//   - up to SmallMax keys sit in a Go map, so a clinic's few hundred
//     remembered patients cost each row the one map lookup they cost
//     before;
//   - beyond, the pairs are written in order to an unlinked file of
//     16-byte records, with a sparse index (the first key of each 4 KiB
//     block) and a split-block Bloom filter (16 to 32 bits a key, at most
//     8 MiB: one cache line a lookup) in memory. A key the filter rules
//     out costs one cache line; one it cannot costs a binary search of
//     the index and one 4 KiB read, from the page cache.
//
// At 10M keys that is 8 MiB of filter and 320 KB of index (the filter's
// false positives then near 5%), against 478 MB. The file holds digests
// and days only, never a patient key, and disappears with the process.
package digestmap

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"sync"

	"github.com/hashgate/hashgate/internal/keyset"
)

// SmallMax is the most keys a Map keeps in a Go map (about 0.7 MB at
// most); a Map of more keeps them on disk.
const SmallMax = 1 << 14

const (
	recBytes      = 16              // a record: the key's order word, the value
	blockRecs     = 256             // records per indexed block: 4 KiB
	bloomBitsKey  = 16              // the filter's bits per key, at least
	maxBloomWords = 1 << 20         // 8 MiB of filter at most
	signBit       = uint64(1) << 63 // order words: keys read as int64, as the ledger sorts them
)

// Map maps keys to values. The zero value and nil are empty Maps.
type Map struct {
	small map[uint64]int64
	n     int
	// On disk (file != nil): records of (order word, value), the order
	// word being key ^ signBit so that uint64 order is the keys' int64
	// order; index holds each block's first order word.
	file  *os.File
	index []uint64
	bloom []uint64 // split-block filter: blocks of 8 words, len a power of two × 8

	mu  sync.Mutex
	err error // the first read that failed (Err)
}

// Len is how many keys m holds.
func (m *Map) Len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// OnDisk reports whether m keeps its keys in a file (more than SmallMax).
func (m *Map) OnDisk() bool { return m != nil && m.file != nil }

// Get returns key's value and whether m holds key. It may be called from
// several goroutines at once. When the file cannot be read it answers
// that m holds key with value 0 and keeps the error for Err: a run asking
// whether a patient withdrew treats one it could not look up as withdrawn
// from every appointment, and stops on Err before anything is sent.
func (m *Map) Get(key uint64) (int64, bool) {
	if m == nil {
		return 0, false
	}
	if m.file == nil {
		v, ok := m.small[key]
		return v, ok
	}
	return m.lookup(key)
}

// Err is the first error a Get met reading the file, nil if none.
func (m *Map) Err() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.err
}

// Close releases the file and the memory; m must not be used afterwards.
// A nil Map may be closed.
func (m *Map) Close() error {
	if m == nil || m.file == nil {
		return nil
	}
	err := m.file.Close()
	m.file, m.index, m.bloom, m.small = nil, nil, nil, nil
	return err
}

func (m *Map) lookup(key uint64) (int64, bool) {
	if !m.bloomMay(keyset.Mix(key)) {
		return 0, false
	}
	w := key ^ signBit
	b := sort.Search(len(m.index), func(i int) bool { return m.index[i] > w }) - 1
	if b < 0 {
		return 0, false
	}
	first := b * blockRecs
	count := min(blockRecs, m.n-first)
	var block [blockRecs * recBytes]byte
	buf := block[:count*recBytes]
	if _, err := m.file.ReadAt(buf, int64(first)*recBytes); err != nil {
		m.fail(fmt.Errorf("remembered withdrawals: read their file: %w", err))
		return 0, true
	}
	lo, hi := 0, count
	for lo < hi {
		mid := (lo + hi) / 2
		switch v := binary.LittleEndian.Uint64(buf[mid*recBytes:]); {
		case v == w:
			return int64(binary.LittleEndian.Uint64(buf[mid*recBytes+8:])), true
		case v < w:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	return 0, false
}

func (m *Map) fail(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.err == nil {
		m.err = err
	}
}

// The filter is split-block (as Parquet's): a key's 8 bits lie in one
// 64-byte block, one bit in each of its words, so a lookup touches one
// cache line where a plain filter's 7 probes touched 7.
var salts = [8]uint64{0x47b6137b44974d91, 0x8824ad5ba2b7289d, 0x705495c72df1424b, 0x9efc49475c6bfb31,
	0x44974d9147b6137b, 0xa2b7289d8824ad5b, 0x2df1424b705495c7, 0x5c6bfb319efc4947}

func (m *Map) bloomAt(h uint64) (block []uint64, lo uint32) {
	blocks := uint64(len(m.bloom) / 8)
	b := (h >> 32) & (blocks - 1)
	return m.bloom[b*8 : b*8+8], uint32(h)
}

func (m *Map) bloomMay(h uint64) bool {
	block, lo := m.bloomAt(h)
	for i, w := range block {
		if w&(1<<((uint64(lo)*salts[i])>>58)) == 0 {
			return false
		}
	}
	return true
}

func (m *Map) bloomAdd(h uint64) {
	block, lo := m.bloomAt(h)
	for i := range block {
		block[i] |= 1 << ((uint64(lo) * salts[i]) >> 58)
	}
}

// bloomWords is the filter's size for n keys: a power of two of 8-word
// blocks at or above n × bloomBitsKey bits, at most maxBloomWords.
func bloomWords(n int) int {
	w := 8
	for w*64 < n*bloomBitsKey && w < maxBloomWords {
		w <<= 1
	}
	return w
}

// ErrOrder: Build was given a key not above the one before (as int64).
var ErrOrder = errors.New("digestmap: keys not in increasing order")

// Build makes a Map of the pairs fill gives add, in increasing order of
// the keys read as int64 (a SQLite INTEGER column's ORDER BY); dir is
// where its file goes when it needs one ("": the system's temporary
// directory). It returns nil when fill added nothing, and on an error
// (fill's, the file's, ErrOrder) leaves nothing behind.
func Build(dir string, fill func(add func(key uint64, v int64) error) error) (*Map, error) {
	b := builder{dir: dir}
	err := fill(b.add)
	if err == nil {
		err = b.finish()
	}
	if err != nil {
		if b.m.file != nil {
			b.m.file.Close()
		}
		return nil, err
	}
	if b.m.n == 0 {
		return nil, nil
	}
	return &b.m, nil
}

// Of makes a Map of pairs, for a caller that has them in a map already
// (tests, a few hundred patients).
func Of(pairs map[uint64]int64) *Map {
	keys := make([]uint64, 0, len(pairs))
	for k := range pairs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b uint64) int { return cmpInt(int64(a), int64(b)) })
	m, err := Build("", func(add func(uint64, int64) error) error {
		for _, k := range keys {
			if err := add(k, pairs[k]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		// Only a file could fail, for more than SmallMax pairs: those
		// fit in memory already, so keep them there.
		return &Map{small: pairs, n: len(pairs)}
	}
	return m
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

type builder struct {
	dir  string
	m    Map
	pend []pair // the first SmallMax pairs, until they move to the file
	last uint64 // the last order word added
	w    *bufio.Writer
}

type pair struct {
	key uint64
	v   int64
}

func (b *builder) add(key uint64, v int64) error {
	w := key ^ signBit
	if b.m.n > 0 && w <= b.last {
		return ErrOrder
	}
	b.last = w
	if b.m.file == nil && b.m.n < SmallMax {
		b.pend = append(b.pend, pair{key, v})
		b.m.n++
		return nil
	}
	if b.m.file == nil {
		if err := b.spill(); err != nil {
			return err
		}
	}
	return b.write(w, v)
}

// spill moves the pending pairs to a new file.
func (b *builder) spill() error {
	f, err := os.CreateTemp(b.dir, "hashgate-withdrawn-*")
	if err != nil {
		return fmt.Errorf("remembered withdrawals: %w", err)
	}
	_ = os.Remove(f.Name()) // unlinked: the handle keeps it, a crash leaves nothing behind (Unix)
	b.m.file, b.w = f, bufio.NewWriterSize(f, 64<<10)
	pend := b.pend
	b.pend, b.m.n = nil, 0
	for _, p := range pend {
		if err := b.write(p.key^signBit, p.v); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) write(w uint64, v int64) error {
	if b.m.n%blockRecs == 0 {
		b.m.index = append(b.m.index, w)
	}
	var rec [recBytes]byte
	binary.LittleEndian.PutUint64(rec[:], w)
	binary.LittleEndian.PutUint64(rec[8:], uint64(v))
	if _, err := b.w.Write(rec[:]); err != nil {
		return fmt.Errorf("remembered withdrawals: write their file: %w", err)
	}
	b.m.n++
	return nil
}

// finish makes the small map, or flushes the file and fills the filter
// from it (its size needs the number of keys).
func (b *builder) finish() error {
	if b.m.file == nil {
		if len(b.pend) > 0 {
			b.m.small = make(map[uint64]int64, len(b.pend))
			for _, p := range b.pend {
				b.m.small[p.key] = p.v
			}
		}
		b.pend = nil
		return nil
	}
	if err := b.w.Flush(); err != nil {
		return fmt.Errorf("remembered withdrawals: write their file: %w", err)
	}
	b.w = nil
	b.m.bloom = make([]uint64, bloomWords(b.m.n))
	r := bufio.NewReaderSize(io.NewSectionReader(b.m.file, 0, int64(b.m.n)*recBytes), 64<<10)
	var rec [recBytes]byte
	for range b.m.n {
		if _, err := io.ReadFull(r, rec[:]); err != nil {
			return fmt.Errorf("remembered withdrawals: read their file: %w", err)
		}
		b.m.bloomAdd(keyset.Mix(binary.LittleEndian.Uint64(rec[:]) ^ signBit))
	}
	return nil
}
