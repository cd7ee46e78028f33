package pipeline

import (
	"bytes"
	"context"
	"testing"
	"time"
)

// Every test of the package runs with chunks' text zeroed before reuse:
// a cell kept beyond its chunk (chunk.text) then reads as NULs — a wrong
// review CSV or summary — instead of passing for another row's cell.
func init() { poisonText = true }

// TestPoolChunksBounded: however the settler's pace and the workers'
// compare, the pool makes at most poolChunks(workers) chunks and hands
// every row back once, in export order — a slow settler makes the reader
// wait for a chunk to come back rather than make another one.
func TestPoolChunksBounded(t *testing.T) {
	const rows = 40 * chunkRows
	data := synthetic(rows)
	for _, workers := range []int{2, 3} {
		for _, slow := range []bool{false, true} {
			cfg := benchConfig()
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			rd, err := Open(Options{Config: cfg, Input: bytes.NewReader(data), InputName: "t"})
			if err != nil {
				t.Fatal(err)
			}
			p := startPool(context.Background(), workers, rd, func() func(*chunk) {
				return func(c *chunk) {
					if !slow {
						time.Sleep(time.Millisecond) // workers slower than the settler
					}
				}
			})
			next := 2 // the header is line 1
			for c := p.next(); c != nil; c = p.next() {
				for _, row := range c.rows {
					if row.Line != next {
						t.Fatalf("row of line %d where line %d was due", row.Line, next)
					}
					next++
				}
				if slow {
					time.Sleep(time.Millisecond) // the settler slower than the workers
				}
				p.recycle(c)
			}
			p.stop()
			if next != rows+2 {
				t.Fatalf("%d rows handed back, want %d", next-2, rows)
			}
			if p.made > poolChunks(workers) {
				t.Errorf("%d workers, slow settler %v: %d chunks made, want at most %d", workers, slow, p.made, poolChunks(workers))
			}
		}
	}
}

// TestPoolReleaseLetsGoOfChunks: once the export has been read, release
// leaves the pool holding no chunk, so the settling after the end does not
// allocate beside them (issue 29: the dry-run's peak RSS is there).
func TestPoolReleaseLetsGoOfChunks(t *testing.T) {
	cfg := benchConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	rd, err := Open(Options{Config: cfg, Input: bytes.NewReader(synthetic(10 * chunkRows)), InputName: "t"})
	if err != nil {
		t.Fatal(err)
	}
	p := startPool(context.Background(), 2, rd, func() func(*chunk) { return func(*chunk) {} })
	for c := p.next(); c != nil; c = p.next() {
		p.recycle(c)
	}
	if len(p.free) == 0 {
		t.Fatal("no chunk came back to the pool: the test proves nothing")
	}
	p.release()
	if len(p.free) != 0 || len(p.pending) != 0 {
		t.Errorf("after release the pool holds %d free and %d pending chunks", len(p.free), len(p.pending))
	}
	p.release() // twice is fine
}
