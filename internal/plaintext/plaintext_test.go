package plaintext

import (
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

func TestClickID(t *testing.T) {
	good := []string{
		"Cj0KCQiA2eKtBhDcARIsAEGTG40tHaIE_vnA6R4-example_BwE",           // gclid shape
		"0AAAAADkHqxxdIa7v6KrX4hnKQdU2Q3Yy",                             // gbraid shape
		"IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk", // Meta's documented fbclid
		"TeSt-gcl", strings.Repeat("a", MaxClickID),
	}
	bad := []string{
		"", "short", "Patient Mary Wang, implant, chart 13", "=HYPERLINK(\"x\")", "abc def ghi",
		"Cj0KCQ+slash/plus==", "Cj0KCQ%3D%3Dencoded", "ＣＪ０ＫＣＱｆｕｌｌｗｉｄｔｈ", "王大明王大明王大明",
		strings.Repeat("a", MaxClickID+1), "abcdefgh\n", "abcdefgh\x00",
	}
	for _, s := range good {
		if !ClickID(s) {
			t.Errorf("ClickID(%q) = false", s)
		}
	}
	for _, s := range bad {
		if ClickID(s) {
			t.Errorf("ClickID(%q) = true", s)
		}
	}
}

func TestCountry(t *testing.T) {
	for _, s := range []string{"TW", "CN", "US", "GB", "HK", "JP", "XK"} {
		if !Country(s) {
			t.Errorf("Country(%q) = false", s)
		}
	}
	for _, s := range []string{"", "tw", "UK", "EU", "UN", "ZZ", "AA", "TWN", "T", "台灣", "=1"} {
		if Country(s) {
			t.Errorf("Country(%q) = true", s)
		}
	}
}

func TestCurrency(t *testing.T) {
	for _, s := range []string{"TWD", "USD", "CNY", "EUR", "JPY", "XOF"} {
		if !Currency(s) {
			t.Errorf("Currency(%q) = false", s)
		}
	}
	for _, s := range []string{"", "twd", "XXX", "XTS", "XAU", "ABC", "NT$", "=1+", "TWDX"} {
		if Currency(s) {
			t.Errorf("Currency(%q) = true", s)
		}
	}
}

func TestPostalCode(t *testing.T) {
	for _, c := range []struct {
		country, code string
		ok            bool
	}{
		{"TW", "106", true}, {"TW", "10617", true}, {"TW", "106017", true}, {"TW", "1061", false},
		{"US", "97201", true}, {"US", "97201-1234", true}, {"US", "9720", false},
		{"CN", "100000", true}, {"CN", "10000", false},
		{"JP", "106-0032", true}, {"JP", "1060032", true}, {"JP", "106", false},
		{"GB", "SW1A 1AA", true}, {"GB", "sw1a1aa", true}, {"GB", "SW1A", false},
		{"CA", "K1A 0B1", true}, {"NL", "1012 AB", true}, {"PT", "1229-076", true},
		{"HK", "999077", false}, // Hong Kong has no postal codes
		// Unknown country: the conservative shape.
		{"", "10617", true}, {"", "D02 X285", true}, {"", "AB-123", true}, {"FI", "00100", true},
		{"", "1", false}, {"", "12", false}, {"", "Taipei", false}, {"", "12345678901", false},
		{"", "12  34", false}, {"", "-1234", false}, {"", "1234-", false},
		{"", "=1+2", false}, {"", "@SUM(1)", false}, {"", "10617 王大明", false}, {"", "１０６１７", false},
	} {
		if got := PostalCode(c.country, c.code); got != c.ok {
			t.Errorf("PostalCode(%q, %q) = %v, want %v", c.country, c.code, got, c.ok)
		}
	}
}

func prepared(t *testing.T, f identifier.Field, raw string) identifier.Sent {
	t.Helper()
	s, err := identifier.Prepare(identifier.Google, f, raw, identifier.Options{})
	if err != nil {
		t.Fatalf("Prepare(%v, %q): %v", f, raw, err)
	}
	return s
}

// TestConversionDropsEveryPlainValueThatFails: the one check the pipeline
// runs before any sink sees a conversion.
func TestConversionDropsEveryPlainValueThatFails(t *testing.T) {
	email := prepared(t, identifier.Email, "a@example.com")
	c := conversion.Conversion{
		Platform: identifier.Google,
		GCLID:    "Patient Mary Wang, implant, chart 13", GBRAID: "0AAAAADkHqxxdIa7v6Kr", WBRAID: "=cmd|' /C calc'!A0",
		HasValue: true, Value: 5, Currency: "XXX",
		Identifiers: []identifier.Sent{email, prepared(t, identifier.PostalCode, "10617 王大明"), prepared(t, identifier.Country, "TW")},
	}
	if _, ok := Check(&c); ok {
		t.Fatal("Check passed a conversion with bad plain values")
	}
	var drops []string
	Conversion(&c, func(d Drop) { drops = append(drops, d.Field+" "+d.Reason) })
	want := []string{"gclid click_id_invalid", "wbraid click_id_invalid", "currency currency_invalid", "postal_code postal_code_invalid"}
	if strings.Join(drops, "|") != strings.Join(want, "|") {
		t.Errorf("drops = %q, want %q", drops, want)
	}
	if c.GCLID != "" || c.WBRAID != "" || c.GBRAID == "" || c.HasValue || c.Currency != "" {
		t.Errorf("after Conversion: %+v", c)
	}
	if len(c.Identifiers) != 2 || c.Identifiers[0] != email || c.Identifiers[1].Text() != "TW" {
		t.Errorf("identifiers = %v", c.Identifiers)
	}
	if f, ok := Check(&c); !ok {
		t.Errorf("Check after Conversion fails on %s", f)
	}
}

func TestPostalCodeFollowsTheRecordsCountry(t *testing.T) {
	mk := func(country, code string) *conversion.Conversion {
		return &conversion.Conversion{Platform: identifier.Google, Identifiers: []identifier.Sent{
			prepared(t, identifier.PostalCode, code), prepared(t, identifier.Country, country)}}
	}
	n := 0
	Conversion(mk("JP", "106-0032"), func(Drop) { n++ })
	Conversion(mk("US", "97201"), func(Drop) { n++ })
	if n != 0 {
		t.Errorf("%d valid postal codes dropped", n)
	}
	var d []Drop
	Conversion(mk("TW", "106-0032"), func(x Drop) { d = append(d, x) })
	if len(d) != 1 || d[0].Reason != ReasonPostalCode {
		t.Errorf("a Japanese shape in Taiwan: %v", d)
	}
}
