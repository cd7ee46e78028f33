package spend

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

// TestAmountInAnotherCurrencyStops: "$100", "USD 100" and "US$100" in the
// spend file of a TWD clinic were read as 100 TWD (money.Parse trims any
// currency mark), and every cost per visit, ROAS and cost per new patient
// of the report was off by the exchange rate while looking right. The
// read stops naming the cell's file, line and column, never its amount.
func TestAmountInAnotherCurrencyStops(t *testing.T) {
	for _, c := range []struct{ cell, currency, col string }{
		{"$100", "", "s.csv:3:3"}, {"USD 100", "", "s.csv:3:3"}, {"US$100", "", "s.csv:3:3"}, {"＄100", "", "s.csv:3:3"},
		// The file's currency column says TWD, the cell another.
		{"USD 100", "TWD", "s.csv:3:4"}, {"$100", "TWD", "s.csv:3:4"}, {"€100", "TWD", "s.csv:3:4"},
	} {
		in := "Day,Campaign,Cost\n2026-11-01,A,12\n2026-11-02,A,\"" + c.cell + "\"\n"
		if c.currency != "" {
			in = "Day,Campaign,Currency code,Cost\n2026-11-01,A,TWD,12\n2026-11-02,A,TWD,\"" + c.cell + "\"\n"
		}
		_, err := readString(t, in, platform.Google)
		if err == nil || !strings.Contains(err.Error(), c.col+": ") || strings.Contains(err.Error(), "100") || !strings.Contains(err.Error(), "TWD") {
			t.Errorf("%q (currency column %q): %v", c.cell, c.currency, err)
		}
	}
	// What to do: convert the file, or name its currency.
	_, err := readString(t, "Day,Campaign,Cost\n2026-11-02,A,USD 100\n", platform.Google)
	if err == nil || !strings.Contains(err.Error(), "USD") || !strings.Contains(err.Error(), "spend.google.currency") {
		t.Errorf("the error names neither the cell's currency nor the setting: %v", err)
	}
	// A bare "$" in a EUR file is no euro: said as every dollar's sign,
	// not as a list of the currencies that write it.
	_, err = readString(t, "Day;Campaign;Cost\n2026-11-02;A;$100\n", platform.Google, func(o *Options) { o.Currency = "EUR" })
	if err == nil || !strings.Contains(err.Error(), `bare "$"`) || strings.Contains(err.Error(), "AUD") {
		t.Errorf("a bare $ in a EUR file: %v", err)
	}
	// Clicks and conversions are read the same way.
	_, err = readString(t, "Day,Campaign,Cost,Clicks\n2026-11-02,A,100,USD 3\n", platform.Google)
	if err == nil || !strings.Contains(err.Error(), "s.csv:2:4") {
		t.Errorf("a clicks cell in USD: %v", err)
	}
}

// TestAmountInTheFilesCurrencyPasses: a cell naming the row's own
// currency, or none, is read; a bare "$" in a USD file is US dollars.
func TestAmountInTheFilesCurrencyPasses(t *testing.T) {
	for cell, want := range map[string]float64{"NT$100": 100, "TWD 100": 100, "100": 100, "NT$1,234.50": 1234.5, "100元": 100} {
		f, err := readString(t, "Day,Campaign,Cost\n2026-11-02,A,\""+cell+"\"\n", platform.Google)
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != want || f.Rows[0].Currency != "TWD" {
			t.Errorf("%q: %+v, %v; want %v TWD", cell, f, err, want)
		}
	}
	for _, cell := range []string{"$100", "US$100", "USD 100"} {
		f, err := readString(t, "Day,Campaign,Currency code,Cost\n2026-11-02,A,USD,\""+cell+"\"\n", platform.Google)
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != 100 || f.Rows[0].Currency != "USD" {
			t.Errorf("%q in a USD file: %+v, %v", cell, f, err)
		}
	}
}

// TestDecimalCommaSpend: a EUR clinic's download written 1.234,50 € is
// read under input.decimal_comma as the export's fees are; a cell that
// reads one way with a decimal comma and another with a decimal point
// ("1,234.56", "1,234": an English download) stops rather than being read
// a thousand times too small.
func TestDecimalCommaSpend(t *testing.T) {
	eur := func(o *Options) { o.Currency, o.DecimalComma = "EUR", true }
	for cell, want := range map[string]float64{"1.234,50 €": 1234.5, "1.234,50": 1234.5, "EUR 12,5": 12.5, "€ 7": 7, "1.234": 1234} {
		f, err := readString(t, "Day;Campaign;Cost\n2026-11-02;A;"+cell+"\n", platform.Google, eur)
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != want || f.Rows[0].Currency != "EUR" {
			t.Errorf("%q: %+v, %v; want %v EUR", cell, f, err, want)
		}
	}
	for _, cell := range []string{"1,234.56", "1,234", "12.50", "$1.234,50", "1.234,50 USD"} {
		_, err := readString(t, "Day;Campaign;Cost\n2026-11-02;A;"+cell+"\n", platform.Google, eur)
		if err == nil || !strings.Contains(err.Error(), "s.csv:2:3") || strings.Contains(err.Error(), "234") {
			t.Errorf("%q read in a decimal-comma EUR file: %v", cell, err)
		}
	}
	// An English cell is said to be one, with what to do.
	for _, cell := range []string{"1,234.56", "1,234"} {
		_, err := readString(t, "Day;Campaign;Cost\n2026-11-02;A;"+cell+"\n", platform.Google, eur)
		if err == nil || !strings.Contains(err.Error(), "decimal point") {
			t.Errorf("%q: %v, want it said to read as two numbers", cell, err)
		}
	}
	// Without decimal_comma the same cell is refused, as before.
	if _, err := readString(t, "Day;Campaign;Cost\n2026-11-02;A;1.234,50 €\n", platform.Google, func(o *Options) { o.Currency = "EUR" }); err == nil {
		t.Error("1.234,50 read without decimal_comma")
	}
}
