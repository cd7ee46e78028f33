package pipeline

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/report"
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

// TestChunksAreBoundedByWhatTheyHold: a chunk holds 512 rows of an
// ordinary export, and fewer of rows that hold much — 300 KB cells, or
// 2,000 columns — so that the chunks in flight (2×workers+2, each a copy
// of its records' text) stay a few megabytes whatever the rows hold: 512
// rows near the 1 MiB record limit once held gigabytes. The run's output
// is the same on one worker and on three.
func TestChunksAreBoundedByWhatTheyHold(t *testing.T) {
	cfg := benchConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	fill := func(body []byte) (rows, chunks int) {
		rd, err := Open(Options{Config: cfg, Input: bytes.NewReader(body), InputName: "t"})
		if err != nil {
			t.Fatal(err)
		}
		for {
			c := &chunk{}
			last := c.fill(rd)
			rows = max(rows, len(c.rows))
			if len(c.rows) > 0 {
				chunks++
			}
			if len(c.text) > chunkBytes+(1<<20) || len(c.cells) > chunkCells+4096 {
				t.Fatalf("a chunk of %d bytes and %d cells", len(c.text), len(c.cells))
			}
			if last {
				return rows, chunks
			}
		}
	}
	if rows, _ := fill(synthetic(3 * chunkRows)); rows != chunkRows {
		t.Errorf("ordinary rows: chunks of %d rows, want %d", rows, chunkRows)
	}
	// The same rows with a 300 KB note each (an unmapped column).
	var big bytes.Buffer
	for i, line := range bytes.Split(bytes.TrimSuffix(synthetic(40), []byte("\n")), []byte("\n")) {
		big.Write(line)
		if i == 0 {
			big.WriteString(",note\n")
		} else {
			big.WriteString("," + strings.Repeat("x", 300<<10) + "\n")
		}
	}
	if rows, chunks := fill(big.Bytes()); rows > 4 || chunks < 10 {
		t.Errorf("300 KB rows: chunks of up to %d rows, %d chunks; want at most 4 rows a chunk", rows, chunks)
	}
	var outs [2][]string
	for k, workers := range []int{1, 3} {
		sink := &capture{}
		if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: bytes.NewReader(big.Bytes()), InputName: "t", Sink: sink, Workers: workers}, report.New("t")); err != nil {
			t.Fatal(err)
		}
		for _, c := range sink.got {
			outs[k] = append(outs[k], string(c.EventID)+c.Time.String())
		}
	}
	if len(outs[0]) == 0 || !slices.Equal(outs[0], outs[1]) {
		t.Errorf("one worker sent %d, three %d, or other conversions", len(outs[0]), len(outs[1]))
	}
}
