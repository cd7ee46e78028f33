package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink/reviewcsv"
)

// feeConfig sends the fee itself (conversion.value: actual) to both
// destinations, in TWD.
func feeConfig() *config.Config {
	cfg := baseConfig()
	cfg.Input.Columns = config.Columns{OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"}, Consent: "consent", Value: "fee"}
	cfg.Destinations.Meta.Identifiers = []string{"email"}
	cfg.Destinations.Google.Identifiers = []string{"email"}
	cfg.Conversion.Value = config.ValueActual
	cfg.Privacy.AllowActualValue = true
	cfg.Conversion.Currency = "TWD"
	return cfg
}

// feeExport is an export of n completed, consented visits whose fee
// cells fee(i) writes (CSV-quoted), and the column of its fee cells.
func feeExport(n int, fee func(int) string) (body string, col int) {
	var b strings.Builder
	b.WriteString("id,at,status,email,consent,fee\n")
	for i := range n {
		fmt.Fprintf(&b, "A%04d,2026-11-20 10:00,completed,p%04d@example.com,yes,\"%s\"\n", i, i, fee(i))
	}
	return b.String(), len("A0000,2026-11-20 10:00,completed,p0000@example.com,yes,") + 1
}

func runFees(t *testing.T, cfg *config.Config, body string) (map[int]error, map[int]*report.Summary, map[int]int) {
	t.Helper()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	errs, sums, sent := map[int]error{}, map[int]*report.Summary{}, map[int]int{}
	for _, workers := range []int{1, 3} {
		sink := &capture{}
		sum := report.New("f.csv")
		errs[workers] = Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(body), InputName: "f.csv",
			Sink: sink, Workers: workers}, sum)
		sums[workers], sent[workers] = sum, len(sink.got)
	}
	return errs, sums, sent
}

// TestAFeeColumnThatNoLongerReadsStops: an export re-saved with its fees
// written "12 00" (a space, or a no-break space, grouping no thousands:
// "1 200" reads since fees27), "12'00", "(1,200)" (an accounting
// negative), "1.20E+03" or
// "€1.200" in a TWD clinic made every row value_not_a_number, and the
// run went on with exit 0: Google received every visit without a value
// (with restate off, for good), Meta held them back. More than
// input.max_unreadable_value_share of the fee cells that hold a number
// not reading stop the run before anything is sent, naming the first
// cell by file:line:column and why — never the cell.
func TestAFeeColumnThatNoLongerReadsStops(t *testing.T) {
	for _, fee := range []string{"12 00", "1\u00a020", "12'00", "(1,200)", "1.20E+03", "€1.200", "1.234,50"} {
		for _, n := range []int{10, 3000} {
			body, col := feeExport(n, func(int) string { return fee })
			errs, _, sent := runFees(t, feeConfig(), body)
			for w, err := range errs {
				var ce *config.Error
				if !errors.As(err, &ce) || !strings.Contains(err.Error(), fmt.Sprintf("f.csv:2:%d: ", col)) ||
					!strings.Contains(err.Error(), "input.max_unreadable_value_share") || !strings.Contains(err.Error(), "nothing was sent") {
					t.Errorf("%q, %d rows, workers %d: got %v, want a config.Error naming f.csv:2:%d and input.max_unreadable_value_share", fee, n, w, err, col)
				}
				if err != nil && strings.Contains(err.Error(), fee) {
					t.Errorf("%q: the error holds the cell: %v", fee, err)
				}
				if sent[w] != 0 {
					t.Errorf("%q, %d rows, workers %d: %d conversions reached the sink before the stop", fee, n, w, sent[w])
				}
			}
		}
	}
}

// TestFeeCellsThatDoNotStop: what the fee share does not count, or
// allows. Blank cells (a visit with no charge) and cells without a digit
// (健保, a visit the national insurance pays; N/A) are no number; a few
// unreadable cells under the share, or fewer than three, are row
// problems, counted and sent without a value; share 1 never stops; and a
// value policy that does not read the fee (fixed) judges nothing.
func TestFeeCellsThatDoNotStop(t *testing.T) {
	mostly := func(odd string) func(int) string {
		return func(i int) string {
			if i%2 == 0 {
				return odd
			}
			return "1200"
		}
	}
	for _, c := range []struct {
		name   string
		n      int
		fee    func(int) string
		setup  func(*config.Config)
		unread int // value_not_a_number
	}{
		{"blank cells", 20, func(i int) string { return map[bool]string{true: "", false: "12 00"}[i > 1] }, nil, 2},
		// 30 of 60 cells unread, but 27 of them words: 3 of 33 numbers.
		{"words for no fee", 60, func(i int) string {
			switch {
			case i < 3:
				return "12 00"
			case i < 30:
				return []string{"健保", "N/A", "-"}[i%3]
			}
			return "1,200"
		}, nil, 30},
		{"a few under the share", 100, func(i int) string { return map[bool]string{true: "12'00", false: "NT$1,200"}[i%10 == 0] }, nil, 10},
		{"two of two", 2, func(int) string { return "12 00" }, nil, 2},
		{"share 1", 40, mostly("12 00"), func(c *config.Config) { c.Input.MaxUnreadableValueShare = 1 }, 20},
		{"share 0.6", 40, mostly("12 00"), func(c *config.Config) { c.Input.MaxUnreadableValueShare = 0.6 }, 20},
		{"fixed value", 40, func(int) string { return "12 00" }, func(c *config.Config) {
			c.Conversion.Value, c.Conversion.FixedValue, c.Privacy.AllowActualValue = config.ValueFixed, 1000, false
		}, 0},
	} {
		cfg := feeConfig()
		if c.setup != nil {
			c.setup(cfg)
		}
		body, _ := feeExport(c.n, c.fee)
		errs, sums, sent := runFees(t, cfg, body)
		for w, err := range errs {
			if err != nil {
				t.Errorf("%s, workers %d: %v", c.name, w, err)
				continue
			}
			if got := sums[w].Notes[NoteValueUnparsed]; got != c.unread || sent[w] != 2*c.n {
				t.Errorf("%s, workers %d: value_not_a_number %d, want %d; %d conversions sent, want %d", c.name, w, got, c.unread, sent[w], 2*c.n)
			}
		}
	}
}

