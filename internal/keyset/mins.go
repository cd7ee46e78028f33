package keyset

import (
	"bufio"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"sync"
)

// Mins keeps, per 64-bit key, the least value noted for it, in memory
// that does not grow with the keys. It serves two callers: a run's
// patients whose revocation is dated (consent.revoked_allows_earlier),
// each with the earliest day it takes effect (a Go map of them held
// 103 MB at 10M rows), and the patients the ledger remembers as withdrawn
// (ledger.RevokedPatients: never pruned, 115 MB at 1M in a Go map, 478 MB
// at 10M; review, session 21). One structure, not two: they were built
// apart the same morning (session 21) and differed only in what is now
// here.
//
// Notes are appended to a buffer of pairs (16 bytes each; Sizes.TableSlots
// ÷ 4 of them: 1 MiB by default, as much as a Set's table at its most
// takes in half the bytes). A full buffer is sorted, each key kept once
// with its least value, and written to a sorted run on disk, unlinked,
// the runs merging as a Set's do (spill) — but for a buffer whose keys
// all lie above the newest run's, which extends that run: keys noted in
// increasing order (the ledger's ORDER BY digest) are written once, to
// one run, and never merged. Freeze merges the runs into one, indexed
// every minsBlock-th pair, and builds a split-block Bloom filter of its
// keys (16 bits a key, at most Sizes.BloomBits: one cache line a lookup):
// Get then asks the filter, and reads one 4 KiB block for a key it lets
// through. A Mins that never filled its buffer keeps it in memory: up to
// MinsMapMax keys in a Go map (a clinic's few hundred remembered patients
// cost each row one map lookup), beyond, sorted and searched there.
//
// Pairs are ordered by key ^ orderBit, the keys' order as int64, the
// order SQLite's INTEGER column sorts them in. The keys are digests
// already (patientKey, the ledger's HMACs): a run of them sorted gives
// nothing away that the digests themselves do not, and the filter hashes
// them with mix.
type Mins struct {
	dir      string
	buf      []minPair
	maxBuf   int
	maxBloom uint64
	runs     []minRun
	frozen   bool
	n        int              // distinct keys, once frozen
	small    map[uint64]int64 // frozen with no run and at most MinsMapMax keys
	// bloom is the split-block filter of the frozen run's keys (mix),
	// len a power of two × 8 words; mem owns it (off the heap from
	// 256 KiB: words.go).
	bloom []uint64
	mem   *words
	err   error

	mu      sync.Mutex
	readErr error // the first read a Get failed (Err)
}

// MinsMapMax is the most keys a frozen Mins keeps in a Go map (about
// 0.7 MB at most).
const MinsMapMax = 1 << 14

type minPair struct {
	key uint64 // key ^ orderBit
	v   int64
}

// minRun is one sorted file of pairs, each key once, with a sparse index
// of the first key of each block.
type minRun struct {
	file  *os.File
	n     int
	index []uint64
	last  uint64 // the greatest key, when n > 0
}

const (
	minsBlock    = 256 // pairs a block: 4 KiB
	minPairSize  = 16
	orderBit     = uint64(1) << 63 // key ^ orderBit: uint64 order is the keys' int64 order
	minsBloomKey = 16              // the filter's bits per key, at least
)

// NewMins returns an empty Mins; dir is where the runs go ("" is the
// system temp directory), sz sizes it as New does a Set (ShrinkDefaults
// applies).
func NewMins(dir string, sz Sizes) *Mins {
	if d := defaults.Load(); d != nil {
		sz.BloomBits = cmp.Or(sz.BloomBits, d.BloomBits)
		sz.TableSlots = cmp.Or(sz.TableSlots, d.TableSlots)
	}
	sz.BloomBits = cmp.Or(sz.BloomBits, defaultBloomBits)
	sz.TableSlots = cmp.Or(sz.TableSlots, defaultTableSlots)
	return &Mins{dir: dir, maxBuf: max(16, int(sz.TableSlots/4)), maxBloom: sz.BloomBits}
}

// Note keeps v for key unless a value no greater was noted before.
func (m *Mins) Note(key uint64, v int64) error {
	if m.err != nil {
		return m.err
	}
	if m.frozen {
		return errors.New("day set: a key noted after the set was frozen")
	}
	m.buf = append(m.buf, minPair{key ^ orderBit, v})
	if len(m.buf) >= m.maxBuf {
		if err := m.spill(); err != nil {
			m.err = err
			return err
		}
	}
	return nil
}

// collapse sorts the buffer by key and keeps each key once, with its
// least value.
func (m *Mins) collapse() {
	slices.SortFunc(m.buf, func(a, b minPair) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.v, b.v))
	})
	m.buf = slices.CompactFunc(m.buf, func(a, b minPair) bool { return a.key == b.key })
}

