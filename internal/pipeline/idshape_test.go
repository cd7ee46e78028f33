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

func TestDigitShape(t *testing.T) {
	for _, tc := range []struct {
		v    string
		want uint8
	}{
		{"00012345", 8 | 0x80},
		{"12345", 5},
		{"0", 1}, // a lone zero is no padding
		{"07", 2 | 0x80},
		{"", 0},
		{"A0012", 0},
		{"0012-3", 0},
		{"１２３", 0}, // full-width digits are not ASCII digits
		{strings.Repeat("1", 128), 0},
	} {
		if got := digitShape(tc.v); got != tc.want {
			t.Errorf("digitShape(%q) = %#x, want %#x", tc.v, got, tc.want)
		}
	}
}

// shapeOf is the shape of single-column ids as the settler sees them.
func shapeOf(ids ...string) IDShape {
	var s IDShape
	for _, id := range ids {
		o := [idShapeParts]uint8{digitShape(id)}
		s.observe(&o)
	}
	return s
}

func TestFixedWidthNeedsEvidence(t *testing.T) {
	for _, tc := range []struct {
		ids  []string
		want int
	}{
		{[]string{"00012345", "00012346", "00099999"}, 8},
		{[]string{"00012345", "00012346", "10099999"}, 8}, // one led by a zero is enough, all of one width
		{[]string{"00012345", "00012346"}, 0},             // too few to tell
		{[]string{"0815", "12", "123456"}, 0},             // widths vary: an id that happens to begin with 0
		{[]string{"12345", "12346", "99999"}, 0},          // no zero: nothing says they were padded
		{[]string{"A0012", "A0013", "A0014"}, 0},          // not digits
	} {
		s := shapeOf(tc.ids...)
		if got := s.Parts[0].fixedWidth(); got != tc.want {
			t.Errorf("%v: fixed width %d, want %d", tc.ids, got, tc.want)
		}
	}
}

func TestIDShapeText(t *testing.T) {
	s := shapeOf("00012345", "00012346", "12", "abc")
	b, err := s.MarshalText()
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "3,2,2,8;0,0,0,0;0,0,0,0;0,0,0,0" {
		t.Errorf("text %q", b)
	}
	var back IDShape
	if err := back.UnmarshalText(b); err != nil || back.Parts != s.Parts {
		t.Errorf("read back %+v, %v; want %+v", back.Parts, err, s.Parts)
	}
	// The zone is kept apart (ledger.SetOrderIDZone): the text stays what
	// an older hashgate reads; the form with it, of a day's ledgers, reads.
	s.Zone = "America/New_York"
	if b, _ := s.MarshalText(); string(b) != "3,2,2,8;0,0,0,0;0,0,0,0;0,0,0,0" {
		t.Errorf("text with a zone %q", b)
	}
	if err := back.UnmarshalText([]byte("3,2,2,8;0,0,0,0;0,0,0,0;0,0,0,0;zone=America/New_York")); err != nil || back.Parts != s.Parts || back.Zone != s.Zone {
		t.Errorf("read back %+v, %v; want %+v", back, err, s)
	}
	if k := (IDShape{}).Kept(&back, false); k.Zone != s.Zone {
		t.Errorf("a night without timed ids forgot the zone: %+v", k)
	}
	for _, bad := range []string{"", "1,2,3,4", "1,2,3;0,0,0,0;0,0,0,0;0,0,0,0", "x,0,0,0;0,0,0,0;0,0,0,0;0,0,0,0", "-1,0,0,0;0,0,0,0;0,0,0,0;0,0,0,0",
		"3,2,2,8;0,0,0,0;0,0,0,0;0,0,0,0;zone=", "3,2,2,8;0,0,0,0;0,0,0,0;0,0,0,0;UTC"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q read without an error", bad)
		}
	}
}

