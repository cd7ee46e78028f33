package money

import (
	"errors"
	"testing"
)

// TestGroupingSeparators: amounts whose thousands are grouped by a space,
// a no-break space (U+00A0), a narrow no-break space (U+202F) or an
// apostrophe (1'200; 1’200, U+2019) — CLDR's group symbols for fr, de-CH
// and others, which spreadsheets in those locales write — were refused
// (value_not_a_number) and a re-saved export's every visit went without
// a value. They read when the grouping is well formed: groups of three
// after a first of one to three digits, one kind of separator, in either
// decimal convention. A grouping that is not ("1 20", "12 3456") is as
// likely two numbers or a typo, and stays unread; so does a plain space
// outside a decimal-comma export (grouping.go: "500 800").
func TestGroupingSeparators(t *testing.T) {
	for _, c := range []struct {
		in    string
		comma bool
		want  float64
	}{
		{"1\u00a0200", false, 1200}, {"1\u202f200", false, 1200}, {"1\u2007200", false, 1200},
		{"1'200", false, 1200}, {"1\u2019200", false, 1200}, {"12\u00a0345\u00a0678", false, 12345678},
		{"1\u202f234.50", false, 1234.5}, {"1'234.50", false, 1234.5}, {"1\u2019234.567", false, 1234.567},
		{"NT$1\u00a0200", false, 1200}, {"1\u00a0200 €", false, 1200}, {"$1'200", false, 1200}, {"1\u202f200\u00a0€", false, 1200},
		{"999\u00a0999", false, 999999}, {"100\u202f000", false, 100000},
		// A decimal-comma locale (fr: 1 234,56).
		{"1 234,56", true, 1234.56}, {"1\u202f234,5", true, 1234.5}, {"1\u00a0200", true, 1200}, {"12 345 678,90", true, 12345678.9},
		{"1 200,00 €", true, 1200},
	} {
		var got float64
		var err error
		if c.comma {
			got, err = ParseDecimalComma(c.in)
		} else {
			got, err = Parse(c.in)
		}
		if err != nil || got != c.want {
			t.Errorf("%q (decimal comma %v): %v, %v; want %v", c.in, c.comma, got, err, c.want)
		}
		if v, err := ParseIn(c.in, "", c.comma); err != nil || v != c.want {
			t.Errorf("ParseIn(%q, decimal comma %v): %v, %v; want %v", c.in, c.comma, v, err, c.want)
		}
	}
	for _, c := range []struct {
		in    string
		comma bool
	}{
		// A plain space in a dot-decimal export (Taiwan's, mainland
		// China's, English): as likely two fees typed in one cell as
		// one amount grouped (the day's diff review: "500 800" was sent
		// as 500,800).
		{"500 800", false}, {"NT$500 800", false}, {"12 000 500", false}, {"1 200", false}, {"1 234.50", false},
		// The grouping's own rules, with a separator that does group
		// (a no-break space): a first group of four digits, one led by
		// a zero.
		{"1234\u00a0567", false}, {"0\u00a0500", false}, {"1234'567", false}, {"0'500", false},
		{"1 20", false}, {"12 3456", false}, {"1 2000", false}, {"1234 567", false}, {"1  200", false}, {" 1 20 0", false},
		{"1 200'000", false}, {"1'200\u2019000", false}, {"0 500", false}, {"1 200,000", false}, {"1,200 000", false},
		{"1 234,56", false}, {"1 234.5 6", false}, {"1 234.", false}, {"'1200", false}, {"1200'", false}, {"1 200-", false},
		{"1'234.50", true}, {"1 234.56", true}, {"1 20,5", true}, {"1 234,5 6", true}, {"1.234 567", true},
	} {
		if v, err := ParseIn(c.in, "", c.comma); !errors.Is(err, ErrNotAmount) {
			t.Errorf("%q (decimal comma %v) read as %v (%v); want refused", c.in, c.comma, v, err)
		}
	}
}

// BenchmarkParse: the cells of a nightly export, most of them plain
// digits (the fast path), a few with a comma, a currency mark or a
// grouping space.
func BenchmarkParse(b *testing.B) {
	cells := []string{"1500", "800", "1200", "3000", "1,500", "NT$1,200", "2 400.00", "健保", "12800元", "1'200", "1500.00", ""}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, c := range cells {
			_, _ = Parse(c)
		}
	}
}

// TestAPlainSpaceAdvisesNoDecimalComma: "500 800" in a dot-decimal export
// reads under input.decimal_comma: true (where a plain space groups), but
// the setting is not its likelier fault — two fees typed in one cell are
// — so the stop must not tell a Taiwanese clinic to set it, which would
// misread its every "1.500". "1 200,50" does read only under the other
// setting: its comma says so.
func TestAPlainSpaceAdvisesNoDecimalComma(t *testing.T) {
	if ReadsWithOtherMark("500 800", "", false) || ReadsWithOtherMark("NT$ 500 800", "", false) {
		t.Error(`"500 800" in a dot-decimal export: advised input.decimal_comma: true`)
	}
	if !ReadsWithOtherMark("1 200,50", "", false) || !ReadsWithOtherMark("1.200,50", "", false) {
		t.Error(`"1 200,50" / "1.200,50" in a dot-decimal export: the decimal comma not advised`)
	}
}
