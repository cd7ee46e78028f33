package channels

import (
	"bufio"
	"container/heap"
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
	b    []byte
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
	if _, err := io.ReadFull(s.r, s.b); err != nil {
		return false, fmt.Errorf("%s spill file: %w", s.what, err)
	}
	s.left--
	s.cur = s.dec(s.b)
	return true, nil
}

type mergeHeap[T any] struct {
	s   []*source[T]
	cmp func(a, b T) int
}

func (h *mergeHeap[T]) Len() int           { return len(h.s) }
func (h *mergeHeap[T]) Less(i, j int) bool { return h.cmp(h.s[i].cur, h.s[j].cur) < 0 }
func (h *mergeHeap[T]) Swap(i, j int)      { h.s[i], h.s[j] = h.s[j], h.s[i] }
func (h *mergeHeap[T]) Push(x any)         { h.s = append(h.s, x.(*source[T])) }
func (h *mergeHeap[T]) Pop() any {
	x := h.s[len(h.s)-1]
	h.s = h.s[:len(h.s)-1]
	return x
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
		if err := add(&source[T]{r: bufio.NewReaderSize(sr, 16<<10), left: r.n, b: make([]byte, s.c.size), dec: s.c.dec, what: s.c.what}); err != nil {
			return err
		}
	}
	heap.Init(h)
	for h.Len() > 0 {
		src := h.s[0]
		if err := fn(src.cur); err != nil {
			return err
		}
		ok, err := src.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(h, 0)
		} else {
			heap.Pop(h)
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