// spill writes the buffer to a new run and merges the newest runs while
// the older is no larger (a binary counter's carries, as Set.spill).
func (m *Mins) spill() error {
	m.collapse()
	i := 0
	next := func() (minPair, bool, error) {
		if i == len(m.buf) {
			return minPair{}, false, nil
		}
		i++
		return m.buf[i-1], true, nil
	}
	if n := len(m.runs); n > 0 && len(m.buf) > 0 && m.buf[0].key > m.runs[n-1].last {
		// Keys in order: the newest run goes on, nothing to merge.
		err := m.runs[n-1].write(next)
		m.buf = m.buf[:0]
		return err
	}
	r, err := m.writeRun(next)
	m.buf = m.buf[:0]
	if err != nil {
		return err
	}
	m.runs = append(m.runs, r)
	for n := len(m.runs); n >= 2 && m.runs[n-2].n <= m.runs[n-1].n; n = len(m.runs) {
		if err := m.mergeLast(); err != nil {
			return err
		}
	}
	return nil
}

// mergeLast merges the two newest runs into one; a key in both keeps its
// least value.
func (m *Mins) mergeLast() error {
	n := len(m.runs)
	a, b := &m.runs[n-2], &m.runs[n-1]
	na, nb := a.reader(), b.reader()
	pa, okA, err := na()
	if err != nil {
		return err
	}
	pb, okB, err := nb()
	if err != nil {
		return err
	}
	merged, err := m.writeRun(func() (p minPair, ok bool, err error) {
		switch {
		case okA && okB && pa.key == pb.key:
			p = minPair{pa.key, min(pa.v, pb.v)}
			if pa, okA, err = na(); err == nil {
				pb, okB, err = nb()
			}
		case okA && (!okB || pa.key < pb.key):
			p = pa
			pa, okA, err = na()
		case okB:
			p = pb
			pb, okB, err = nb()
		default:
			return minPair{}, false, nil
		}
		return p, true, err
	})
	if err != nil {
		return err
	}
	a.file.Close()
	b.file.Close()
	m.runs[n-1] = minRun{}
	m.runs = append(m.runs[:n-2], merged)
	return nil
}

// writeRun writes the pairs next gives, keys increasing, to a new
// unlinked file, indexing every minsBlock-th key.
func (m *Mins) writeRun(next func() (minPair, bool, error)) (minRun, error) {
	f, err := os.CreateTemp(m.dir, "hashgate-days-*")
	if err != nil {
		return minRun{}, fmt.Errorf("day set: %w", err)
	}
	_ = os.Remove(f.Name()) // unlinked: the handle keeps it, a crash leaves nothing behind (Unix)
	r := minRun{file: f}
	if err := r.write(next); err != nil {
		f.Close()
		return minRun{}, err
	}
	return r, nil
}

// write appends the pairs next gives, keys increasing and above r's, to
// r's file, indexing every minsBlock-th key.
func (r *minRun) write(next func() (minPair, bool, error)) error {
	w := bufio.NewWriterSize(io.NewOffsetWriter(r.file, int64(r.n)*minPairSize), 64<<10)
	var rec [minPairSize]byte
	for {
		p, ok, err := next()
		if err == nil && ok {
			if r.n > 0 && p.key <= r.last {
				err = fmt.Errorf("day set: key %#x after %#x: a run must increase", p.key, r.last)
			} else {
				if r.n%minsBlock == 0 {
					r.index = append(r.index, p.key)
				}
				r.n++
				r.last = p.key
				binary.LittleEndian.PutUint64(rec[:], p.key)
				binary.LittleEndian.PutUint64(rec[8:], uint64(p.v))
				if _, werr := w.Write(rec[:]); werr != nil {
					err = fmt.Errorf("day set: write spill file: %w", werr)
				}
			}
		}
		if err == nil && !ok {
			if ferr := w.Flush(); ferr != nil {
				err = fmt.Errorf("day set: write spill file: %w", ferr)
			}
		}
		if err != nil || !ok {
			return err
		}
	}
}

// reader reads r's pairs in order.
func (r *minRun) reader() func() (minPair, bool, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(r.file, 0, int64(r.n)*minPairSize), 64<<10)
	var rec [minPairSize]byte
	return func() (minPair, bool, error) {
		if _, err := io.ReadFull(br, rec[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return minPair{}, false, nil
			}
			return minPair{}, false, fmt.Errorf("day set: read spill file: %w", err)
		}
		return minPair{binary.LittleEndian.Uint64(rec[:]), int64(binary.LittleEndian.Uint64(rec[8:]))}, true, nil
	}
}

// Freeze ends noting: Get may ask from now on. The runs, if any, become
// one (the buffer's pairs too), and the filter is built from its keys;
// else up to MinsMapMax keys move to a map.
func (m *Mins) Freeze() error {
	if m.err != nil || m.frozen {
		return m.err
	}
	m.frozen = true
	if m.runs == nil {
		m.collapse()
		m.n = len(m.buf)
		if m.n > 0 && m.n <= MinsMapMax {
			m.small = make(map[uint64]int64, m.n)
			for _, p := range m.buf {
				m.small[p.key^orderBit] = p.v
			}
			m.buf = nil
		}
		return nil
	}
	if err := m.freezeRuns(); err != nil {
		m.err = err
		return err
	}
	return nil
}

