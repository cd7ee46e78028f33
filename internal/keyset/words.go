package keyset

import (
	"os"
	"runtime"
)

// The table and the Bloom filter are a run's largest live data (up to
// 2 and 4 MiB, per set; at 10M rows the sets of orders converted and of
// orders withdrawn both reach that) and hold no pointers, so the garbage
// collector gains nothing from owning them. On the Go heap they would
// also count towards its heap goal: with the default GOGC=100 the heap
// grows to twice what is live before a collection, so each 4 MiB array
// brought up to 4 MiB more of garbage with it into the peak RSS. Arrays
// from mapWordsMin up are therefore anonymous mappings outside the heap
// (mmap(2) on Unix; the heap elsewhere): resident only once written,
// returned to the system by munmap as soon as the Set is closed, grows
// or — if a caller never closes it — becomes unreachable (a cleanup).
// Smaller arrays stay on the heap: a mapping per small set is not worth
// its system calls.
const mapWordsMin = 32 << 10 // words: 256 KiB

// words owns a Set's large arrays. It is a separate object so that the
// Set's cleanup can release them without keeping the Set reachable.
type words struct {
	mapped [2][]uint64 // table, bloom: the mappings in use (nil: on the heap)
}

const (
	tableWords = iota
	bloomWords
)

// alloc returns n zeroed words for slot i (tableWords or bloomWords). The
// mapping the slot held before, if any, is returned in prev: the caller
// reads what it needs from it, then passes it to unmapWords.
func (w *words) alloc(i int, n uint64) (fresh, prev []uint64) {
	prev, w.mapped[i] = w.mapped[i], nil
	if n >= mapWordsMin {
		if m := mapWords(n); m != nil {
			w.mapped[i] = m
			return m, prev
		}
	}
	return make([]uint64, n), prev
}

// free releases slot i's mapping, if it holds one. The Set must not use
// the slot's array afterwards.
func (w *words) free(i int) {
	if m := w.mapped[i]; m != nil {
		w.mapped[i] = nil
		unmapWords(m)
	}
}

// dropTail returns to the system the whole pages of slot i's mapping
// past its first n bytes (dropPages), when it is a mapping; the mapping
// itself stays as it is, for release to unmap whole. Reading those pages
// again gives zeros.
func (w *words) dropTail(i int, n int) {
	m := w.mapped[i]
	if m == nil {
		return
	}
	page := os.Getpagesize() / 8
	keep := ((n+7)/8 + page - 1) / page * page // words: the whole pages n bytes take
	if keep < len(m) {
		dropPages(m[keep:])
	}
}

func (w *words) release() {
	w.free(tableWords)
	w.free(bloomWords)
}

// newWords ties a words to owner (a Set or a Keys): released when the
// owner becomes unreachable, for owners that are never closed.
func newWords[T any](owner *T) *words {
	w := &words{}
	runtime.AddCleanup(owner, (*words).release, w)
	return w
}
