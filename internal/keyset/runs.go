package keyset

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
)

// The runs on disk: each a sorted file of digests, written by a spill or a
// merge and read by lookups the filter cannot rule out.

// run is one sorted file of keys on disk, unlinked, with a sparse index.
// Its "keys" are the keys' digests (mix), which name the keys exactly:
// mix is a bijection.
type run struct {
	file  *os.File
	keys  int
	index []uint64 // first key of each block of the file
	last  uint64   // its largest key
}

// search looks key up in r's one block that may hold it.
func (r *run) search(key uint64, block []byte) (bool, error) {
	b := sort.Search(len(r.index), func(i int) bool { return r.index[i] > key }) - 1
	first := b * blockKeys
	count := min(blockKeys, r.keys-first)
	buf := block[:count*8]
	if _, err := r.file.ReadAt(buf, int64(first)*8); err != nil {
		return false, fmt.Errorf("order set: read spill file: %w", err)
	}
	lo, hi := 0, count
	for lo < hi {
		m := (lo + hi) / 2
		v := binary.LittleEndian.Uint64(buf[m*8:])
		switch {
		case v == key:
			return true, nil
		case v < key:
			lo = m + 1
		default:
			hi = m
		}
	}
	return false, nil
}

// writeRun writes the keys next gives, in increasing order, to a new
// unlinked file, indexing every blockKeys-th.
func (s *Set) writeRun(next func() (uint64, bool, error)) (run, error) {
	r, err := writeRun(s.dir, next)
	if err == nil {
		s.written += r.keys
	}
	return r, err
}

// writeRun writes a run in dir (Set.writeRun).
func writeRun(dir string, next func() (uint64, bool, error)) (run, error) {
	f, err := os.CreateTemp(dir, "hashgate-orders-*")
	if err != nil {
		return run{}, fmt.Errorf("order set: %w", err)
	}
	_ = os.Remove(f.Name()) // unlinked: the handle keeps it, a crash leaves nothing behind (Unix)
	w := bufio.NewWriterSize(f, 64<<10)
	r := run{file: f}
	for {
		k, ok, err := next() // a read error of a merge, wrapped already
		if err == nil && ok {
			if r.keys > 0 && k <= r.last {
				err = fmt.Errorf("order set: key %#x after %#x: a run must increase", k, r.last)
			} else {
				if r.keys%blockKeys == 0 {
					r.index = append(r.index, k)
				}
				r.keys++
				r.last = k
				// Appended in w's own buffer (bufio's AvailableBuffer idiom),
				// not written from an [8]byte of this frame: Write may hand
				// its argument to the file (io.Writer), so such an array
				// was moved to the heap, and a profile that inlined
				// writeRun into spill showed it as a new escape there
				// (testdata/bench/pgocheck.sh, docs/performance.md).
				var werr error
				if w.Available() < 8 {
					werr = w.Flush()
				}
				if werr == nil {
					_, werr = w.Write(binary.LittleEndian.AppendUint64(w.AvailableBuffer(), k))
				}
				if werr != nil {
					err = fmt.Errorf("order set: write spill file: %w", werr)
				}
			}
		}
		if err == nil && !ok {
			if ferr := w.Flush(); ferr != nil {
				err = fmt.Errorf("order set: write spill file: %w", ferr)
			}
		}
		if err != nil {
			f.Close()
			return run{}, err
		}
		if !ok {
			return r, nil
		}
	}
}

// reader reads r's keys in order.
func (r *run) reader() func() (uint64, bool, error) {
	br := bufio.NewReaderSize(io.NewSectionReader(r.file, 0, int64(r.keys)*8), 64<<10)
	var word [8]byte
	return func() (uint64, bool, error) {
		if _, err := io.ReadFull(br, word[:]); err != nil {
			if errors.Is(err, io.EOF) {
				return 0, false, nil
			}
			return 0, false, fmt.Errorf("order set: read spill file: %w", err)
		}
		return binary.LittleEndian.Uint64(word[:]), true, nil
	}
}

// each calls f with each of r's keys in order.
func (r *run) each(f func(uint64)) error {
	next := r.reader()
	for {
		k, ok, err := next()
		if err != nil || !ok {
			return err
		}
		f(k)
	}
}

// mergeRuns writes the keys of rs, in order, to a new run, calling f (if
// not nil) with each. The runs never share a key: Seen adds only a key it
// found nowhere. It reads every run once, whatever their number: spill
// merges mergeFanout of them, compact all.
func (s *Set) mergeRuns(rs []run, f func(uint64)) (run, error) {
	next := make([]func() (uint64, bool, error), len(rs))
	head := make([]uint64, len(rs))
	live := make([]bool, len(rs))
	want := 0
	for i := range rs {
		next[i] = rs[i].reader()
		want += rs[i].keys
		var err error
		if head[i], live[i], err = next[i](); err != nil {
			return run{}, err
		}
	}
	merged, err := s.writeRun(func() (uint64, bool, error) {
		m := -1 // the run whose next key is the least: the runs share none
		for i := range head {
			if live[i] && (m < 0 || head[i] < head[m]) {
				m = i
			}
		}
		if m < 0 {
			return 0, false, nil
		}
		k := head[m]
		var err error
		head[m], live[m], err = next[m]()
		if f != nil {
			f(k)
		}
		return k, true, err
	})
	if err == nil && merged.keys != want {
		merged.file.Close()
		err = fmt.Errorf("order set: %d keys merged of %d in the runs", merged.keys, want)
	}
	return merged, err
}

// compact makes the runs one, calling f with each key in order: a merge
// of them all in one pass (spill's tiers leave up to mergeFanout−1 of a
// size), or a read of the one run there is. A frozen set's lookup then
// reads one block where it read one of each run (Freeze).
func (s *Set) compact(f func(uint64)) error {
	switch len(s.runs) {
	case 0:
		return nil
	case 1:
		return s.runs[0].each(f)
	}
	merged, err := s.mergeRuns(s.runs, f)
	if err != nil {
		return err
	}
	if merged.keys != s.fileKeys {
		merged.file.Close()
		return fmt.Errorf("order set: %d keys merged of %d on disk", merged.keys, s.fileKeys)
	}
	for i := range s.runs {
		s.runs[i].file.Close()
	}
	s.runs = append(s.runs[:0], merged)
	clear(s.runs[1:cap(s.runs)]) // nothing kept past the slice's end
	return nil
}
