package channels

import (
	"context"
	"encoding/csv"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/money"
)

// TestDecimalCommaFeesNameTheCell: the fixture's fees re-saved as a
// German-locale spreadsheet writes them ("1.500,00") under
// input.decimal_comma off are unreadable: every revenue was null and
// stderr said only how many visits had no readable value. The stats now
// name the first such cell (file:line:column, never its value), for the
// message to name it and input.decimal_comma; with the setting on there
// is nothing to name and the fees read.
func TestDecimalCommaFeesNameTheCell(t *testing.T) {
	header, rows := fixtureExport(t)
	cols, err := csv.NewReader(strings.NewReader(header)).Read()
	if err != nil {
		t.Fatal(err)
	}
	fee := -1
	for i, c := range cols {
		if c == "Fee" {
			fee = i
		}
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	_ = w.Write(cols)
	first, col := 0, 0
	for i, line := range rows {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil {
			t.Fatal(err)
		}
		if v, err := money.Parse(rec[fee]); err == nil && rec[fee] != "" && v >= 1000 {
			s := strconv.FormatFloat(v, 'f', 2, 64) // 1500.00 → 1.500,00
			dot := strings.IndexByte(s, '.')
			rec[fee] = s[:dot-3] + "." + s[dot-3:dot] + "," + s[dot+1:]
			if first == 0 {
				// Its column: where the cell starts on its line, as the
				// reader counts it (from 1).
				var pre strings.Builder
				pw := csv.NewWriter(&pre)
				_ = pw.Write(rec[:fee])
				pw.Flush()
				first, col = i+2, len(strings.TrimRight(pre.String(), "\n"))+2
			}
		}
		_ = w.Write(rec)
	}
	w.Flush()
	if first == 0 {
		t.Fatal("no fee of 1,000 or more in the fixture")
	}
	build := func(decimalComma bool, share float64) (*Stats, error) {
		cfg := fixtureConfig()
		cfg.Input.DecimalComma = decimalComma
		cfg.Input.MaxUnreadableValueShare = share
		_, st, err := Build(context.Background(), Options{Config: cfg, Input: strings.NewReader(b.String()), InputName: "export.csv",
			From: day("2026-08-01"), To: day("2026-11-30"), AsOf: day("2026-11-26"), Period: "week", Key: testKey})
		return st, err
	}
	want := "export.csv:" + strconv.Itoa(first) + ":" + strconv.Itoa(col)
	// So many fees unread stop the report (pipeline.ValueFit, fees27),
	// naming the cell and input.decimal_comma; a share of 1 prints it,
	// and the stats name the cell for stderr.
	var ce *config.Error
	if _, err := build(false, 0); !errors.As(err, &ce) || ce.Key != "input.decimal_comma" || !strings.Contains(err.Error(), want+": ") {
		t.Errorf("decimal_comma off: %v; want a stop naming input.decimal_comma at %s", err, want)
	}
	off, err := build(false, 1)
	if err != nil {
		t.Fatal(err)
	}
	if off.DecimalCommaAt != want || off.ValueSkipped == 0 {
		t.Errorf("decimal_comma off: DecimalCommaAt %q (want %q), %d values skipped", off.DecimalCommaAt, want, off.ValueSkipped)
	}
	on, err := build(true, 0)
	if err != nil {
		t.Fatal(err)
	}
	if on.DecimalCommaAt != "" || on.ValueSkipped >= off.ValueSkipped {
		t.Errorf("decimal_comma on: DecimalCommaAt %q, %d values skipped (off: %d)", on.DecimalCommaAt, on.ValueSkipped, off.ValueSkipped)
	}
}
