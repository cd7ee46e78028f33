package pipeline

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// round15 is a long number as a spreadsheet writes it back: its first 15
// digits, rounded half up by the 16th, then zeros (no carry past 15 digits
// in these tests).
func round15(s string) string {
	n, _ := strconv.ParseUint(s[:15], 10, 64)
	if s[15] >= '5' {
		n++
	}
	return strconv.FormatUint(n, 10) + strings.Repeat("0", len(s)-15)
}

// apartBody is n visits of 18-digit ids far apart (their first 15 digits
// differ), as the clinic wrote them or rounded: rounded apart, no two
// visits share one. endsIn000 is how many of the ids as written end in
// 000 by chance.
func apartBody(n int, rounded bool, endsIn000 int) string {
	var b strings.Builder
	for i := range n {
		id := fmt.Sprintf("4%02d000041234%06d", i, 123457+i*7919)
		if i < endsIn000 {
			id = id[:15] + "000"
		}
		if rounded {
			id = round15(id)
		}
		fmt.Fprintf(&b, "%s,2026-11-%02d 09:%02d,completed,p%d@example.com,,,,,,,yes,\n", id, 2+i/8, i%8*5, i)
	}
	return b.String()
}

// night runs body over the kept shape prior (nil: the first night) and
// returns the shape the ledger keeps after it, the run's error and the
// stops --accept-new-ids passed (accept: the flag is given).
func night(t *testing.T, prior *IDShape, body string, accept bool) (IDShape, error, []string) {
	t.Helper()
	return nightOf(t, baseConfig(), prior, body, accept)
}

func nightOf(t *testing.T, cfg *config.Config, prior *IDShape, body string, accept bool) (IDShape, error, []string) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	var seen IDShape
	var passed []string
	opt := Options{Config: cfg, Key: "k", Input: strings.NewReader(header + body), InputName: "t.csv", Sink: &capture{}, PriorIDs: prior, SeenIDs: &seen}
	if accept {
		opt.Accepted = func(s string) { passed = append(passed, s) }
	}
	err := Run(context.Background(), opt, report.New("t.csv"))
	kept := seen.Kept(prior, accept)
	if prior != nil {
		kept.KeyLong = seen.KeyLong.Kept(prior.KeyLong, accept) // as run.recordKeys keeps it
	}
	return kept, err, passed
}

// TestRoundedApartStops: ids a spreadsheet rounded apart share no visit,
// so the merge stop (rounded.go) cannot see them, yet every event id
// changed: the night after one uploaded from the clinic's file (or
// before it) stops, naming the first cell and the cause, never an id;
// --accept-new-ids passes it as order_id_rounded. Without the kept count
// of rounded long ids (before this), night 2 ran through.
func TestRoundedApartStops(t *testing.T) {
	for _, tc := range []struct {
		name          string
		first, second bool // rounded on night 1, on night 2
		want          string
	}{
		{"rounded tonight", false, true, "look rounded by a spreadsheet"},
		{"rounded the night before", true, false, "no longer rounded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, err, _ := night(t, nil, apartBody(24, tc.first, 0), false)
			if err != nil {
				t.Fatalf("night 1: %v", err)
			}
			body := apartBody(12, tc.second, 0)
			_, err, _ = night(t, &kept, body, false)
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != "input.columns.order_id" {
				t.Fatalf("night 2: err %v, want a stop on input.columns.order_id", err)
			}
			for _, want := range []string{tc.want, "t.csv:2:1:", "15 significant digits", "--accept-new-ids", "nothing was sent"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the stop does not say %q: %v", want, err)
				}
			}
			for _, line := range strings.Split(body, "\n") {
				if id, _, _ := strings.Cut(line, ","); id != "" && strings.Contains(err.Error(), id[:12]) {
					t.Fatalf("the stop quotes an id: %v", err)
				}
			}
			next, err, passed := night(t, &kept, body, true)
			if err != nil || len(passed) != 1 || passed[0] != report.StopOrderIDRounded {
				t.Fatalf("--accept-new-ids: err %v, passed %v", err, passed)
			}
			if _, err, _ := night(t, &next, body, false); err != nil {
				t.Fatalf("the night after the accepted one, as it: %v", err)
			}
			// The accepted form is the clinic's from then on: a night back
			// in the other form would change every id again.
			if _, err, _ := night(t, &next, apartBody(12, tc.first, 0), false); err == nil {
				t.Fatalf("the night after the accepted one, as the night before it: no stop")
			}
		})
	}
}

