package spend

import (
	"math"
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
		{"USD 100", "", "s.csv:3:3"}, {"US$100", "", "s.csv:3:3"}, {"S$100", "", "s.csv:3:3"}, {"HK$100", "", "s.csv:3:3"},
		// The file's currency column says TWD, the cell another.
		{"USD 100", "TWD", "s.csv:3:4"}, {"€100", "TWD", "s.csv:3:4"}, {"A$100", "TWD", "s.csv:3:4"},
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

// TestBareDollarIsTheRowsDollar: in Taiwan "$" is the everyday mark of
// NT dollars (price tags, invoices, the spend sheet a clinic keeps by
// hand: shared/docs/clinic-exports.md row 23), and a TWD clinic's
// "$1,200" stopped `channels` — the bare "$" was refused in every row but
// a USD one. It is the row's own dollar in any dollar currency, whether
// the row's currency comes from spend.<platform>.currency or the file's
// column; in a EUR, JPY or CNY row it is no amount of the row and stops,
// naming the cell, never the amount.
func TestBareDollarIsTheRowsDollar(t *testing.T) {
	for _, cur := range []string{"TWD", "HKD", "SGD", "AUD", "CAD", "NZD", "USD"} {
		for _, cell := range []string{"$1,200", "＄1,200", "$ 1,200.00"} {
			f, err := readString(t, "Day,Campaign,Cost\n2026-11-02,A,\""+cell+"\"\n", platform.Google, func(o *Options) { o.Currency = cur })
			if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != 1200 || f.Rows[0].Currency != cur {
				t.Errorf("%q in a %s sheet: %+v, %v", cell, cur, f, err)
			}
			f, err = readString(t, "Day,Campaign,Currency code,Cost\n2026-11-02,A,"+cur+",\""+cell+"\"\n", platform.Google)
			if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != 1200 {
				t.Errorf("%q in a %s column: %+v, %v", cell, cur, f, err)
			}
		}
	}
	for _, cur := range []string{"EUR", "JPY", "CNY", "GBP"} {
		_, err := readString(t, "Day,Campaign,Cost\n2026-11-02,A,\"$1,200\"\n", platform.Google, func(o *Options) { o.Currency = cur })
		if err == nil || !strings.Contains(err.Error(), "s.csv:2:3: ") || !strings.Contains(err.Error(), `bare "$"`) || strings.Contains(err.Error(), "200") {
			t.Errorf("$1,200 in a %s sheet: %v", cur, err)
		}
	}
}

// TestDollarPrefixesNameTheirCurrency: NT$, US$, HK$, S$, A$, C$ and NZ$
// read as their own dollar, and stop in a row of another, naming the
// cell and the mark's currency, never the amount. S$, A$, C$ and NZ$
// were not read at all ("not a number").
func TestDollarPrefixesNameTheirCurrency(t *testing.T) {
	for cell, cur := range map[string]string{"NT$1,200": "TWD", "US$1,200": "USD", "HK$1,200": "HKD", "S$1,200": "SGD",
		"A$1,200": "AUD", "AU$1,200": "AUD", "C$1,200": "CAD", "CA$1,200": "CAD", "NZ$1,200": "NZD", "SGD 1,200": "SGD", "1,200 AUD": "AUD"} {
		f, err := readString(t, "Day,Campaign,Cost\n2026-11-02,A,\""+cell+"\"\n", platform.Google, func(o *Options) { o.Currency = cur })
		if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != 1200 {
			t.Errorf("%q in a %s sheet: %+v, %v", cell, cur, f, err)
		}
		other := "TWD"
		if cur == "TWD" {
			other = "HKD"
		}
		_, err = readString(t, "Day,Campaign,Currency code,Cost\n2026-11-02,A,"+other+",\""+cell+"\"\n", platform.Google)
		if err == nil || !strings.Contains(err.Error(), "s.csv:2:4: ") || !strings.Contains(err.Error(), cur) || strings.Contains(err.Error(), "200") {
			t.Errorf("%q in a %s row: %v", cell, other, err)
		}
	}
}

// TestSpendNumberFormatIsTheDownloads: a download is read in its own
// number format, which its cells show, not in input.decimal_comma (the
// export's): a European clinic's Google Ads download in English format
// ("1,234.56") was refused at its first cell under decimal_comma, and a
// German-format one ("1.234,50") without it. A cell that reads only in
// the other format than an earlier cell's stops, naming both places and
// no amount.
func TestSpendNumberFormatIsTheDownloads(t *testing.T) {
	eur := func(o *Options) { o.Currency = "EUR" }
	for _, c := range []struct {
		cells []string
		want  float64
	}{
		{[]string{"1.234,50 €", "10,25"}, 1244.75},
		{[]string{"1.234", "EUR 12,5"}, 1246.5},
		{[]string{"1,234.50", "10.25"}, 1244.75},
		{[]string{"1,234", "12.50"}, 1246.5},
		{[]string{"1200", "1.234,50"}, 2434.5}, // a plain number reads either way
		{[]string{"0.500", "1,234.50"}, 1235},  // an English half, not 500
	} {
		in := "Day;Campaign;Cost\n2026-11-02;A;" + c.cells[0] + "\n2026-11-02;B;" + c.cells[1] + "\n"
		f, err := readString(t, in, platform.Google, eur)
		if err != nil || len(f.Rows) != 1 || math.Abs(f.Rows[0].Cost-c.want) > 1e-9 {
			t.Errorf("%q: %+v, %v; want %v", c.cells, f, err, c.want)
		}
	}
	for _, cells := range [][]string{{"1.234,50", "1,234.56"}, {"12.50", "12,50"}, {"1,234", "1.234"}} {
		in := "Day;Campaign;Cost\n2026-11-02;A;" + cells[0] + "\n2026-11-03;A;" + cells[1] + "\n"
		_, err := readString(t, in, platform.Google, eur)
		if err == nil || !strings.Contains(err.Error(), "s.csv:3:3: ") || !strings.Contains(err.Error(), "line 2 column 3") || strings.Contains(err.Error(), "234") || strings.Contains(err.Error(), "12") {
			t.Errorf("%q: %v", cells, err)
		}
	}
	for _, cell := range []string{"12.5.0", "1,23,4.5,6", "$1.234,50", "1.234,50 USD"} {
		_, err := readString(t, "Day;Campaign;Cost\n2026-11-02;A;"+cell+"\n", platform.Google, eur)
		if err == nil || !strings.Contains(err.Error(), "s.csv:2:3") || strings.Contains(err.Error(), "234") {
			t.Errorf("%q read in a EUR file: %v", cell, err)
		}
	}
}

// TestMetaZhTWExportCarriesItsCurrency: a Taiwanese clinic's Ads Manager
// export in zh-TW writes its cost 花費金額 (TWD) beside 分析報告開始 and
// 分析報告結束; no column was found ("no cost column") and the clinic had
// to map every one by hand. It is read, in TWD from its header, with no
// spend.meta.currency set.
func TestMetaZhTWExportCarriesItsCurrency(t *testing.T) {
	in := "\uFEFF分析報告開始,分析報告結束,行銷活動名稱,花費金額 (TWD),連結點擊次數,成果\n" +
		"2026-11-01,2026-11-30,植牙,\"1,200\",34,2\n"
	f, err := readString(t, in, platform.Meta, func(o *Options) { o.Currency = "" })
	if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != 1200 || f.Rows[0].Currency != "TWD" || f.Rows[0].Clicks != 34 || f.Rows[0].Conversions != 2 {
		t.Fatalf("%+v, %v", f, err)
	}
	in = "\uFEFF天數,行銷活動名稱,花費金額 (TWD)\n2026-11-02,A,\"$1,200\"\n"
	if f, err := readString(t, in, platform.Meta, func(o *Options) { o.Currency = "" }); err != nil || len(f.Rows) != 1 || !f.Daily || f.Rows[0].Currency != "TWD" {
		t.Fatalf("a day breakdown: %+v, %v", f, err)
	}
	// The English export's currency column, and its cost header.
	for _, in := range []string{"Day,Campaign name,Currency,Amount spent\n2026-11-02,A,EUR,12.50\n", "Day,Campaign name,Amount spent (EUR)\n2026-11-02,A,12.50\n"} {
		if f, err := readString(t, in, platform.Meta, func(o *Options) { o.Currency = "" }); err != nil || len(f.Rows) != 1 || f.Rows[0].Currency != "EUR" || f.Rows[0].Cost != 12.5 {
			t.Errorf("%q: %+v, %v", in, f, err)
		}
	}
}
