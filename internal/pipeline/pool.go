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
type pool struct {
	cancel  context.CancelFunc
	g       errgroup.Group
	done    chan *chunk
	free    chan *chunk
	pending map[int]*chunk // finished out of order, by sequence number
	seq     int            // the next chunk next returns
}

// startPool starts the reader and workers goroutines.
func startPool(ctx context.Context, workers int, rd *export.Reader, newWorker func() func(*chunk)) *pool {
	ctx, cancel := context.WithCancel(ctx)
	p := &pool{
		cancel:  cancel,
		done:    make(chan *chunk, workers),
		free:    make(chan *chunk, 3*workers+2), // more than can be in flight: recycling never blocks
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
				c = &chunk{rows: make([]export.Row, 0, chunkRows)}
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

// recycle gives a settled chunk back to the reader.
func (p *pool) recycle(c *chunk) {
	select {
	case p.free <- c:
	default:
	}
}

// stop ends every goroutine of the pool and waits for them.
func (p *pool) stop() {
	p.cancel()
	for range p.done { // let every goroutine finish before returning
	}
	_ = p.g.Wait()
}

// fill reads up to chunkRows rows into c, detached from the reader's
// buffers. It reports whether this is the last chunk: the export ended or
// the reader failed (c.readErr).
func (c *chunk) fill(rd *export.Reader) (last bool) {
	for len(c.rows) < chunkRows {
		row, err := rd.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			c.readErr = err
			break
		}
		var d export.Row
		d, c.cells = row.DetachTo(c.cells)
		c.rows = append(c.rows, d)
	}
	return c.readErr != nil || len(c.rows) < chunkRows
}
