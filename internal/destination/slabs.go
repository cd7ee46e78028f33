package destination

import (
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// slabs are the memory of one batch: the Sender's copies of its
// conversions and their identifiers (Write copies, as the pipeline reuses
// its conversions), and the batch of pointers to them. Once the batch's
// requests are done (Sender.send) the slabs go back to Write, cleared, for
// a later batch: an upload then allocates a few batches' worth of copies,
// not a copy of every conversion. make bench-upload at 1M rows allocated
// 567 MB, 356 MB of them these copies, and the collector's work (about a
// tenth of the upload's CPU) grows with what is allocated.
type slabs struct {
	batch  []*conversion.Conversion
	copies arena[conversion.Conversion]
	ids    arena[identifier.Sent]
}

// Slab sizes: conversions (a batch fits one chunk), identifiers; and how
// many done slabs a Sender keeps for reuse (more are garbage).
const (
	maxSlab   = 4096
	idSlab    = 1024
	freeSlabs = 2
)

// takeSlabs returns done slabs to fill, or new ones.
func (s *Sender) takeSlabs() *slabs {
	select {
	case sl := <-s.free:
		return sl
	default:
	}
	n := min(s.opt.BatchSize, maxSlab)
	return &slabs{
		batch:  make([]*conversion.Conversion, 0, n),
		copies: arena[conversion.Conversion]{size: n},
		ids:    arena[identifier.Sent]{size: idSlab},
	}
}

// recycle clears sl and keeps it for Write, if there is room. Nothing may
// keep a pointer into a batch once it is done (the Observer contract):
// the memory soon holds another batch's events. Clearing only lets the
// collector free the done conversions' strings, and makes a read right
// after the batch (before Write fills the slab again) see zero values.
func (s *Sender) recycle(sl *slabs) {
	clear(sl.batch)
	sl.batch = sl.batch[:0]
	sl.copies.reset()
	sl.ids.reset()
	select {
	case s.free <- sl:
	default:
	}
}

// arena hands out runs of elements from chunks of at least size elements,
// and keeps its chunks when reset.
type arena[T any] struct {
	chunks [][]T
	at     int // the chunk taken from
	size   int
}

// take returns n elements, capped: an append to them reallocates rather
// than write into the next ones.
func (a *arena[T]) take(n int) []T {
	for a.at < len(a.chunks) && cap(a.chunks[a.at])-len(a.chunks[a.at]) < n {
		a.at++
	}
	if a.at == len(a.chunks) {
		a.chunks = append(a.chunks, make([]T, 0, max(n, a.size)))
	}
	c := a.chunks[a.at]
	c = c[:len(c)+n]
	a.chunks[a.at] = c
	return c[len(c)-n : len(c) : len(c)]
}

// reset clears every chunk and starts taking from the first again.
func (a *arena[T]) reset() {
	for i, c := range a.chunks {
		clear(c)
		a.chunks[i] = c[:0]
	}
	a.at = 0
}
