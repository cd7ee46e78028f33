package pipeline

import (
	"errors"
	"sync/atomic"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/sink"
)

// asyncSink passes conversions on to next from a goroutine of its own, in
// the order written, so that what the sink does with them — the review
// CSV's hex and quoting, the ledger filter and the senders' batching —
// runs beside the settling of the held rows instead of after each one.
// Until the export has ended the workers keep both cores busy; after it,
// settling is one goroutine's work, and without this the other core would
// idle. Conversions are copied in batches (the settler reuses its own),
// and batches are recycled, so memory stays flat.
//
// After next fails, nothing more is written to it, and Write and Close
// return its error.
type asyncSink struct {
	next    sink.Sink
	prep    sink.Preparer // next, when it prepares conversions ahead
	full    chan *convBatch
	free    chan *convBatch
	cur     *convBatch
	done    chan struct{}
	err     error // next's, set by the writer before failed
	failed  atomic.Bool
	dropped atomic.Bool // abort: write nothing more
	stopped bool
}

// convBatch is a run of conversions: pend[k] is where conversion k's
// prepared bytes end in prepared, or -1 when it is written whole — then it
// is the next of whole, and the next idN of ids are its identifiers. A
// prepared conversion is its bytes alone: copying the whole 248-byte
// struct for each, to read none of it, showed in profiles (issue 29).
type convBatch struct {
	whole    []conversion.Conversion
	idN      []int
	ids      []identifier.Sent
	pend     []int
	prepared []byte
}

const asyncBatch = 256

func newAsyncSink(next sink.Sink) *asyncSink {
	a := &asyncSink{next: next, full: make(chan *convBatch, 4), free: make(chan *convBatch, 6), done: make(chan struct{})}
	a.prep, _ = next.(sink.Preparer)
	go a.write()
	return a
}

func (a *asyncSink) write() {
	defer close(a.done)
	for b := range a.full {
		if !a.failed.Load() && !a.dropped.Load() {
			id, start, w := 0, 0, 0
			for _, end := range b.pend {
				var err error
				if end < 0 {
					c := &b.whole[w]
					c.Identifiers = b.ids[id : id+b.idN[w] : id+b.idN[w]]
					id += b.idN[w]
					w++
					err = a.next.Write(c)
				} else if a.prep == nil {
					err = errors.New("pipeline: a prepared conversion for a sink that does not prepare")
				} else {
					err = a.prep.WritePrepared(b.prepared[start:end])
					start = end
				}
				if err != nil {
					a.err = err
					a.failed.Store(true)
					break
				}
			}
		}
		b.whole, b.idN, b.ids, b.pend, b.prepared = b.whole[:0], b.idN[:0], b.ids[:0], b.pend[:0], b.prepared[:0]
		select {
		case a.free <- b:
		default:
		}
	}
}

// Write copies c into the current batch.
func (a *asyncSink) Write(c *conversion.Conversion) error {
	if a.failed.Load() {
		return a.err
	}
	if a.cur == nil {
		select {
		case a.cur = <-a.free:
		default:
			a.cur = &convBatch{}
		}
	}
	end := -1
	if c.Prepared != nil {
		a.cur.prepared = append(a.cur.prepared, c.Prepared...)
		end = len(a.cur.prepared)
	} else {
		own := *c
		own.Identifiers = nil
		a.cur.whole = append(a.cur.whole, own)
		a.cur.idN = append(a.cur.idN, len(c.Identifiers))
		a.cur.ids = append(a.cur.ids, c.Identifiers...)
	}
	a.cur.pend = append(a.cur.pend, end)
	if len(a.cur.pend) >= asyncBatch {
		a.full <- a.cur
		a.cur = nil
	}
	return nil
}

// flush hands over the current batch and waits until every conversion
// written has reached next; it returns next's error. The sink is done.
func (a *asyncSink) flush() error {
	if !a.stopped {
		a.stopped = true
		if a.cur != nil && len(a.cur.pend) > 0 {
			a.full <- a.cur
		}
		a.cur = nil
		close(a.full)
	}
	<-a.done
	if a.failed.Load() {
		return a.err
	}
	return nil
}

// abort drops what is not written yet and waits for the writer: the run
// stopped (cancelled, or a structural error at the end), and nothing more
// may reach next.
func (a *asyncSink) abort() {
	a.dropped.Store(true)
	_ = a.flush()
}

// Close does not close next: the settler's caller does, as it would have.
func (a *asyncSink) Close() error { return a.flush() }
