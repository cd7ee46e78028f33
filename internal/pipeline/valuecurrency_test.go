package pipeline

import (
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/report"
)

// TestAFeeNamingAnotherCurrencyIsNotSent: "USD 120" in a TWD clinic's
// fee column was read as 120 and sent as 120 TWD (a review, 2026-12-07):
// the currency a cell names was trimmed and forgotten. A fee naming a
// currency other than the row's is unreadable (value_not_a_number), the
// visit sent without a value; one naming the row's own, or the bare "$"
// Taiwan's exports write for NT dollars, is read.
func TestAFeeNamingAnotherCurrencyIsNotSent(t *testing.T) {
	cfg := baseConfig()
	cfg.Input.Columns = config.Columns{OrderID: []string{"id"}, AppointmentAt: "at", Status: "status", Email: []string{"email"}, Consent: "consent", Value: "fee"}
	cfg.Destinations.Google.Enabled = false
	cfg.Destinations.Meta.Identifiers = []string{"email"}
	cfg.Conversion.Value = config.ValueBucket
	cfg.Conversion.ValueBuckets = []float64{100}
	cfg.Conversion.Currency = "TWD"
	// Row by row: 9 of these 16 fees do not read, which would stop the run
	// (TestAFeeColumnThatNoLongerReadsStops).
	cfg.Input.MaxUnreadableValueShare = 1
	fees := map[string]bool{
		"USD 120": false, "US$120": false, "HK$120": false, "120 USD": false, "€120": false,
		"120 EUR": false, "CNY 120": false, "人民币120": false, "¥120": false,
		"NT$120": true, "$120": true, "TWD 120": true, "120 NTD": true, "120元": true, "120": true, "NT$ 1,200": true,
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write([]string{"id", "at", "status", "email", "consent", "fee"})
	i := 0
	for fee := range fees {
		w.Write([]string{fmt.Sprintf("A%02d", i), "2026-11-20 10:00", "completed", fmt.Sprintf("p%d@example.com", i), "yes", fee})
		i++
	}
	w.Flush()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	sink, sum := &capture{}, report.New("t.csv")
	if err := Run(context.Background(), Options{Config: cfg, Key: "k", Input: strings.NewReader(b.String()), InputName: "t.csv", Sink: sink}, sum); err != nil {
		t.Fatal(err)
	}
	rows, _ := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	unread, seen := 0, map[string]bool{}
	for _, cv := range sink.got {
		fee := rows[cv.Line-1][5]
		if seen[fee] {
			continue // one per order per destination
		}
		seen[fee] = true
		if cv.HasValue != fees[fee] {
			t.Errorf("%q in a TWD clinic: value sent %v (%v %s), want %v", fee, cv.HasValue, cv.Value, cv.Currency, fees[fee])
		}
		if cv.HasValue && (cv.Currency != "TWD" || cv.Value != 100) {
			t.Errorf("%q: sent %v %s, want 100 TWD", fee, cv.Value, cv.Currency)
		}
		if !fees[fee] {
			unread++
		}
	}
	if len(seen) != len(fees) {
		t.Fatalf("%d fees converted, want %d", len(seen), len(fees))
	}
	if sum.Notes[NoteValueUnparsed] != unread {
		t.Errorf("value_not_a_number %d, want %d (notes %v)", sum.Notes[NoteValueUnparsed], unread, sum.Notes)
	}
}
