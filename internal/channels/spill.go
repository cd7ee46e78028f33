package channels

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// codec writes a record of fixed size and orders records.
type codec[T any] struct {
	size int
	enc  func(b []byte, v T)
	dec  func(b []byte) T
	cmp  func(a, b T) int
	// sort, when set, orders a buffer as cmp does, faster (identCodec's
	// radix sort); nil is slices.SortFunc with cmp.
	sort func([]T)
	what string // for errors: "order", "new-patient"
}

// sorter is an external sort in memory that does not grow with the input:
// records are buffered up to a fixed count, then sorted and written to a
// temp file as a run; the runs are merged at the end. A small input never
// touches the disk. The file holds keys derived under a per-run random
// seed, times, channel indexes and amounts — never a cell of the export —
// and is unlinked when the sorter is closed (at once, where the system
// allows).
type sorter[T any] struct {
	c     codec[T]
	buf   []T
	max   int
	dir   string
	file  *os.File
	runs  []run
	bytes int64
}

type run struct{ off, n int64 }

func newSorter[T any](c codec[T], dir string, max int) *sorter[T] {
	return &sorter[T]{c: c, max: max, dir: dir}
}

func (s *sorter[T]) add(v T) error {
	if len(s.buf) == cap(s.buf) {
		// Grow by doubling but never past max: append's own growth
		// overshoots it by up to a quarter, and each step leaves the old
		// array as garbage beside the new one.
		s.buf = slices.Grow(s.buf, min(max(2*cap(s.buf), 256), s.max)-len(s.buf))
	}
	s.buf = append(s.buf, v)
	if len(s.buf) >= s.max {
		return s.spill()
	}
	return nil
}

func (s *sorter[T]) spill() error {
	if s.file == nil {
		f, err := os.CreateTemp(s.dir, "hashgate-"+s.c.what+"-*")
		if err != nil {
			return fmt.Errorf("%s spill file: %w", s.c.what, err)
		}
		_ = os.Remove(f.Name()) // unlinked at once where the system allows; close removes it elsewhere
		s.file = f
	}
	s.sortBuf()
	w := bufio.NewWriterSize(io.NewOffsetWriter(s.file, s.bytes), 64<<10)
	b := make([]byte, s.c.size)
	for _, v := range s.buf {
		s.c.enc(b, v)
		if _, err := w.Write(b); err != nil {
			return fmt.Errorf("%s spill file: %w", s.c.what, err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("%s spill file: %w", s.c.what, err)
	}
	s.runs = append(s.runs, run{off: s.bytes, n: int64(len(s.buf))})
	s.bytes += int64(len(s.buf)) * int64(s.c.size)
	s.buf = s.buf[:0]
	return nil
}

func (s *sorter[T]) sortBuf() {
	if s.c.sort != nil {
		s.c.sort(s.buf)
		return
	}
	slices.SortFunc(s.buf, s.c.cmp)
}

// source is one sorted run being merged.
type source[T any] struct {
	r    *bufio.Reader
	left int64
	mem  []T // the in-memory run, when r is nil
	cur  T
	size int
	dec  func([]byte) T
	what string
}

func (s *source[T]) next() (bool, error) {
	if s.r == nil {
		if len(s.mem) == 0 {
			return false, nil
		}
		s.cur, s.mem = s.mem[0], s.mem[1:]
		return true, nil
	}
	if s.left == 0 {
		return false, nil
	}
	// Decoded where bufio holds it (io.ReadFull copied it first, and
	// cost a call chain per record).
	b, err := s.r.Peek(s.size)
	if err != nil {
		if err == io.EOF && len(b) > 0 {
			err = io.ErrUnexpectedEOF // as io.ReadFull says it
		}
		return false, fmt.Errorf("%s spill file: %w", s.what, err)
	}
	s.cur = s.dec(b)
	_, _ = s.r.Discard(s.size) // peeked: cannot fail
	s.left--
	return true, nil
}

// mergeHeap is container/heap's algorithm over the runs' current
// records, written out for cmp: through heap.Interface every comparison
// was two indirect calls, per record merged. The order of equal records
// is container/heap's, unchanged.
type mergeHeap[T any] struct {
	s   []*source[T]
	cmp func(a, b T) int
}

func (h *mergeHeap[T]) less(i, j int) bool { return h.cmp(h.s[i].cur, h.s[j].cur) < 0 }

// down is heap.down.
func (h *mergeHeap[T]) down(i, n int) {
	for {
		j := 2*i + 1
		if j >= n || j < 0 {
			return
		}
		if j2 := j + 1; j2 < n && h.less(j2, j) {
			j = j2
		}
		if !h.less(j, i) {
			return
		}
		h.s[i], h.s[j] = h.s[j], h.s[i]
		i = j
	}
}

// init is heap.Init.
func (h *mergeHeap[T]) init() {
	n := len(h.s)
	for i := n/2 - 1; i >= 0; i-- {
		h.down(i, n)
	}
}

// pop drops the least (heap.Pop); fixing the least after it changed is
// down(0, len) (heap.Fix at the root: up is nothing there).
func (h *mergeHeap[T]) pop() {
	n := len(h.s) - 1
	h.s[0], h.s[n] = h.s[n], h.s[0]
	h.down(0, n)
	h.s = h.s[:n]
}

// each calls fn with every record, in order.
func (s *sorter[T]) each(fn func(T) error) error {
	s.sortBuf()
	h := &mergeHeap[T]{cmp: s.c.cmp}
	add := func(src *source[T]) error {
		ok, err := src.next()
		if ok {
			h.s = append(h.s, src)
		}
		return err
	}
	if err := add(&source[T]{mem: s.buf}); err != nil {
		return err
	}
	for _, r := range s.runs {
		sr := io.NewSectionReader(s.file, r.off, r.n*int64(s.c.size))
		if err := add(&source[T]{r: bufio.NewReaderSize(sr, 16<<10), left: r.n, size: s.c.size, dec: s.c.dec, what: s.c.what}); err != nil {
			return err
		}
	}
	h.init()
	for len(h.s) > 0 {
		src := h.s[0]
		if err := fn(src.cur); err != nil {
			return err
		}
		ok, err := src.next()
		if err != nil {
			return err
		}
		if ok {
			h.down(0, len(h.s))
		} else {
			h.pop()
		}
	}
	return nil
}

func (s *sorter[T]) close() error {
	if s.file == nil {
		return nil
	}
	name := s.file.Name()
	err := s.file.Close()
	if rerr := os.Remove(name); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}
