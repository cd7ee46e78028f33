package pipeline

import (
	"context"
	"errors"
	"io"

	"golang.org/x/sync/errgroup"

	"github.com/hashgate/hashgate/internal/export"
)

// pool reads an export in chunks on one goroutine, hands them to worker
// goroutines, and gives them back in export order. It knows nothing of what
// a worker decides: newWorker makes each worker's function (with its own
// reusable state). Chunks are recycled, so memory stays flat.
//
// The pool makes at most poolChunks(workers) chunks; once they are all
// out, the reader waits for one to come back. It used to make a new chunk
// whenever none was free at that instant and drop a recycled one when
// the free list was full: bursts of either turned over about one chunk
// in thirty (each some 700 KB of rows, outcomes and conversions, grown
// afresh), which was 29% of the bytes a 1M-row dry-run allocated, and
// so of the collector's cycles (issue 29).
type pool struct {
	cancel  context.CancelFunc
	g       errgroup.Group
	done    chan *chunk
	free    chan *chunk
	pending map[int]*chunk // finished out of order, by sequence number
	seq     int            // the next chunk next returns
	made    int            // chunks the reader made (read it after stop)
}

// startPool starts the reader and workers goroutines.
func startPool(ctx context.Context, workers int, rd *export.Reader, newWorker func() func(*chunk)) *pool {
	ctx, cancel := context.WithCancel(ctx)
	most := poolChunks(workers)
	p := &pool{
		cancel:  cancel,
		done:    make(chan *chunk, workers),
		free:    make(chan *chunk, most), // every chunk fits: recycling never blocks
		pending: map[int]*chunk{},
	}
	jobs := make(chan *chunk, workers)
	p.g.Go(func() error { // reader
		defer close(jobs)
		for seq := 0; ctx.Err() == nil; seq++ {
			var c *chunk
			select {
			case c = <-p.free:
			default:
				if p.made < most {
					c = &chunk{rows: make([]export.Row, 0, chunkRows)}
					p.made++
					break
				}
				// Every chunk is out. The settler gives each back once its
				// rows are settled, and it never waits for a chunk not yet
				// read: the ones out are all before this one.
				select {
				case c = <-p.free:
				case <-ctx.Done():
					return nil
				}
			}
			c.reset(seq)
			last := c.fill(rd)
			select {
			case jobs <- c:
			case <-ctx.Done():
				return nil
			}
			if last {
				return nil
			}
		}
		return nil
	})
	var workersG errgroup.Group
	for range workers {
		workersG.Go(func() error {
			work := newWorker()
			for c := range jobs {
				work(c)
				select {
				case p.done <- c:
				case <-ctx.Done():
					return nil
				}
			}
			return nil
		})
	}
	p.g.Go(func() error { _ = workersG.Wait(); close(p.done); return nil })
	return p
}

// poolChunks is how many chunks a pool of workers may make: one being
// read, per worker one queued and one being decided, and one being
// settled. The settler holds a chunk for a fraction of the time a worker
// does, so the reader seldom waits; each chunk more is some 700 KB of
// pointers the collector marks at every cycle: 3×workers+2 took 1.4%
// more instructions on two cores (callgrind, 100k rows) for no measured
// gain in wall time (issue 29).
func poolChunks(workers int) int { return 2*workers + 2 }

// next returns the next chunk in export order, or nil when there is none
// (the export ended, or the pool was stopped).
func (p *pool) next() *chunk {
	for {
		if c, ok := p.pending[p.seq]; ok {
			delete(p.pending, p.seq)
			p.seq++
			return c
		}
		c, ok := <-p.done
		if !ok {
			return nil
		}
		p.pending[c.seq] = c
	}
}

// recycle gives a settled chunk back to the reader. free holds every
// chunk the pool may make, so this never blocks.
func (p *pool) recycle(c *chunk) { p.free <- c }

// stop ends every goroutine of the pool and waits for them.
func (p *pool) stop() {
	p.cancel()
	for range p.done { // let every goroutine finish before returning
	}
	_ = p.g.Wait()
}

// release stops the pool and lets go of its chunks. A run calls it once
// the export has been read: the settling after the end (decodeHeld, the
// sink) allocates its own batches, and the pool's idle chunks — their
// rows' text, cells, outcomes and held bytes, about 5 MB at 2 workers —
// were otherwise live beside them until the run returned: the dry-run's
// peak RSS is at that end (issue 29). Safe to call more than once, and
// before or after stop.
func (p *pool) release() {
	p.stop()
	for {
		select {
		case <-p.free:
		default:
			clear(p.pending)
			return
		}
	}
}

// fill reads up to chunkRows rows into c, detached from the reader's
// buffers, and fewer when they hold more than chunkBytes of text or
// chunkCells cells. It reports whether this is the last chunk: the export
// ended or the reader failed (c.readErr).
func (c *chunk) fill(rd *export.Reader) (last bool) {
	for len(c.rows) < chunkRows && len(c.text) < chunkBytes && len(c.cells) < chunkCells {
		var row export.Row
		var err error
		row, c.cells, c.text, err = rd.NextTo(c.cells, c.text)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			c.readErr = err
			return true
		}
		c.rows = append(c.rows, row)
	}
	return false
}