func (m *Mins) freezeRuns() error {
	if len(m.buf) > 0 {
		if err := m.spill(); err != nil {
			return err
		}
	}
	for len(m.runs) > 1 {
		if err := m.mergeLast(); err != nil {
			return err
		}
	}
	m.buf = nil
	m.n = m.runs[0].n
	w := uint64(8)
	for w*64 < uint64(m.n)*minsBloomKey && w*64 < m.maxBloom {
		w <<= 1
	}
	m.mem = newWords(m)
	m.bloom, _ = m.mem.alloc(bloomWords, w)
	next := m.runs[0].reader()
	for {
		p, ok, err := next()
		if err != nil || !ok {
			return err
		}
		m.bloomAdd(mix(p.key ^ orderBit))
	}
}

// The filter is split-block (as Parquet's): a key's 8 bits lie in one
// 64-byte block, one bit in each of its words, so a lookup touches one
// cache line where a plain filter's 7 probes touched 7.
var minsSalts = [8]uint64{0x47b6137b44974d91, 0x8824ad5ba2b7289d, 0x705495c72df1424b, 0x9efc49475c6bfb31,
	0x44974d9147b6137b, 0xa2b7289d8824ad5b, 0x2df1424b705495c7, 0x5c6bfb319efc4947}

func (m *Mins) bloomBlock(h uint64) []uint64 {
	b := (h >> 32) & uint64(len(m.bloom)/8-1)
	return m.bloom[b*8 : b*8+8]
}

func (m *Mins) bloomMay(h uint64) bool {
	for i, w := range m.bloomBlock(h) {
		if w&(1<<((uint64(uint32(h))*minsSalts[i])>>58)) == 0 {
			return false
		}
	}
	return true
}

func (m *Mins) bloomAdd(h uint64) {
	block := m.bloomBlock(h)
	for i := range block {
		block[i] |= 1 << ((uint64(uint32(h)) * minsSalts[i]) >> 58)
	}
}

// Get returns the least value noted for key, and whether any was; only
// once frozen. It may be called from several goroutines at once. A nil
// Mins is empty. A block it cannot read is an error, which Err keeps
// too: the ledger's remembered withdrawals treat such a patient as
// withdrawn from every appointment, and the run stops on Err before
// anything is sent.
func (m *Mins) Get(key uint64) (int64, bool, error) {
	if m == nil {
		return 0, false, nil
	}
	if m.small != nil {
		v, ok := m.small[key]
		return v, ok, nil
	}
	if m.err != nil {
		return 0, false, m.err
	}
	if !m.frozen {
		return 0, false, errors.New("day set: asked before it was frozen")
	}
	k := key ^ orderBit
	if m.runs == nil {
		i, found := slices.BinarySearchFunc(m.buf, k, func(p minPair, k uint64) int { return cmp.Compare(p.key, k) })
		if !found {
			return 0, false, nil
		}
		return m.buf[i].v, true, nil
	}
	if !m.bloomMay(mix(key)) {
		return 0, false, nil
	}
	r := &m.runs[0]
	b := sort.Search(len(r.index), func(i int) bool { return r.index[i] > k }) - 1
	if b < 0 {
		return 0, false, nil
	}
	first := b * minsBlock
	count := min(minsBlock, r.n-first)
	var block [minsBlock * minPairSize]byte
	buf := block[:count*minPairSize]
	if _, err := r.file.ReadAt(buf, int64(first)*minPairSize); err != nil {
		err = fmt.Errorf("day set: read spill file: %w", err)
		m.mu.Lock()
		if m.readErr == nil {
			m.readErr = err
		}
		m.mu.Unlock()
		return 0, false, err
	}
	i, found := sort.Find(count, func(i int) int { return cmp.Compare(k, binary.LittleEndian.Uint64(buf[i*minPairSize:])) })
	if !found {
		return 0, false, nil
	}
	return int64(binary.LittleEndian.Uint64(buf[i*minPairSize+8:])), true, nil
}

// Err is the first error a Get met reading the disk, nil if none (nor a
// nil Mins).
func (m *Mins) Err() error {
	if m == nil {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.readErr
}

// Len is how many keys a frozen Mins holds (0 before Freeze, and for a
// nil Mins).
func (m *Mins) Len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// Spilled is how many pairs Mins holds in memory and on disk (keys on
// disk once each; those in memory as noted until Freeze), for tests.
func (m *Mins) Spilled() (inMemory, onDisk int) {
	for _, r := range m.runs {
		onDisk += r.n
	}
	return len(m.buf) + len(m.small), onDisk
}

// Close releases the runs' files and the filter; m must not be used
// afterwards. A nil Mins may be closed, and so may a closed one.
func (m *Mins) Close() error {
	if m == nil {
		return nil
	}
	if m.mem != nil {
		m.mem.release()
		m.mem, m.bloom = nil, nil
	}
	var err error
	for _, r := range m.runs {
		if cerr := r.file.Close(); err == nil {
			err = cerr
		}
	}
	m.runs, m.buf, m.small = nil, nil, nil
	return err
}
