package channels

import (
	"errors"
	"runtime"

	"context"
	"encoding/json"
	"github.com/hashgate/hashgate/internal/config"
	"strings"
	"testing"
	"time"
)

// TestReadAheadCountsAsRowByRow: the report is the same, to the byte,
// whatever the batches the rows are read ahead in — one row, two, three,
// the default — and with no key made ahead at all (count then keys every
// row itself, as it did reading row by row); and reading ahead, count
// makes no record key itself. The fixture's orders repeat across rows, one
// is written in full-width digits (a key made of the folded id) and its
// patients return.
func TestReadAheadCountsAsRowByRow(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Channels.MinCell = 5
	header, rows := fixtureExport(t)
	// A full-width spelling of the first order's id on a row of its own
	// (celltext.Fold makes it the same order).
	id, rest, _ := strings.Cut(rows[0], ",")
	if id != "A-20003" {
		t.Fatalf("the fixture's first order is %q", id)
	}
	rows = append(rows, "Ａ-２０００３,"+rest)
	in := header + "\r\n" + strings.Join(rows, "\r\n") + "\r\n"
	build := func(batch int, keys bool) (string, int) {
		t.Helper()
		oldRows, oldKeys := readAheadRows, readAheadKeys
		readAheadRows, readAheadKeys = batch, keys
		defer func() { readAheadRows, readAheadKeys = oldRows, oldKeys }()
		opt := Options{
			Config: cfg, Input: strings.NewReader(in), InputName: "export.csv",
			From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Period: "week", Key: testKey,
		}
		c, err := count(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		late := c.keyedLate
		c.close()
		opt.Input = strings.NewReader(in)
		rep, _, err := Build(context.Background(), opt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(rep)
		if err != nil {
			t.Fatal(err)
		}
		return string(b), late
	}
	want, late := build(readAheadRows, false)
	if late == 0 {
		t.Fatal("with no key made ahead, count made none itself: the test reads no record key")
	}
	for _, batch := range []int{1, 2, 3, readAheadRows} {
		got, late := build(batch, true)
		if got != want {
			t.Errorf("batches of %d rows: the report differs from the one counted row by row", batch)
		}
		if late != 0 {
			t.Errorf("batches of %d rows: count made %d record keys itself, want 0 (read ahead)", batch, late)
		}
	}
}

// TestReadAheadStopsWithTheCounter: a row that stops the report (a
// numeric date that needs input.date_order) ends the reading too, early
// in a long export: Build returns the stop, and the goroutines reading
// and keying ahead are gone when it has returned.
func TestReadAheadStopsWithTheCounter(t *testing.T) {
	cfg := fixtureConfig()
	cfg.Channels.MinCell = 5
	header, rows := fixtureExport(t)
	id, rest, _ := strings.Cut(rows[0], ",")
	_, rest, _ = strings.Cut(rest, ",")
	bad := id + ",03/04/2026 09:00," + rest
	var all []string
	for range 200 {
		all = append(all, rows...)
	}
	all = append([]string{rows[1], bad}, all...)
	in := header + "\r\n" + strings.Join(all, "\r\n") + "\r\n"
	oldRows := readAheadRows
	readAheadRows = 4
	defer func() { readAheadRows = oldRows }()
	before := runtime.NumGoroutine()
	_, _, err := Build(context.Background(), Options{
		Config: cfg, Input: strings.NewReader(in), InputName: "export.csv",
		From: day("2026-11-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Period: "week", Key: testKey,
	})
	var ce *config.Error
	if !errors.As(err, &ce) || ce.Key != "input.date_order" {
		t.Fatalf("Build: %v, want the input.date_order stop", err)
	}
	// The reader leaves within rows of the stop, not waited for: give it
	// a moment, then count.
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); n > before && time.Now().Before(deadline); n = runtime.NumGoroutine() {
		time.Sleep(10 * time.Millisecond)
	}
	if n > before {
		t.Errorf("%d goroutines after the stop, %d before: the reading ahead outlived it", n, before)
	}
}
