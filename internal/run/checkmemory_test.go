package run

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestCheckKeepsNothingPerRow: check judged every row and kept each
// result that did not pass until its end, in text mode too, which never
// read them: 1.38 GB of peak RSS at 10M rows, half of them mismatching (a
// review). Memory must be flat whatever the input. The pipeline judges the
// rows once the fixture is read (a later row may withdraw an earlier one),
// so the live heap at the fixture's end is what the pipeline holds; while
// the results are written it is read again (sampledOut), and the most it
// grows beyond the first is divided among the mismatching rows: kept, each
// result cost 150 bytes or more; written and let go, what stays is the
// pipeline's own, a few hundred kilobytes whatever the rows (under 50 a
// row here).
//
// Not parallel: readHook is the package's, and the heap is the process's.
func TestCheckKeepsNothingPerRow(t *testing.T) {
	const rows = 100_000 // half of them mismatch
	var body bytes.Buffer
	body.WriteString("id,at,email,phone,consent,expect\n")
	for i := range rows {
		consent := "yes"
		if i%2 == 1 {
			consent = "no" // expected included: a mismatch
		}
		fmt.Fprintf(&body, "A%d,2026-11-20 10:00,p%d@example.com,,%s,include\n", i, i, consent)
	}
	fixture := filepath.Join(t.TempDir(), "fixture.csv")
	if err := os.WriteFile(fixture, body.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t)
	for _, asJSON := range []bool{false, true} {
		t.Run(fmt.Sprintf("json=%v", asJSON), func(t *testing.T) {
			var atEnd uint64
			readHook = func(r io.Reader) io.Reader { return &heapAtEOF{r: r, live: &atEnd} }
			t.Cleanup(func() { readHook = nil })
			env, _, _ := testEnv(t, "")
			out := &sampledOut{}
			env.Out = out
			err := Check(context.Background(), env, CheckRequest{Config: cfg, Fixtures: []string{fixture}, JSON: asJSON})
			var ee *ExitError
			if !errors.As(err, &ee) || ee.Code != ExitMismatch {
				t.Fatalf("check: %v, want exit %d", err, ExitMismatch)
			}
			if atEnd == 0 || out.samples == 0 || out.n < rows/2*30 {
				t.Fatalf("heap read at the fixture's end: %v; %d samples of %d bytes written for %d mismatches", atEnd != 0, out.samples, out.n, rows/2)
			}
			grew := int64(out.most) - int64(atEnd)
			perRow := float64(grew) / (rows / 2)
			t.Logf("the heap at the fixture's end %d bytes; while the results were written, %d more at most (%d samples): %.1f a mismatching row", atEnd, grew, out.samples, perRow)
			if perRow > 50 {
				t.Errorf("check keeps %.1f bytes of heap a mismatching row (%d over %d rows): it grows with the fixture", perRow, grew, rows/2)
			}
		})
	}
}

// heapAtEOF reads r and, at its first end, stores the live heap.
type heapAtEOF struct {
	r    io.Reader
	live *uint64
}

func (h *heapAtEOF) Read(p []byte) (int, error) {
	n, err := h.r.Read(p)
	if err == io.EOF && *h.live == 0 {
		*h.live = liveHeap()
	}
	return n, err
}

// sampledOut counts what is written, keeps none of it, and reads the live
// heap at the first write and every 16th after it, keeping the most.
type sampledOut struct {
	n, writes, samples int
	most               uint64
}

func (w *sampledOut) Write(p []byte) (int, error) {
	if w.writes%16 == 0 {
		w.most = max(w.most, liveHeap())
		w.samples++
	}
	w.writes++
	w.n += len(p)
	return len(p), nil
}

// liveHeap is the heap after a collection: what is still referenced.
func liveHeap() uint64 {
	var m runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