// TestIDShapeGate plays the nights: what stops and what does not.
func TestIDShapeGate(t *testing.T) {
	padded := shapeOf("00012345", "00012346", "00099999")
	plain := shapeOf("12345", "346", "99999")
	twoPlain := shapeOf("77", "12")
	for _, tc := range []struct {
		name  string
		prior *IDShape
		ids   []string
		stop  string // in the error; "" for none
	}{
		{"no prior", nil, []string{"12345"}, ""},
		{"padded, padded", &padded, []string{"00012347", "00012348"}, ""},
		{"padded, grown past the zeros", &padded, []string{"10000000", "10000001"}, ""},
		{"padded, grown a digit", &padded, []string{"100000000"}, ""},
		{"padded, trimmed", &padded, []string{"12347", "12348"}, "lost their leading zeros"},
		{"padded, one trimmed among grown", &padded, []string{"10000000", "12348"}, "lost their leading zeros"},
		// A few rows trimmed among padded ones (rows pasted from a
		// re-saved copy): each trimmed id is another event id, its visit
		// sent again. Before, only a night with no zero left stopped.
		{"padded, a few trimmed among padded", &padded, []string{"00012347", "00012349", "00012350", "12348"}, "lost their leading zeros"},
		{"padded, not digits now", &padded, []string{"A12347"}, ""},
		{"plain, plain", &plain, []string{"12347", "7"}, ""},
		{"plain, padded", &plain, []string{"00012347", "00012348", "00000007"}, "gained leading zeros"},
		{"plain, padded to their own width", &plain, []string{"012347", "012348", "000007"}, "gained leading zeros"},
		{"plain, wider without zeros", &plain, []string{"123456", "123457", "123458"}, ""},
		{"too few plain, padded", &twoPlain, []string{"00012347", "00012348", "00000007"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := idShapeGate{prior: tc.prior, name: "export.csv", cols: []string{"Appt No"}}
			for n, id := range tc.ids {
				o := [idShapeParts]uint8{digitShape(id)}
				g.seen.observe(&o)
				if g.prior != nil {
					g.mark(&o, n+2, 1)
				}
			}
			err := g.err()
			if tc.stop == "" {
				if err != nil {
					t.Fatalf("stopped: %v", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != "input.columns.order_id" || !strings.Contains(err.Error(), tc.stop) {
				t.Fatalf("err %v, want a stop naming input.columns.order_id and %q", err, tc.stop)
			}
			for _, id := range tc.ids {
				if strings.Contains(err.Error(), id) {
					t.Errorf("the stop quotes an id (%s): %v", id, err)
				}
			}
			if !strings.Contains(err.Error(), `column "Appt No"`) || !strings.Contains(err.Error(), "nothing was sent") {
				t.Errorf("the stop does not name the column and say nothing was sent: %v", err)
			}
			// Where: the first row that differs (rows are lines 2, 3, …).
			first := 2
			for n, id := range tc.ids {
				if tc.prior == &padded && digitShape(id)&0x7f < 8 || tc.prior == &plain && digitShape(id)&0x80 != 0 {
					first = n + 2
					break
				}
			}
			if at := fmt.Sprintf("export.csv:%d:1:", first); !strings.Contains(err.Error(), at) {
				t.Errorf("the stop does not point at %s: %v", at, err)
			}
		})
	}
}

// TestIDShapeLeavesTimesOut: the date and time parts of a composite order
// id enter event ids as the time read, so their spelling (1151001, 0900)
// is no padding and is not noted; the chart number is, through Run, on one
// worker and on three, and a prior that its zeros went from stops Run
// before the sink is written.
func TestIDShapeLeavesTimesOut(t *testing.T) {
	cfg := twCompositeConfig()
	var body strings.Builder
	for i := range 12 {
		fmt.Fprintf(&body, "%08d,1151001,09:00,completed,a%d@example.com,,,,,,,yes,\n", 3100+i, i)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	run := func(workers int, prior *IDShape, input string) (IDShape, *capture, error) {
		var seen IDShape
		sink := &capture{}
		err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(twHeader + input), InputName: "t.csv",
			Sink: sink, Workers: workers, PriorIDs: prior, SeenIDs: &seen}, report.New("t.csv"))
		return seen, sink, err
	}
	want := PartShape{Digits: 12, ZeroLed: 12, MinLen: 8, MaxLen: 8}
	for _, workers := range []int{1, 3} {
		seen, _, err := run(workers, nil, body.String())
		if err != nil {
			t.Fatal(err)
		}
		if seen.Parts[0] != want || seen.Parts[1] != (PartShape{}) || seen.Parts[2] != (PartShape{}) {
			t.Errorf("%d workers: shape %+v, want the chart's %+v and nothing of the date and time", workers, seen.Parts, want)
		}
	}
	prior, _, _ := run(1, nil, body.String())
	trimmed := strings.ReplaceAll(body.String(), "0000", "")
	_, sink, err := run(3, &prior, trimmed)
	if err == nil || !strings.Contains(err.Error(), "t.csv:2:1:") || len(sink.got) != 0 {
		t.Errorf("trimmed chart numbers: err %v, %d conversions written; want a stop at t.csv:2:1 and none", err, len(sink.got))
	}
}

// TestKeptShape: a night with the evidence replaces a part's shape; a
// small or empty one keeps the last (else one quiet night would end the
// check); --accept-new-ids takes whatever the night has.
func TestKeptShape(t *testing.T) {
	padded := shapeOf("00012345", "00012346", "00099999")
	for _, tc := range []struct {
		name     string
		night    IDShape
		accepted bool
		want     PartShape
	}{
		{"three ids", shapeOf("00012347", "00012348", "10000000"), false, PartShape{Digits: 3, ZeroLed: 2, MinLen: 8, MaxLen: 8}},
		{"two ids", shapeOf("00012347", "00012348"), false, padded.Parts[0]},
		{"empty", IDShape{}, false, padded.Parts[0]},
		{"two ids, accepted", shapeOf("12347", "12348"), true, PartShape{Digits: 2, MinLen: 5, MaxLen: 5}},
		{"empty, accepted", IDShape{}, true, padded.Parts[0]},
	} {
		if got := tc.night.Kept(&padded, tc.accepted).Parts[0]; got != tc.want {
			t.Errorf("%s: kept %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if got := shapeOf("1").Kept(nil, false); got != shapeOf("1") {
		t.Errorf("with no prior, kept %+v", got)
	}
}

func TestDecimalInteger(t *testing.T) {
	for s, want := range map[string]bool{
		"3100.0": true, "00012345.00": true, "7.0": true,
		"3100": false, "3100.5": false, "3100.": false, ".0": false, "1.0.0": false, "31a0.0": false, "v1.0": false, "": false,
	} {
		if got := decimalInteger(s); got != want {
			t.Errorf("decimalInteger(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestDecimalDatePartsOfACompositeIDPass: a composite order id's date part
// written as an Excel serial with a point (46328.0, as pandas writes it)
// enters the event id as the time read, so it stops nothing; the chart
// part written so stops the run.
func TestDecimalDatePartsOfACompositeIDPass(t *testing.T) {
	cfg := twCompositeConfig()
	cfg.Input.ExcelDates = "1900"
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	run := func(body string) error {
		return Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(twHeader + body), InputName: "t.csv",
			Sink: &capture{}, Workers: 1}, report.New("t.csv"))
	}
	if err := run("A003100,46328.0,09:00,completed,a@example.com,,,,,,,yes,\n"); err != nil {
		t.Errorf("a date part as an Excel serial with a point: %v", err)
	}
	if err := run("3100.0,46328.0,09:00,completed,a@example.com,,,,,,,yes,\n"); err == nil || !strings.Contains(err.Error(), "decimal number") {
		t.Errorf("a chart part as a decimal: %v", err)
	}
}
