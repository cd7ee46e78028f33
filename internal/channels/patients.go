package channels

import (
	"bufio"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
)

// visitLog gathers one record per visit of a patient (input.columns
// patient_key) and answers, per patient, the first visit and the revenue
// of all visits — in memory that does not grow with the export: records
// are buffered up to a fixed count, then sorted and written to a temp file
// as a run; the runs are merged at the end (an external sort). A small
// export never touches the disk. The file holds 64-bit keys derived from
// the patient key under a per-run random seed, times, channel indexes and
// amounts — never a patient key — and is unlinked when the log is closed.
type visitLog struct {
	buf   []visit
	max   int
	file  *os.File
	runs  []run // sections of file
	seq   uint64
	dir   string
	bytes int64
}

// visit is one visit of one patient.
type visit struct {
	key     uint64
	at      int64 // unix seconds
	seq     uint64
	channel int32
	value   float64
}

type run struct{ off, n int64 }

const visitSize = 8 + 8 + 8 + 4 + 8

// defaultVisitBuffer: 1<<18 visits, 9 MiB; exports with more visits than
// that of patients with a key spill.
const defaultVisitBuffer = 1 << 18

func newVisitLog(dir string, max int) *visitLog {
	if max <= 0 {
		max = defaultVisitBuffer
	}
	return &visitLog{max: max, dir: dir}
}

func (l *visitLog) add(key uint64, at int64, channel int, value float64) error {
	l.buf = append(l.buf, visit{key: key, at: at, seq: l.seq, channel: int32(channel), value: value})
	l.seq++
	if len(l.buf) >= l.max {
		return l.spill()
	}
	return nil
}

// less orders visits by patient, then time, then the order they were read
// (so the first of two visits at the same time is the first visit).
func less(a, b visit) int {
	switch {
	case a.key != b.key:
		return cmp(a.key, b.key)
	case a.at != b.at:
		return cmp(a.at, b.at)
	}
	return cmp(a.seq, b.seq)
}

func cmp[T int64 | uint64](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (l *visitLog) spill() error {
	if l.file == nil {
		f, err := os.CreateTemp(l.dir, "hashgate-visits-*")
		if err != nil {
			return fmt.Errorf("new-patient spill file: %w", err)
		}
		_ = os.Remove(f.Name()) // unlinked at once where the system allows; Close removes it elsewhere
		l.file = f
	}
	slices.SortFunc(l.buf, less)
	w := bufio.NewWriterSize(io.NewOffsetWriter(l.file, l.bytes), 64<<10)
	var b [visitSize]byte
	for _, v := range l.buf {
		encode(b[:], v)
		if _, err := w.Write(b[:]); err != nil {
			return fmt.Errorf("new-patient spill file: %w", err)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("new-patient spill file: %w", err)
	}
	l.runs = append(l.runs, run{off: l.bytes, n: int64(len(l.buf))})
	l.bytes += int64(len(l.buf)) * visitSize
	l.buf = l.buf[:0]
	return nil
}

func encode(b []byte, v visit) {
	binary.LittleEndian.PutUint64(b[0:], v.key)
	binary.LittleEndian.PutUint64(b[8:], uint64(v.at))
	binary.LittleEndian.PutUint64(b[16:], v.seq)
	binary.LittleEndian.PutUint32(b[24:], uint32(v.channel))
	binary.LittleEndian.PutUint64(b[28:], math.Float64bits(v.value))
}

func decode(b []byte) visit {
	return visit{
		key: binary.LittleEndian.Uint64(b[0:]), at: int64(binary.LittleEndian.Uint64(b[8:])),
		seq: binary.LittleEndian.Uint64(b[16:]), channel: int32(binary.LittleEndian.Uint32(b[24:])),
		value: math.Float64frombits(binary.LittleEndian.Uint64(b[28:])),
	}
}

// source is one sorted run being merged.
type source struct {
	r    *bufio.Reader
	left int64
	mem  []visit // the in-memory run, when r is nil
	cur  visit
}

func (s *source) next() (bool, error) {
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
	var b [visitSize]byte
	if _, err := io.ReadFull(s.r, b[:]); err != nil {
		return false, fmt.Errorf("new-patient spill file: %w", err)
	}
	s.left--
	s.cur = decode(b[:])
	return true, nil
}

type mergeHeap []*source

func (h mergeHeap) Len() int           { return len(h) }
func (h mergeHeap) Less(i, j int) bool { return less(h[i].cur, h[j].cur) < 0 }
func (h mergeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)        { *h = append(*h, x.(*source)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// each calls fn once per patient, in key order, with the first visit's
// time and channel and the revenue of all the patient's visits.
func (l *visitLog) each(fn func(first int64, channel int, revenue float64)) error {
	slices.SortFunc(l.buf, less)
	h := mergeHeap{}
	add := func(s *source) error {
		ok, err := s.next()
		if ok {
			h = append(h, s)
		}
		return err
	}
	if err := add(&source{mem: l.buf}); err != nil {
		return err
	}
	for _, r := range l.runs {
		sr := io.NewSectionReader(l.file, r.off, r.n*visitSize)
		if err := add(&source{r: bufio.NewReaderSize(sr, 16<<10), left: r.n}); err != nil {
			return err
		}
	}
	heap.Init(&h)
	var cur visit
	var revenue float64
	have := false
	for h.Len() > 0 {
		s := h[0]
		v := s.cur
		if !have || v.key != cur.key {
			if have {
				fn(cur.at, int(cur.channel), revenue)
			}
			cur, revenue, have = v, 0, true // the first of a key is its first visit
		}
		revenue += v.value
		ok, err := s.next()
		if err != nil {
			return err
		}
		if ok {
			heap.Fix(&h, 0)
		} else {
			heap.Pop(&h)
		}
	}
	if have {
		fn(cur.at, int(cur.channel), revenue)
	}
	return nil
}

func (l *visitLog) close() error {
	if l.file == nil {
		return nil
	}
	name := l.file.Name()
	err := l.file.Close()
	if rerr := os.Remove(name); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}
