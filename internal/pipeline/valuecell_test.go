package pipeline

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// TestTheFirstUnreadableFeeIsNamed: "value_not_a_number 312" left the
// analyst to find the cells herself. The summary names the first one in
// export order — its file:line:column and why, and the input.decimal_comma
// setting that would read it when one would — whatever the number of
// workers and whether the held rows spilled to disk, a duplicate row's
// (counted under duplicate_order alone) never; and never the cell.
func TestTheFirstUnreadableFeeIsNamed(t *testing.T) {
	for _, c := range []struct {
		name         string
		decimalComma bool
		bad          []string // the unreadable fees, in export order
		want         string   // what the first is said to be
	}{
		{"German fees, decimal_comma off", false, []string{"1.234,50", "健保", "USD 12"},
			"not a number, written with a decimal comma (dots grouping thousands, a comma before the decimals: a spreadsheet in a European locale): set input.decimal_comma: true"},
		{"English fees, decimal_comma on", true, []string{"1,234.56", "健保"},
			"not a number, written with a decimal point (commas grouping thousands, a dot before the decimals): set input.decimal_comma: false"},
		{"another currency first", false, []string{"USD 12", "1.234,50"}, "names another currency than the row's"},
		{"neither setting reads it", false, []string{"健保", "1.234,50"}, "not a number"},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := baseConfig()
			cfg.Input.Columns = config.Columns{OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"}, Consent: "consent", Value: "fee"}
			cfg.Input.DecimalComma = c.decimalComma
			cfg.Destinations.Google.Enabled = false
			cfg.Destinations.Meta.Identifiers = []string{"email"}
			cfg.Conversion.Value = config.ValueBucket
			cfg.Conversion.ValueBuckets = []float64{100}
			cfg.Conversion.Currency = "TWD"
			if err := cfg.Validate(); err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			b.WriteString("id,at,status,email,consent,fee\n")
			row := func(i int, fee string) string {
				return fmt.Sprintf("A%04d,2026-11-20 10:00,completed,p%d@example.com,yes,\"%s\"\n", i, i, fee)
			}
			// A duplicate of order A0003 with an unreadable fee comes
			// first: counted as duplicate_order, not as the first.
			for i := range 3000 {
				b.WriteString(row(i, "1200"))
				if i == 10 {
					b.WriteString(row(3, c.bad[0]))
				}
			}
			prefix := row(4000, "")
			col := len(prefix) - len(`""`+"\n") + 1
			line := 3000 + 3 // the header, the duplicate, then this one
			for k, fee := range c.bad {
				b.WriteString(row(4000+k, fee))
			}
			want := fmt.Sprintf("t.csv:%d:%d: %s", line, col, c.want)
			for _, workers := range []int{1, 4} {
				for _, hold := range []int{0, 1} {
					sum := report.New("t.csv")
					if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv",
						Sink: &capture{}, Workers: workers, HoldMemory: hold}, sum); err != nil {
						t.Fatal(err)
					}
					if sum.Notes[NoteValueUnparsed] != len(c.bad) {
						t.Errorf("workers %d, hold %d: value_not_a_number %d, want %d", workers, hold, sum.Notes[NoteValueUnparsed], len(c.bad))
					}
					if got := sum.NotesFirst[NoteValueUnparsed]; got != want {
						t.Errorf("workers %d, hold %d: the first value_not_a_number\n%q, want\n%q", workers, hold, got, want)
					}
					var text strings.Builder
					if err := sum.WriteText(&text); err != nil {
						t.Fatal(err)
					}
					if !strings.Contains(text.String(), "    the first value_not_a_number: "+want+"\n") {
						t.Errorf("the summary does not name the first cell:\n%s", text.String())
					}
					json, _ := sum.JSON()
					for _, fee := range c.bad {
						if strings.Contains(text.String(), fee) || strings.Contains(string(json), fee) {
							t.Errorf("the summary holds the cell %q:\n%s\n%s", fee, text.String(), json)
						}
					}
				}
			}
		})
	}
}
