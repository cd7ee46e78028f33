package pipeline

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// writeOnly hides a sink's Prepare: the pipeline then holds and writes
// whole conversions, as it does for every sink that does not prepare.
type writeOnly struct{ sink.Sink }

// countingPreparer counts how conversions reached the review CSV.
type countingPreparer struct {
	*reviewcsv.Writer
	prepared, written int
}

func (c *countingPreparer) Write(cv *conversion.Conversion) error {
	c.written++
	return c.Writer.Write(cv)
}

func (c *countingPreparer) WritePrepared(p []byte) error {
	c.prepared++
	return c.Writer.WritePrepared(p)
}

// TestPreparedEqualsWritten: a sink that prepares its conversions ahead
// (sink.Preparer: the review CSV renders each line on the workers, and the
// held row keeps the line) writes the same bytes, and the run counts the
// same, as the same sink written conversion by conversion after the end —
// with duplicates, orders a later row refuses, bookings, the date gate's
// first held conversions, on one core and on three, in memory and through
// the spill file.
func TestPreparedEqualsWritten(t *testing.T) {
	dups := synthetic(5000)
	dups = append(dups, synthetic(700)[bytes.IndexByte(synthetic(1), '\n')+1:]...)
	bookings := bookingHeader +
		"B1,2026-11-02 09:00,completed,a@example.com,yes,2026-10-01 10:00," + bookingGCLID + ",2026-10-20 14:30\n" +
		"B2,2026-11-03 11:00,cancelled,b@example.com,yes,2026-10-01 10:00,,2026-10-21 20:00\n" +
		"B3,2026-11-04 11:00,completed,c@example.com,yes,2026-10-01 10:00,,\n" +
		"B1,2026-11-02 09:00,completed,a@example.com,revoked,2026-10-01 10:00,,2026-10-20 14:30\n" +
		"B4,2026-11-05 11:00,completed,d@example.com,yes,2026-10-01 10:00," + bookingGCLID + ",2026-10-22 08:00\n"
	for _, tc := range []struct {
		name string
		cfg  *config.Config
		in   string
	}{
		{"duplicates and refusals", benchConfig(), string(dups)},
		{"bookings", bookingConfig(), bookings},
	} {
		if err := tc.cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		run := func(s sink.Sink, out *bytes.Buffer, workers, hold int) string {
			t.Helper()
			sum := report.New("t.csv")
			err := Run(context.Background(), Options{Config: tc.cfg, Key: "k", Input: strings.NewReader(tc.in), InputName: "t.csv",
				Sink: s, Now: bookingNow, Workers: workers, HoldMemory: hold}, sum)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			js, _ := sum.JSON()
			return out.String() + string(js)
		}
		for _, workers := range []int{1, 3} {
			for _, hold := range []int{0, 4096} {
				var wout, pout bytes.Buffer
				w, err := reviewcsv.New(&wout, reviewcsv.Layout{})
				if err != nil {
					t.Fatal(err)
				}
				p, err := reviewcsv.New(&pout, reviewcsv.Layout{})
				if err != nil {
					t.Fatal(err)
				}
				cp := &countingPreparer{Writer: p}
				written := run(writeOnly{w}, &wout, workers, hold)
				prepared := run(cp, &pout, workers, hold)
				if written != prepared {
					t.Fatalf("%s, %d workers, hold %d: prepared differs from written:\n%s\n----\n%s", tc.name, workers, hold, prepared, written)
				}
				if cp.prepared == 0 || cp.written != 0 {
					t.Fatalf("%s: %d conversions prepared, %d written whole", tc.name, cp.prepared, cp.written)
				}
				if lines := strings.Count(wout.String(), "\n") - 1; lines != cp.prepared {
					t.Fatalf("%s: %d lines, %d prepared", tc.name, lines, cp.prepared)
				}
			}
		}
	}
}

// cancelAtWrite cancels the run at its first conversion.
type cancelAtWrite struct {
	cancel  context.CancelFunc
	written int
}

func (c *cancelAtWrite) Write(*conversion.Conversion) error {
	c.written++
	c.cancel()
	return nil
}
func (c *cancelAtWrite) Close() error { return nil }

// TestFinishStops: after the end of the export the held rows are read
// back and decoded on a goroutine of their own, ahead of the settling
// (settler.finish). A run cancelled while it settles, or a held row that
// cannot be read back, stops it with that error, nothing more reaches the
// sink, and no goroutine is left behind.
func TestFinishStops(t *testing.T) {
	cfg := benchConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	snk := &cancelAtWrite{cancel: cancel}
	err := Run(ctx, Options{Config: cfg, Key: "k", Input: bytes.NewReader(synthetic(20000)), InputName: "t.csv", Sink: snk, HoldMemory: 4096}, report.New("t.csv"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while settling: err %v after %d writes", err, snk.written)
	}

	// Damaged held rows, over several batches, after good ones.
	sum := report.New("t.csv")
	var got capture
	st := newSettler(Options{Config: cfg, Sink: &got}, sum)
	defer st.close()
	for range 3 * heldBatchRows {
		if err := st.held.Append([]byte{0xff, 0xff, 0xff}); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.finish(context.Background()); !errors.Is(err, errRecord) || len(got.got) != 0 {
		t.Errorf("damaged held rows: err %v, %d written", err, len(got.got))
	}
	for i := 0; runtime.NumGoroutine() > before && i < 100; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines left behind (%d before)", n-before, before)
	}
}