// TestAFeeStopNamesTheDecimalComma: fees written 1.234,50 under
// input.decimal_comma: false stop naming that key, and say which setting
// reads them (the words notes_first_cell uses); a bucket policy reads the
// fee, and is judged as actual is.
func TestAFeeStopNamesTheDecimalComma(t *testing.T) {
	cfg := feeConfig()
	cfg.Conversion.Value, cfg.Conversion.ValueBuckets, cfg.Privacy.AllowActualValue = config.ValueBucket, []float64{100, 1000}, false
	body, col := feeExport(30, func(i int) string { return fmt.Sprintf("%d.234,50", i%9+1) })
	errs, _, sent := runFees(t, cfg, body)
	for w, err := range errs {
		var ce *config.Error
		if !errors.As(err, &ce) || ce.Key != "input.decimal_comma" || !strings.Contains(err.Error(), fmt.Sprintf("f.csv:2:%d: ", col)) ||
			!strings.Contains(err.Error(), whyOtherMark[0]) || !strings.Contains(err.Error(), "30 of the 30 fee cells") || sent[w] != 0 {
			t.Errorf("workers %d: %v, %d sent; want input.decimal_comma named at f.csv:2:%d, nothing sent", w, err, sent[w], col)
		}
	}
}

// TestAFeeStopNamesOnlyEnabledDestinations: the stop said "Meta would
// hold them back" to a clinic that sends to Google alone, and spoke of
// Google's restate to one that sends to Meta alone. It names what each
// enabled destination would do with a visit sent without a value, and
// no other.
func TestAFeeStopNamesOnlyEnabledDestinations(t *testing.T) {
	for _, c := range []struct {
		name         string
		google, meta bool
		want, not    []string
	}{
		{"google only", true, false, []string{"Google", "destinations.google.restate"}, []string{"Meta"}},
		{"meta only", false, true, []string{"Meta would hold"}, []string{"Google", "restate"}},
		{"both", true, true, []string{"Google", "destinations.google.restate", "Meta would hold"}, nil},
	} {
		cfg := feeConfig()
		cfg.Destinations.Google.Enabled, cfg.Destinations.Meta.Enabled = c.google, c.meta
		body, _ := feeExport(10, func(int) string { return "(1,200)" })
		errs, _, _ := runFees(t, cfg, body)
		for w, err := range errs {
			if err == nil {
				t.Errorf("%s, workers %d: no stop", c.name, w)
				continue
			}
			for _, s := range c.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("%s, workers %d: the stop does not say %q: %v", c.name, w, s, err)
				}
			}
			for _, s := range c.not {
				if strings.Contains(err.Error(), s) {
					t.Errorf("%s, workers %d: the stop names %q, which is not enabled: %v", c.name, w, s, err)
				}
			}
		}
	}
}

// TestVisitsWithoutAValueAreCounted: Google records a conversion sent
// without a value at its conversion action's default value (Google Ads
// API, ConversionAction.ValueSettings.default_value), not as no value,
// and nothing said how many went so. The summary counts, per
// destination, the visits' conversions that carry no value — a blank
// fee, value_not_a_number under the share — and says what Google does
// with them; fees that read are not counted.
func TestVisitsWithoutAValueAreCounted(t *testing.T) {
	cfg := feeConfig()
	cfg.Destinations.Meta.Enabled = false
	body, _ := feeExport(20, func(i int) string {
		switch i {
		case 0, 1:
			return ""
		case 2:
			return "(1,200)"
		}
		return "1\u00a0200"
	})
	errs, sums, sent := runFees(t, cfg, body)
	// And through the review CSV, a sink that prepares its conversions on
	// the workers: a prepared conversion's held record keeps no HasValue.
	review := report.New("f.csv")
	snk, err := reviewcsv.New(io.Discard, reviewcsv.Layout{})
	if err != nil {
		t.Fatal(err)
	}
	errs[0] = Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(body), InputName: "f.csv", Sink: snk, Workers: 2}, review)
	sums[0], sent[0] = review, review.Conversions["google"]
	for w, err := range errs {
		if err != nil || sent[w] != 20 {
			t.Fatalf("workers %d: %v, %d sent", w, err, sent[w])
		}
		if got := sums[w].WithoutValue; got["google"] != 3 || len(got) != 1 {
			t.Errorf("workers %d: without a value %v, want google 3", w, got)
		}
		var b strings.Builder
		if err := sums[w].WriteText(&b); err != nil {
			t.Fatal(err)
		}
		if text := b.String(); !strings.Contains(text, "google: 3 of the 20 conversions carry no value") ||
			!strings.Contains(text, "the conversion action's default value") {
			t.Errorf("workers %d: the summary does not say it:\n%s", w, text)
		}
	}
}
