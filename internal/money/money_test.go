package money

import (
	"errors"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	ok := map[string]float64{
		"1500": 1500, "1,500": 1500, "NT$1,500": 1500, "$8,000": 8000, `5,985.00`: 5985,
		"￥1,880.00": 1880, "12800元": 12800, " 99.5 ": 99.5, "0": 0, "１２００": 1200,
		"1,234.567": 1234.567, "616.78": 616.78, "0.500": 0.5, ".500": 0.5, "0.50": 0.5, "1234.5678": 1234.5678,
	}
	for in, want := range ok {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("%q: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "健保", "N/A", "-5", "1e5", "Inf", "NaN", "0x1p3", "1.250,00", "12,5", "1.2.3",
		// A lone dot before three digits groups thousands as often as it
		// marks decimals (a Vietnamese spend download's "123.456"): read
		// as 123.456 it was a thousandth of the amount (review, 2026-12-06).
		"123.456", "1.500", "NT$1.500"} {
		if _, err := Parse(in); !errors.Is(err, ErrNotAmount) {
			t.Errorf("%q: want ErrNotAmount, got %v", in, err)
		}
	}
}

func TestParseDecimalComma(t *testing.T) {
	for in, want := range map[string]float64{"1.250,00": 1250, "12,5": 12.5, "€ 1.250": 1250, "300": 300, "1.250,00 €": 1250} {
		got, err := ParseDecimalComma(in)
		if err != nil || got != want {
			t.Errorf("%q: got %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"12.5", "1,2,3", "健保"} {
		if _, err := ParseDecimalComma(in); !errors.Is(err, ErrNotAmount) {
			t.Errorf("%q: want ErrNotAmount, got %v", in, err)
		}
	}
}

func TestBucket(t *testing.T) {
	edges := []float64{500, 1000, 5000}
	for _, c := range []struct{ v, want float64 }{
		{0, 0}, {499.99, 0}, {500, 500}, {999, 500}, {1000, 1000}, {4999, 1000}, {5000, 5000}, {1e9, 5000},
	} {
		if got := Bucket(c.v, edges); got != c.want {
			t.Errorf("Bucket(%v) = %v, want %v", c.v, got, c.want)
		}
	}
}

// FuzzDigitsIsParseSlow: where the digits fast path answers, it answers
// what the full parse does, in both decimal conventions — and it answers
// for every cell of 1 to 15 ASCII digits.
func FuzzDigitsIsParseSlow(f *testing.F) {
	for _, s := range []string{"0", "7", "007", "89196", "999999999999999", "1000000000000000", "9007199254740993", "12,800", "1.5", "", " 5", "5 ", "１５", "-1", "+1", "1e5", "NT$1500",
		"=\"1500\"", "\ufeff1500", "1500\r", "1,500.00", "１,５００", "$1,500", "1 500", "1.500,00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, ok := digits(s)
		allDigits := len(s) >= 1 && len(s) <= 15 && strings.Trim(s, "0123456789") == ""
		if ok != allDigits {
			t.Fatalf("%q: fast path %v, all digits %v", s, ok, allDigits)
		}
		if !ok {
			return
		}
		for _, comma := range []bool{false, true} {
			w, err := parseSlow(s, comma)
			if err != nil || w != v {
				t.Fatalf("%q (decimal comma %v): fast %v, parse %v %v", s, comma, v, w, err)
			}
		}
	})
}

// TestParseInRefusesAnotherCurrency: a cell that names a currency other
// than the row's is unreadable for it, never read as the row's (a
// review: "USD 120" in a TWD clinic was sent as 120 TWD); its own, and
// the signs every dollar and yuan writes, read as before.
func TestParseInRefusesAnotherCurrency(t *testing.T) {
	for _, c := range []struct {
		cell, cur string
		want      float64
	}{
		{"NT$1,500", "TWD", 1500}, {"$8,000", "TWD", 8000}, {"TWD 1,200", "twd", 1200}, {"1200 NTD", "TWD", 1200},
		{"12800元", "TWD", 12800}, {"12800元", "CNY", 12800}, {"人民币1000元", "CNY", 1000}, {"￥1,880.00", "CNY", 1880},
		{"¥1880", "JPY", 1880}, {"USD 120", "USD", 120}, {"US$120", "usd", 120}, {"$120", "USD", 120},
		{"HK$120", "HKD", 120}, {"€ 12.50", "EUR", 12.5}, {"1500", "TWD", 1500}, {"USD 120", "", 120},
		// The other dollars' marks (CLDR's symbols and English short forms).
		{"S$120", "SGD", 120}, {"A$120", "AUD", 120}, {"AU$120", "AUD", 120}, {"C$120", "CAD", 120}, {"CA$120", "CAD", 120},
		{"NZ$120", "NZD", 120}, {"SGD 120", "SGD", 120}, {"120 NZD", "NZD", 120},
	} {
		if got, err := ParseIn(c.cell, c.cur, false); err != nil || got != c.want {
			t.Errorf("ParseIn(%q, %q) = %v, %v; want %v", c.cell, c.cur, got, err, c.want)
		}
	}
	for _, c := range []struct{ cell, cur string }{
		{"USD 120", "TWD"}, {"US$120", "TWD"}, {"HK$120", "TWD"}, {"120 USD", "TWD"}, {"120 HKD", "TWD"},
		{"€120", "TWD"}, {"CNY 120", "TWD"}, {"人民币120元", "TWD"}, {"¥120", "TWD"}, {"£120", "TWD"},
		{"NT$120", "USD"}, {"TWD 120", "CNY"}, {"S$120", "TWD"}, {"A$120", "USD"}, {"C$120", "TWD"}, {"NZ$120", "AUD"}, {"AUD 120", "TWD"},
	} {
		if _, err := ParseIn(c.cell, c.cur, false); !errors.Is(err, ErrOtherCurrency) || !errors.Is(err, ErrNotAmount) {
			t.Errorf("ParseIn(%q, %q): %v, want ErrOtherCurrency", c.cell, c.cur, err)
		}
	}
	if v, err := ParseIn("1.250,00 €", "EUR", true); err != nil || v != 1250 {
		t.Errorf("a decimal comma in euros: %v, %v", v, err)
	}
	if _, err := ParseIn("USD 120 EUR", "", false); !errors.Is(err, ErrNotAmount) {
		t.Errorf("two currencies in one cell: %v", err)
	}
}

// TestBareDollarAndYuanAreTheirCurrencies: "$100" in a EUR, GBP, CNY or
// JPY clinic, and "100元" in a EUR or USD one, were read as 100 of the
// clinic's own currency (the bare signs allowed any); they are amounts
// of the currencies that write them, and "HKD $100" is HKD's alone.
func TestBareDollarAndYuanAreTheirCurrencies(t *testing.T) {
	for _, c := range []struct{ cell, cur string }{
		{"$100", "USD"}, {"$100", "TWD"}, {"$100", "AUD"}, {"$100", "HKD"}, {"$100", "CAD"}, {"$ 100", "SGD"},
		{"100元", "TWD"}, {"100元", "CNY"}, {"100圓", "TWD"}, {"100元", "HKD"}, {"HKD $100", "HKD"}, {"TWD 100元", "TWD"},
	} {
		if v, err := ParseIn(c.cell, c.cur, false); err != nil || v != 100 {
			t.Errorf("ParseIn(%q, %q) = %v, %v; want 100", c.cell, c.cur, v, err)
		}
	}
	for _, c := range []struct{ cell, cur string }{
		{"$100", "EUR"}, {"$100", "GBP"}, {"$100", "CNY"}, {"$100", "JPY"}, {"100元", "EUR"}, {"100元", "USD"},
		{"HKD $100", "TWD"}, {"USD 100元", "USD"},
	} {
		if _, err := ParseIn(c.cell, c.cur, false); !errors.Is(err, ErrNotAmount) {
			t.Errorf("ParseIn(%q, %q): %v, want refused", c.cell, c.cur, err)
		}
	}
}

// TestDecimalCommaRefusesEnglishCells: under a decimal comma, "1,234.56"
// was read as 1.23456 and "1,234" as 1.234 — an English cell's fee sent
// a thousandth of itself. Both are refused (the second mirrors "123.456"
// without a decimal comma); what a decimal-comma locale writes still reads.
func TestDecimalCommaRefusesEnglishCells(t *testing.T) {
	for in, want := range map[string]float64{"1.234,56": 1234.56, "12,5": 12.5, "1,23": 1.23, "0,125": 0.125,
		"1.234.567,89": 1234567.89, "1.234": 1234, "EUR 1.234,50": 1234.5} {
		if got, err := ParseIn(in, "EUR", true); err != nil || got != want {
			t.Errorf("%q: %v, %v; want %v", in, got, err, want)
		}
	}
	// "0.500" and ".500" group no thousands (nobody groups a zero): an
	// English half, read as 500.
	for _, in := range []string{"1,234.56", "1,234", "12,345", "1,234.5", "2,500.00 €", "1,2,3", "0.500", ".500", "00.500"} {
		if v, err := ParseIn(in, "EUR", true); !errors.Is(err, ErrNotAmount) {
			t.Errorf("%q read as %v with a decimal comma (%v)", in, v, err)
		}
	}
}

// TestDecimalCommaShape: a decimal-comma locale's amount, as
// input.decimal_comma off refuses it, and what is not one.
func TestDecimalCommaShape(t *testing.T) {
	for s, want := range map[string]bool{
		"1.200,00": true, "12.345.678,5": true, "NT$1.200,00": true, "1.200,00 €": true,
		"1,200.00": false, "1200,00": false, "1.200": false, "1.20,00": false, "1.200,000": false, "1.2000,00": false, ",00": false, "": false,
	} {
		if got := DecimalCommaShape(s); got != want {
			t.Errorf("DecimalCommaShape(%q) = %v, want %v", s, got, want)
		}
	}
}
