package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// TestRoundedZerosShape: the signature of a long number a spreadsheet kept
// 15 significant digits of, and what is not it.
func TestRoundedZerosShape(t *testing.T) {
	for s, want := range map[string]uint8{
		"400000041230000000":  3,
		"4000000412300000":    1,
		"1234567890123450000": 4,
		"400000041230000437":  0, // the id before the spreadsheet
		"400000041230000":     0, // 15 digits: kept whole
		"040000041230000000":  0, // a leading zero: not written back as a number
		"40000004123000000A":  0,
		"4000000412300 0000":  0,
		"4.00000E+17":         0, // orderIDMangled's
	} {
		if got := roundedZeros(s); got != want {
			t.Errorf("roundedZeros(%q) = %d, want %d", s, got, want)
		}
	}
}

// roundedBody is n completed visits of 18-digit ids: rounded (as a
// spreadsheet re-saved them: all one id) or as the clinic wrote them.
func roundedBody(n int, rounded bool) string {
	var b strings.Builder
	for i := range n {
		id := fmt.Sprintf("40000004123000%04d", 1+i*23)
		if rounded {
			id = "400000041230000000"
		}
		fmt.Fprintf(&b, "%s,2026-11-%02d 09:%02d,completed,p%d@example.com,,,,,,,yes,\n", id, 2+i/8, i%8*5, i)
	}
	return b.String()
}

func runRounded(t *testing.T, cfg *config.Config, body string, workers int) (*capture, error) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink := &capture{}
	err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv", Sink: sink, Workers: workers}, report.New("t.csv"))
	return sink, err
}

// TestRoundedOrderIDsStop: 20 visits whose 18-digit ids a spreadsheet
// rounded into one were 1 conversion and 19 duplicate_order, exit 0 (a
// reviewer's re-saved export). The run stops before anything is sent,
// naming the column and the cells, never the id; the ids as the clinic
// wrote them pass.
func TestRoundedOrderIDsStop(t *testing.T) {
	for _, workers := range []int{1, 4} {
		sink, err := runRounded(t, baseConfig(), roundedBody(20, true), workers)
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "input.columns.order_id" {
			t.Fatalf("workers %d: err = %v, want a stop on input.columns.order_id", workers, err)
		}
		msg := err.Error()
		for _, want := range []string{"t.csv:4:1:", "(line 2:", "15 significant digits", "as Text", "nothing was sent"} {
			if !strings.Contains(msg, want) {
				t.Errorf("the stop does not say %q: %s", want, msg)
			}
		}
		if strings.Contains(msg, "400000041230000000") {
			t.Errorf("the stop quotes the id: %s", msg)
		}
		if len(sink.got) != 0 {
			t.Errorf("%d conversions reached the sink before the stop", len(sink.got))
		}
		if sink, err := runRounded(t, baseConfig(), roundedBody(20, false), workers); err != nil || len(sink.got) != 40 {
			t.Fatalf("the ids as written: %d conversions, err %v", len(sink.got), err)
		}
	}
}

// TestRoundedOrderIDByChance: one genuine 18-digit id in a thousand ends
// in 000. Such an id on two rows of one visit (a duplicate row), or on two
// visits (a moved appointment listed twice), does not stop the night; a
// third visit of it does. Ids judged apart: two such ids each on two
// visits stop nothing, nor do sixty moved visits of genuine 16-digit ids
// of which one in ten ends in 0 (summed over ids, they stopped every
// night of such a clinic, with no way past).
func TestRoundedOrderIDByChance(t *testing.T) {
	const id = "400000041230000000"
	row := func(id, at, email string) string {
		return id + "," + at + ",completed," + email + ",,,,,,,yes,\n"
	}
	others := roundedBody(10, false)
	cases := []struct {
		name, body string
		stop       bool
	}{
		{"duplicate row", others + row(id, "2026-11-05 09:00", "a@example.com") + row(id, "2026-11-05 09:00", "a@example.com"), false},
		{"moved visit", others + row(id, "2026-11-05 09:00", "a@example.com") + row(id, "2026-11-06 10:00", "a@example.com") + row(id, "2026-11-05 09:00", "a@example.com"), false},
		{"three visits", others + row(id, "2026-11-05 09:00", "a@example.com") + row(id, "2026-11-06 10:00", "a@example.com") + row(id, "2026-11-07 11:00", "a@example.com"), true},
		{"two shared ids", others + row(id, "2026-11-05 09:00", "a@example.com") + row(id, "2026-11-06 10:00", "a@example.com") +
			row("400000041230009000", "2026-11-05 09:00", "b@example.com") + row("400000041230009000", "2026-11-06 10:00", "b@example.com"), false},
		{"sixty moved visits of 16-digit ids", movedSixteen(), false},
		{"17 digits, four visits of one", others + row("40000004123000100", "2026-11-05 09:00", "a@example.com") + row("40000004123000100", "2026-11-06 10:00", "a@example.com") +
			row("40000004123000100", "2026-11-07 10:00", "a@example.com") + row("40000004123000100", "2026-11-08 10:00", "a@example.com"), true},
		{"16 digits, one shared", others + row("4000000412300010", "2026-11-05 09:00", "a@example.com") + row("4000000412300010", "2026-11-06 10:00", "a@example.com"), false},
	}
	for _, c := range cases {
		_, err := runRounded(t, baseConfig(), c.body, 1)
		if stop := err != nil; stop != c.stop {
			t.Errorf("%s: err = %v, want a stop: %v", c.name, err, c.stop)
		}
	}
}

// movedSixteen is 600 visits of genuine 16-digit ids (a date and a
// counter), the first 60 listed again at another time: moved visits.
func movedSixteen() string {
	var b strings.Builder
	for i := range 600 {
		fmt.Fprintf(&b, "2026110500%06d,2026-11-%02d 09:%02d,completed,p%d@example.com,,,,,,,yes,\n", i, 2+i%20, i%12*5, i)
	}
	for i := range 60 {
		fmt.Fprintf(&b, "2026110500%06d,2026-11-%02d 15:%02d,completed,p%d@example.com,,,,,,,yes,\n", i, 2+i%20, i%12*5, i)
	}
	return b.String()
}