// TestGenuineIDsEndingInZerosGoThrough: a clinic whose genuine ids end in
// 000 now and then — a few of a night's, or a small night's all — never
// stops, nor does a first night, a night of 15-digit ids or a numbering
// whose kept ids often bore the signature.
func TestGenuineIDsEndingInZerosGoThrough(t *testing.T) {
	kept, err, _ := night(t, nil, apartBody(40, false, 2), false)
	if err != nil {
		t.Fatalf("night 1: %v", err)
	}
	for name, body := range map[string]string{
		"a few of a night's":        apartBody(20, false, 3),
		"a small night's all":       apartBody(1, false, 1),
		"two of three":              apartBody(3, false, 2),
		"a night of 15-digit ids":   strings.ReplaceAll(apartBody(12, false, 0), "000041234", "041234"),
		"rounded, first night ever": "",
	} {
		prior := &kept
		if body == "" {
			body, prior = apartBody(12, true, 0), nil
		}
		if _, err, _ := night(t, prior, body, false); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, c := range []struct {
		s, kept LongShape
		want    bool
	}{
		{LongShape{Long: 2, Rounded: 2, Zeros: 6}, LongShape{Long: 1000}, true},              // 18 digits, 1000 kept none: one in a million
		{LongShape{Long: 2, Rounded: 2, Zeros: 6}, LongShape{Long: 40}, false},               // 40 kept none: a share of 1/42 is all they prove
		{LongShape{Long: 5, Rounded: 5, Zeros: 15}, LongShape{Long: 40}, true},               //
		{LongShape{Long: 3, Rounded: 2, Zeros: 6}, LongShape{Long: 1000}, false},             // which two of three: three times the chance
		{LongShape{Long: 5, Rounded: 5, Zeros: 5}, LongShape{Long: 40, Rounded: 4}, false},   // 16 digits: one in 100,000
		{LongShape{Long: 8, Rounded: 8, Zeros: 8}, LongShape{Long: 40, Rounded: 4}, true},    //
		{LongShape{Long: 8, Rounded: 8, Zeros: 24}, LongShape{Long: 40, Rounded: 20}, false}, // a numbering ending in 000 half the time
		{LongShape{Long: 40, Rounded: 20, Zeros: 60}, LongShape{Long: 40}, false},            // half is not most
		{LongShape{Long: 12, Rounded: 12, Zeros: 36}, LongShape{Long: 19}, false},            // 19 kept: too few to judge by
	} {
		if got := c.s.roundedOver(c.kept); got != c.want {
			t.Errorf("%+v over %+v: rounded %v, want %v", c.s, c.kept, got, c.want)
		}
	}
	for _, c := range []struct {
		s, kept LongShape
		want    bool
	}{
		{LongShape{Long: 12}, LongShape{Long: 24, Rounded: 24, Zeros: 72}, true},
		{LongShape{Long: 9}, LongShape{Long: 3, Rounded: 3, Zeros: 9}, false},      // one night's three ids ending in 000 (a record of before)
		{LongShape{Long: 3}, LongShape{Long: 20, Rounded: 11, Zeros: 33}, false},   // ticks, an unlucky first week: 3 of a share of 10/22
		{LongShape{Long: 12, Rounded: 6}, LongShape{Long: 40, Rounded: 40}, false}, // half is not most
		{LongShape{Long: 3}, LongShape{Long: 40, Rounded: 40, Zeros: 120}, false},  // three of a share of 1/42: one in 74,000
		{LongShape{Long: 4}, LongShape{Long: 40, Rounded: 40, Zeros: 120}, true},
	} {
		if got := c.s.fullOver(c.kept); got != c.want {
			t.Errorf("%+v over %+v: no longer rounded %v, want %v", c.s, c.kept, got, c.want)
		}
	}
}

// TestLongShapeText: the ledger's forms read back; what is no such form
// is refused (the run then warns and replaces it).
func TestLongShapeText(t *testing.T) {
	var s IDShape
	s.Long[0] = LongShape{Long: 12, Rounded: 1, Zeros: 3}
	b, _ := s.MarshalLong()
	var back IDShape
	if err := back.UnmarshalLong(b); err != nil || back.Long != s.Long {
		t.Fatalf("%s read back as %+v, %v", b, back.Long, err)
	}
	for _, bad := range []string{"", "1,2,3", "1,2,3;0,0,0;0,0,0;x,0,0", "1,2,3;0,0,0;0,0,0;0,0,0"} {
		if err := back.UnmarshalLong([]byte(bad)); err == nil {
			t.Errorf("%q read", bad)
		}
	}
}

// keyedBody is n visits of short order ids whose patients carry 18-digit
// keys (a resident id number as chart number, column "last") far apart,
// as written or as a spreadsheet rounded them apart.
func keyedBody(n int, rounded bool) string {
	var b strings.Builder
	for i := range n {
		key := fmt.Sprintf("1101%02d19900307%04d", i, 1234+i*7)
		if rounded {
			key = round15(key)
		}
		fmt.Fprintf(&b, "%d,2026-11-%02d 09:%02d,completed,p%d@example.com,,,,%s,,,yes,\n", 5001+i, 2+i/8, i%8*5, i, key)
	}
	return b.String()
}

// TestRoundedPatientKeysStop: a withdrawal is remembered by the patient
// key, and an 18-digit key a spreadsheet rounded no longer matches the
// one it was remembered under (nor the reverse): the withdrawn patient's
// later rows, carrying no remembered email or phone, would be sent, and
// the keys' shape (one kind: all digits) saw nothing. The night stops,
// naming input.columns.patient_key and the first cell, never a key;
// --accept-new-ids passes it as patient_key_shape; keys as written, night
// after night, pass.
func TestRoundedPatientKeysStop(t *testing.T) {
	cfg := func() *config.Config {
		c := baseConfig()
		c.Input.Columns.PatientKey = "last"
		c.Input.Columns.LastName = ""
		return c
	}
	for _, tc := range []struct {
		name          string
		first, second bool
		want          string
	}{
		{"rounded tonight", false, true, "look rounded by a spreadsheet"},
		{"rounded the night before", true, false, "no longer rounded"},
		{"as written both nights", false, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kept, err, _ := nightOf(t, cfg(), nil, keyedBody(24, tc.first), false)
			if err != nil {
				t.Fatalf("night 1: %v", err)
			}
			body := keyedBody(12, tc.second)
			_, err, _ = nightOf(t, cfg(), &kept, body, false)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("night 2: %v", err)
				}
				return
			}
			var ce *config.Error
			if !errors.As(err, &ce) || ce.Key != "input.columns.patient_key" {
				t.Fatalf("night 2: err %v, want a stop on input.columns.patient_key", err)
			}
			for _, want := range []string{tc.want, "t.csv:2", "15 significant digits", "withdrew", "--accept-new-ids", "nothing was sent"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the stop does not say %q: %v", want, err)
				}
			}
			if strings.Contains(err.Error(), "1101001990") {
				t.Errorf("the stop quotes a key: %v", err)
			}
			if _, err, passed := nightOf(t, cfg(), &kept, body, true); err != nil || len(passed) != 1 || passed[0] != report.StopPatientKeyShape {
				t.Fatalf("--accept-new-ids: err %v, passed %v", err, passed)
			}
		})
	}
}
