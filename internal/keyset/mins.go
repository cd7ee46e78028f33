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
)

// Mins keeps, per 64-bit key, the least value noted for it, in memory
// that does not grow with the keys: a run's patients whose revocation is
// dated (consent.revoked_allows_earlier), each with the earliest day it
// takes effect. A Go map of them held 103 MB at 10M rows.
//
// Notes are appended to a buffer of pairs (16 bytes each; Sizes.TableSlots
// ÷ 4 of them: 1 MiB by default, as much as a Set's table at its most
// takes in half the bytes). A full buffer is sorted, each key kept once
// with its least value, and written to a sorted run on disk, unlinked,
// the runs merging as a Set's do (spill). Freeze merges them into one,
// indexed every minsBlock-th pair, and builds a Bloom filter of its keys
// (at most Sizes.BloomBits): Get then asks the filter, and reads one
// 4 KiB block for a key it lets through. A Mins that never filled its
// buffer keeps it in memory, sorted, and searches it there. Keys are
// stored as their digests (mix), like a Set's: the filter needs them
// spread, and a sorted run of them gives no order of the keys away.
type Mins struct {
	dir      string
	buf      []minPair
	maxBuf   int
	maxBloom uint64
	runs     []minRun
	frozen   bool
	// filter is a Set used for its Bloom filter alone (bloom, bloomBits,
	// hashes, mem), made by Freeze once there are runs.
	filter *Set
	err    error
}

type minPair struct {
	key uint64 // mix(key)
	v   int64
}

// minRun is one sorted file of pairs, each key once, with a sparse index
// of the first key of each block.
type minRun struct {
	file  *os.File
	n     int
	index []uint64
}

const (
	minsBlock   = 256 // pairs a block: 4 KiB
	minPairSize = 16
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
	m.buf = append(m.buf, minPair{mix(key), v})
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
	r, err := m.writeRun(func() (minPair, bool, error) {
		if i == len(m.buf) {
			return minPair{}, false, nil
		}
		i++
		return m.buf[i-1], true, nil
	})
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
	w := bufio.NewWriterSize(f, 64<<10)
	r := minRun{file: f}
	var rec [minPairSize]byte
	var last uint64
	for {
		p, ok, err := next()
		if err == nil && ok {
			if r.n > 0 && p.key <= last {
				err = fmt.Errorf("day set: key %#x after %#x: a run must increase", p.key, last)
			} else {
				if r.n%minsBlock == 0 {
					r.index = append(r.index, p.key)
				}
				r.n++
				last = p.key
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
		if err != nil {
			f.Close()
			return minRun{}, err
		}
		if !ok {
			return r, nil
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
// one (the buffer's pairs too), and the filter is built from its keys.
func (m *Mins) Freeze() error {
	if m.err != nil || m.frozen {
		return m.err
	}
	m.frozen = true
	if m.runs == nil {
		m.collapse()
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
	n := uint64(m.runs[0].n)
	f := &Set{bloomBits: bloomSize(n, m.maxBloom)}
	f.mem = newWords(f)
	f.bloom, _ = f.mem.alloc(bloomWords, f.bloomBits/64)
	f.hashes = hashesFor(f.bloomBits, n)
	m.filter = f
	next := m.runs[0].reader()
	for {
		p, ok, err := next()
		if err != nil || !ok {
			return err
		}
		f.bloomAdd(p.key)
	}
}

// Get returns the least value noted for key, and whether any was; only
// once frozen. It may be called from several goroutines at once.
func (m *Mins) Get(key uint64) (int64, bool, error) {
	if m.err != nil {
		return 0, false, m.err
	}
	if !m.frozen {
		return 0, false, errors.New("day set: asked before it was frozen")
	}
	h := mix(key)
	if m.runs == nil {
		i, found := slices.BinarySearchFunc(m.buf, h, func(p minPair, k uint64) int { return cmp.Compare(p.key, k) })
		if !found {
			return 0, false, nil
		}
		return m.buf[i].v, true, nil
	}
	if !m.filter.bloomMay(h) {
		return 0, false, nil
	}
	r := &m.runs[0]
	b := sort.Search(len(r.index), func(i int) bool { return r.index[i] > h }) - 1
	if b < 0 {
		return 0, false, nil
	}
	first := b * minsBlock
	count := min(minsBlock, r.n-first)
	var block [minsBlock * minPairSize]byte
	buf := block[:count*minPairSize]
	if _, err := r.file.ReadAt(buf, int64(first)*minPairSize); err != nil {
		return 0, false, fmt.Errorf("day set: read spill file: %w", err)
	}
	i, found := sort.Find(count, func(i int) int { return cmp.Compare(h, binary.LittleEndian.Uint64(buf[i*minPairSize:])) })
	if !found {
		return 0, false, nil
	}
	return int64(binary.LittleEndian.Uint64(buf[i*minPairSize+8:])), true, nil
}

// Len is how many pairs Mins holds in memory and on disk (keys on disk
// once each; those in memory as noted until Freeze), for tests.
func (m *Mins) Len() (inMemory, onDisk int) {
	for _, r := range m.runs {
		onDisk += r.n
	}
	return len(m.buf), onDisk
}

// Close releases the runs' files and the filter; m must not be used
// afterwards. A nil Mins may be closed, and so may a closed one.
func (m *Mins) Close() error {
	if m == nil {
		return nil
	}
	if m.filter != nil {
		m.filter.mem.release()
		m.filter = nil
	}
	var err error
	for _, r := range m.runs {
		if cerr := r.file.Close(); err == nil {
			err = cerr
		}
	}
	m.runs, m.buf = nil, nil
	return err
}
