package spend

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/platform"
)

const fixtures = "../../testdata/channels"

func readFixture(t *testing.T, name string, p platform.Platform) *File {
	t.Helper()
	fh, err := os.Open(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	f, err := Read(fh, name, Options{Platform: p, Columns: Preset(p)})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func totals(f *File) (cost, clicks, conv float64) {
	for _, r := range f.Rows {
		cost += r.Cost
		clicks += r.Clicks
		conv += r.Conversions
	}
	return
}

// TestGoogleCSVAndExcelCSVAgree reads the same report as the UI's "CSV"
// (UTF-8, commas) and "Excel CSV" (UTF-16LE with a BOM, tabs): title and
// date-range lines above the header, thousands separators, Total rows.
func TestGoogleCSVAndExcelCSVAgree(t *testing.T) {
	csv := readFixture(t, "google-ads.csv", platform.Google)
	xls := readFixture(t, "google-ads-excel.csv", platform.Google)
	// 226 campaign-days, summed into the 125 days that have any.
	if len(csv.Rows) != 125 || len(xls.Rows) != 125 {
		t.Fatalf("days: csv %d, excel %d, want 125 each", len(csv.Rows), len(xls.Rows))
	}
	if csv.Skipped != 3 || xls.Skipped != 3 {
		t.Errorf("Total rows skipped: csv %d, excel %d, want 3", csv.Skipped, xls.Skipped)
	}
	c1, k1, v1 := totals(csv)
	c2, k2, v2 := totals(xls)
	if c1 != c2 || k1 != k2 || v1 != v2 {
		t.Errorf("csv %v/%v/%v, excel %v/%v/%v", c1, k1, v1, c2, k2, v2)
	}
	// The Total: Account row of the file says 304,718.62, 11,417 clicks
	// and 236.50 conversions.
	if int(c1*100+0.5) != 30471862 || k1 != 11417 || v1 != 236.5 {
		t.Errorf("sum %v, %v clicks, %v conversions; want 304718.62, 11417, 236.5", c1, k1, v1)
	}
	if !csv.Daily || csv.Rows[0].Currency != "TWD" || csv.Rows[0].Line != 4 {
		t.Errorf("first row %+v", csv.Rows[0])
	}
}

func TestMetaWithAndWithoutDayBreakdown(t *testing.T) {
	daily := readFixture(t, "meta-daily.csv", platform.Meta)
	total := readFixture(t, "meta-total.csv", platform.Meta)
	if !daily.Daily || total.Daily {
		t.Fatalf("daily %v, total %v", daily.Daily, total.Daily)
	}
	if total.Rows[0].Currency != "TWD" {
		t.Errorf("currency from \"Amount spent (TWD)\": got %q", total.Rows[0].Currency)
	}
	if got := total.Rows[0].To.Sub(total.Rows[0].From).Hours() / 24; got != 29 {
		t.Errorf("reporting range of %v days, want 30", got+1)
	}
	var cost float64
	for _, r := range daily.Rows {
		if r.From.Month() == 11 {
			cost += r.Cost
		}
	}
	c, _, _ := totals(total)
	if int(cost*100+0.5) != int(c*100+0.5) {
		t.Errorf("November by day %v, as one range %v", cost, c)
	}
}

func TestMappedColumnsAndErrors(t *testing.T) {
	in := "日期;花費;點擊;貨幣\n2026-11-01;1,234.50;3;TWD\n2026-11-02;1.234,50;3;TWD\n"
	cols := Preset(platform.Google).Override("日期", "", "花費", "點擊", "", "貨幣", "")
	_, err := Read(strings.NewReader(in), "zh.csv", Options{Platform: platform.Google, Columns: cols})
	// "1.234,50" is a decimal comma after a decimal point: no download
	// writes both, and the cell is refused with its position, never its
	// value.
	if err == nil || !strings.Contains(err.Error(), "zh.csv:3:2") || strings.Contains(err.Error(), "1.234") {
		t.Fatalf("want an error at zh.csv:3:2 without the value, got %v", err)
	}
	in = "日期;花費;點擊;貨幣\n2026-11-01;1234.50;3;TWD\n"
	f, err := Read(strings.NewReader(in), "zh.csv", Options{Platform: platform.Google, Columns: cols})
	if err != nil || len(f.Rows) != 1 || f.Rows[0].Cost != 1234.5 || f.Rows[0].Clicks != 3 {
		t.Fatalf("rows %+v, err %v", f, err)
	}
	_, err = Read(strings.NewReader("Campaign,Cost\nX,1\n"), "nodate.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err == nil || !strings.Contains(err.Error(), "Segment") {
		t.Fatalf("want advice on the day segment, got %v", err)
	}
	_, err = Read(strings.NewReader("Day,Cost\n2026-11-01,1\n"), "nocur.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err == nil || !strings.Contains(err.Error(), "spend.google.currency") {
		t.Fatalf("want the currency key named, got %v", err)
	}
	f, err = Read(strings.NewReader("Day,Cost\n2026-11-01,1\n"), "nocur.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google), Currency: "twd"})
	if err != nil || f.Rows[0].Currency != "TWD" {
		t.Fatalf("configured currency: %+v %v", f, err)
	}
}

func TestCampaignNamesNeverInErrors(t *testing.T) {
	in := "Day,Campaign,Currency code,Cost\n2026-11-01,Dental Implant Search,TWD,abc\n"
	_, err := Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err == nil || strings.Contains(err.Error(), "Implant") || strings.Contains(err.Error(), "abc") {
		t.Fatalf("error must name the position only: %v", err)
	}
	in = "Day,Campaign,Currency code,Cost\nnot a day,Dental Implant Search,TWD,1\n"
	_, err = Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err == nil || !strings.Contains(err.Error(), "g.csv:2:1") || strings.Contains(err.Error(), "not a day,") {
		t.Fatalf("date error: %v", err)
	}
}

func TestAmount(t *testing.T) {
	for in, want := range map[string]float64{"1,234.56": 1234.56, "1,234": 1234, "--": 0, "": 0, "NT$1,500": 1500, " 12 ": 12, "0.50": 0.5} {
		var a Amount
		if err := a.UnmarshalCSV(in); err != nil {
			t.Fatal(err)
		}
		if err := a.read("TWD", &numberFormat{}, 2, 1); err != nil || a.Value != want {
			t.Errorf("%q: %v, %v; want %v", in, a.Value, err, want)
		}
	}
	for _, in := range []string{"1e5", "abc", "-3", "0x10"} {
		var a Amount
		if err := a.UnmarshalCSV(in); err != nil {
			t.Fatal(err)
		}
		if err := a.read("TWD", &numberFormat{}, 2, 1); err == nil {
			t.Errorf("%q read as %v", in, a.Value)
		}
	}
}

func TestCurrencyInTheCostHeader(t *testing.T) {
	in := "Day,Campaign,Cost (USD),Clicks\n2026-11-01,Brand,12.50,3\n"
	f, err := Read(strings.NewReader(in), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
	if err != nil || len(f.Rows) != 1 || f.Rows[0].Currency != "USD" || f.Rows[0].Cost != 12.5 {
		t.Fatalf("%+v %v", f, err)
	}
}

// TestCurrencyCellIsACode: a currency cell that is no three-letter code —
// escape sequences, a formula, an e-mail — stops the read at its line,
// never quoted back (it once reached the terminal whole in the error
// about a currency other than the report's). Three letters that are no
// ISO 4217 code (TWN for TWD) are refused too, as the export's currency
// is (printable.CurrencyCode): the report would compare spend in "TWN"
// with revenue in TWD.
func TestCurrencyCellIsACode(t *testing.T) {
	for _, cell := range []string{"\x1b]0;PWN\x07\x1b[2J\u202eabc", `=HYPERLINK("x")`, "jane@x.com", "NT", "TWN"} {
		text := "Day,Campaign,Currency code,Cost,Clicks,Conversions\n2026-11-05,Brand,TWD,1.00,1,0\n2026-11-06,Brand," + strings.ReplaceAll(cell, `"`, `""`) + ",1.00,1,0\n"
		text = strings.Replace(text, "Brand,"+strings.ReplaceAll(cell, `"`, `""`), `Brand,"`+strings.ReplaceAll(cell, `"`, `""`)+`"`, 1)
		_, err := Read(strings.NewReader(text), "g.csv", Options{Platform: platform.Google, Columns: Preset(platform.Google)})
		if err == nil || !strings.Contains(err.Error(), "g.csv:3") || !strings.Contains(err.Error(), "not a currency code") {
			t.Errorf("%q: %v", cell, err)
			continue
		}
		for _, part := range []string{"PWN", "HYPERLINK", "jane@", "\x1b", "\u202e"} {
			if strings.Contains(err.Error(), part) {
				t.Errorf("%q: the error quotes the cell: %v", cell, err)
			}
		}
	}
}
