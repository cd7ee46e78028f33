package plaintext

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// realClickIDs are click ids the platforms issued, from public pages
// (sources in the package comment). Every one must pass.
var realClickIDs = []string{
	// gclid
	"Cj0KCQiA_NC9BhCkARIsABSnSTYk6_HAEqRKnLOhG0XY2wa_6NQgzzGZ802QTnmoNxOuc2DrBi5s8DoaAqv-EALw_wcB",
	"Cj0KCQiA0--6BhCBARIsADYqyL9cEDzcMG1XZUsilfZUySjdIpoL6qHqs7yxl-kde66B9Cs3_s0EjlwaAjGkEALw_wcB",
	"Cj0KCQjw2ZfABhDBARIsAHFTxGz_agIuGAL-wwwaZPnvfzuuriu4R4DTv64Wi2Bz9ikCXMJKSeYdvh4aAvbREALw_wcB",
	"Cj0KCQjwsdiTBhD5ARIsAIpW8CKTiHq6RdyTH1L7sk3bbZY4LHdDOR-cK5chpzwSmiNeZF2zrwsLbCIaAkf4EALw_wcB",
	"EAIaIQobChMI18_1gPnL3wIVyiCtBh2SfwrAEAAYASAAEgLkEPD_BwE",
	"EAIaIQobChMI-JSMxeek7wIVyL2WCh3GOQrfEAQYBiABEgLtE_D_BwE",
	"EAIaIQobChMIkY_v0ZDU6AIVhYXVCh0sfA7XEAAYASAAEgIKfPD_BwE",
	// gbraid
	"0AAAAADcdDU8NxuHbP0cnjgnaxxW8mVMPq",
	"0AAAAAoUYs8dnyFUYKmISDSbU3aPMF3dAh",
	// wbraid
	"ClQKCQjwpP63BhCmARJDAGQpkKAP6uuBGtP6UqTN-oNNf0VdNLdd1wDEwWEMm8otOBAO8FfngFjgZ4rdRA42bQXYPjPq2q_bDK7W6NzGN6P89xoC1yQ",
	"ClQKCQjwhZDUBhDlARJDAGSy_m0og-B_-p9LQSe7APMx19ClqK--0WL-u90l2JHhBSp7_aut0WYyK2MNrhTcJbNGKAR-W--yzGTzn4m8UkIMBBoC3zU",
	"CloKCQiAjp-7BhDZARJJAJjLeK9BH72Ki3e-QhdVfhQFwhckobC5TjcyDdDPciISyF4wAsk2fFVBCxN8LVqvazrytiYHDG4U_7dNreu1ENrI7wJ-5yigaxoCG4g",
	// fbclid
	"IwAR2F4-dbP0l7Mn1IawQQGCINEz7PYXQvwjNwB_qa2ofrHyiLjcbCRxTDMgk",
	"IwAR3qvAPT-0lv5fLNnYAk4VEXzu7wxp1p5AtAcMk4f4JWiYYzxc_EoOA7Q7Q",
	"IwAR1DbhaVD4rLDxytcWyqwxmZF8V6V91cxhJ6gMeKLM5hU7Io6zvXx0cfu5k",
	"IwZXh0bgNhZW0CMTAAAR3hNDNaQH02JAOTkFE43Z5inVrwDfDqLzNOAQ2PdQccGx_MMv4ghi_RiKA_aem_ZmFrZWR1bW15MTZieXRlcw",
	"IwZXh0bgNhZW0CMTEAAR7C7DsPH9deV-IeoYa9TDtreN550mpZAMFwOSlvTO96BRuvZB26TIaJ97xohg_aem_9RbbDyhKIpI3Py8fixOV1g",
	"IwZXh0bgNhZW0CMTEAc3J0YwZhcHBfaWQPMjc1MjU0NjkyNTk4Mjc5AAEeCutHk8nqrOGcViFJyS4YaVdp5hDZ8tx1dIxeP1ZF510zA38rcl-lcIos1BU_aem_g3WAVnX4nQ0upiG0UQpQiA",
	"IwZXh0bgNhZW0BMABhZGlkAasaG_IGe-EBHS_FQJ4yVDHXOvy-paOhkZiE86FikOlX1jI0eHTT16xKoMKUez8klR87WA_aem_tcvZ6cJXe4YyrdUpMgwzBQ",
}

func TestRealClickIDs(t *testing.T) {
	for _, s := range realClickIDs {
		if p := ClickIDProblem(s); p != "" {
			t.Errorf("ClickIDProblem(%q) = %s", s, p)
		}
	}
}

// TestRandomClickIDsPass: ids of random URL-safe base64 of every length
// the grammar admits pass (almost) always: a grammar that refused real
// ids would lose conversions.
func TestRandomClickIDsPass(t *testing.T) {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	rng := rand.New(rand.NewPCG(1, 2))
	refused, n := 0, 0
	for length := 40; length <= MaxClickID; length += 8 {
		for range 500 {
			b := make([]byte, length)
			for i := range b {
				b[i] = alphabet[rng.IntN(64)]
			}
			n++
			if !ClickID(string(b)) {
				refused++
			}
		}
	}
	if refused*10000 > n { // 0.01%
		t.Errorf("%d of %d random ids refused", refused, n)
	}
}

func TestClickID(t *testing.T) {
	bad := map[string]string{
		// issue 22: text shaped from the alphabet passed before.
		"CANARY-NAME-4-chart-CANARYCHART0004-implant":         ReasonClickIDText,
		"A00001B00002C00003A00004B00005C00006":                ReasonClickIDText,
		"0912345678abcdefghijklmnopqrstuvwxyz":                ReasonClickIDText,
		"zqpatient12_example_com_zqpatient12_x":               ReasonClickIDText,
		strings.Repeat("aB3", 12) + strings.Repeat("a", 17):   ReasonClickIDText, // one long run
		"Cj0KCQzqvalidgclid1234":                              ReasonClickID,     // too short
		strings.Repeat("a", 40):                               ReasonClickIDText,
		"":                                                    ReasonClickID,
		"short":                                               ReasonClickID,
		"TeSt-gcl":                                            ReasonClickID,
		"Patient Mary Wang, implant, chart 13":                ReasonClickID,
		"=HYPERLINK(\"x\")":                                   ReasonClickID,
		"Cj0KCQ+slash/plus==aB3dE5fG7hI9jK1":                  ReasonClickID,
		"Cj0KCQ%3D%3Dencoded1aB2cD3eF":                        ReasonClickID,
		"ＣＪ０ＫＣＱｆｕｌｌｗｉｄｔｈ":                                     ReasonClickID,
		"王大明王大明王大明":                                           ReasonClickID,
		realClickIDs[0] + realClickIDs[10] + realClickIDs[11]: ReasonClickID, // too long
		realClickIDs[4] + "\n":                                ReasonClickID,
		realClickIDs[4] + "\x00":                              ReasonClickID,
	}
	for s, want := range bad {
		if got := ClickIDProblem(s); got != want {
			t.Errorf("ClickIDProblem(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestRowValuesInClickIDs: a click id holding the row's name, chart
// number, phone digits or e-mail local part is caught; one that holds none
// of them, or only short pieces, is not.
func TestRowValuesInClickIDs(t *testing.T) {
	var v RowValues
	v.Add("Mary", false)
	v.Add("Wang", false)
	v.Add("CH-0004213", false)
	v.Add("+886 912-345-678", false)
	v.Add("zq.patient+clinic@example.com", true)
	id := realClickIDs[0]
	for _, s := range []string{
		"Cj0KCQiA_wAnGbhCkARIsABSnSTYk6_HAEqRK", "Cj0KCQiA_maryBhCkARIsABSnSTYk6_HAEqRK", "Cj0KCQiA0004213BhCkARIsABSnSTY",
		"Cj0KCQiA912345678BhCkARIsABSnSTY", "Cj0KCQiA12345678BhCkARIsABSnSTY", "Cj0KCQiAPatientBhCkARIsABSnSTY", "Cj0KCQiAClinicBhCkARIsABSnSTY",
	} {
		if !v.In(s) {
			t.Errorf("In(%q) = false", s)
		}
	}
	for _, s := range []string{id, "Cj0KCQiA_maRBhCkARIsAB", "Cj0KCQiA_45678BhCkARIsAB", "Cj0KCQiA_examplecomBh"} {
		if v.In(s) {
			t.Errorf("In(%q) = true", s)
		}
	}
	v.Reset()
	if v.In("Cj0KCQiA_maryBhCkARIsABSnSTYk6_HAEqRK") {
		t.Error("Reset kept the tokens")
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
		// A country whose format hashgate does not know: nothing passes
		// (issue 22: CANARY-1 passed as "3–10 letters and digits").
		{"", "10617", false}, {"", "D02 X285", false}, {"KP", "12345", false}, {"XX", "12345", false}, {"ZA", "CANARY-1", false}, {"", "CANARY-1", false},
		// Formats from Google's address metadata beyond the 23 once written
		// by hand (postal_data.go).
		{"FI", "00100", true}, {"FI", "0010", false}, {"IE", "D02 X285", true}, {"IE", "CANARY-1", false},
		{"BR", "01310-100", true}, {"BR", "CANARY-1", false}, {"ZA", "0002", true}, {"AE", "12345", false},
		{"TW", "1061", false}, {"US", "97201 1234", true}, {"NL", "1012 SA", false},
		{"US", "CANARY-1", false}, {"GB", "CANARY 1", false},
		{"", "1", false}, {"", "12", false}, {"", "Taipei", false}, {"", "12345678901", false},
		{"", "12  34", false}, {"", "-1234", false}, {"", "1234-", false},
		{"", "=1+2", false}, {"", "@SUM(1)", false}, {"", "10617 王大明", false}, {"", "１０６１７", false},
	} {
		if got := PostalCode(c.country, c.code); got != c.ok {
			t.Errorf("PostalCode(%q, %q) = %v, want %v", c.country, c.code, got, c.ok)
		}
	}
}

// TestPostalCodeGoogleExamples: every example Google's address metadata
// gives for a country (zipex) passes that country's pattern, and a
// country's examples pass no country of another shape — the table is the
// data, not a reading of it.
func TestPostalCodeGoogleExamples(t *testing.T) {
	if len(googlePostal) < 180 {
		t.Fatalf("%d countries with a postal pattern; Google's metadata has 186", len(googlePostal))
	}
	for country, r := range googlePostal {
		if len(r.examples) == 0 {
			t.Errorf("%s: no example", country)
		}
		for _, e := range r.examples {
			if !PostalCode(country, e) || !PostalCode(country, strings.ToLower(e)) {
				t.Errorf("PostalCode(%s, %q) = false: Google's own example", country, e)
			}
			if googleNoPostal[country] {
				t.Errorf("%s both has a pattern and no postal codes", country)
			}
		}
	}
	for _, country := range []string{"HK", "MO", "AE", "AG"} {
		if !PostalFormatKnown(country) || !googleNoPostal[country] {
			t.Errorf("%s: want known, without postal codes", country)
		}
		if PostalCode(country, "999077") {
			t.Errorf("PostalCode(%s, 999077) = true for a country without postal codes", country)
		}
	}
	for _, country := range []string{"KP", "", "XX", "ZZ", "tw"} {
		if PostalFormatKnown(country) {
			t.Errorf("PostalFormatKnown(%q) = true", country)
		}
	}
}

// TestPostalCodeUnknownCountryCounted: a country without Google's
// pattern is counted postal_code_country_unknown, one with it but a code
// that fails postal_code_invalid.
func TestPostalCodeUnknownCountryCounted(t *testing.T) {
	for _, c := range []struct{ country, code, want string }{
		{"KP", "12345", ReasonPostalCountry}, {"", "12345", ReasonPostalCountry},
		{"FI", "00100", ""}, {"FI", "CANARY-1", ReasonPostalCode}, {"HK", "999077", ReasonPostalCode},
	} {
		if got := Identifier(identifier.PostalCode, c.country, c.code); got != c.want {
			t.Errorf("Identifier(postal, %q, %q) = %q, want %q", c.country, c.code, got, c.want)
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
		GCLID:    "Patient Mary Wang, implant, chart 13", GBRAID: "0AAAAADcdDU8NxuHbP0cnjgnaxxW8mVMPq", WBRAID: "=cmd|' /C calc'!A0",
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

// FuzzClickID: the grammar never panics, never admits a byte outside the
// URL-safe base64 alphabet or a length outside its bounds, and a value it
// admits is admitted by Check too (the sinks' assertion); RowValues never
// panics and always finds a row's own long token.
func FuzzClickID(f *testing.F) {
	for _, s := range realClickIDs {
		f.Add(s, "Mary Wang")
	}
	f.Add("CANARY-NAME-4-chart-CANARYCHART0004-implant", "CANARYCHART0004")
	f.Add("Cj0KCQiA_maryBhCkARIsABSnSTYk6_HAEqRK", "mary@example.com")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, s, cell string) {
		if ClickID(s) {
			if len(s) < MinClickID || len(s) > MaxClickID {
				t.Fatalf("%q admitted at length %d", s, len(s))
			}
			for i := 0; i < len(s); i++ {
				if class(s[i]) < 0 {
					t.Fatalf("%q admitted with byte %q", s, s[i])
				}
			}
			if _, ok := Check(&conversion.Conversion{GCLID: s}); !ok {
				t.Fatalf("%q admitted by ClickID, refused by Check", s)
			}
		}
		var v RowValues
		v.Add(cell, strings.Contains(cell, "@"))
		v.In(s)
		if tok := strings.ToLower(cell); len(tok) >= 4 && strings.Trim(tok, "abcdefghijklmnopqrstuvwxyz") == "" && !strings.Contains(cell, "@") {
			if !v.In("x" + cell + "y") {
				t.Fatalf("RowValues misses %q", cell)
			}
		}
	})
}

// TestCurrencyMemoIsCurrencyISO: Currency (its memo) answers as
// currencyISO (x/text's lookup) for every three upper-case letters — the
// whole domain where the memo can say yes —, asked once and again, and no
// for what is not three upper-case letters.
func TestCurrencyMemoIsCurrencyISO(t *testing.T) {
	for _, s := range []string{"TWD", "XXX", "QQQ"} { // answers remembered before the sweep
		Currency(s)
	}
	n := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			for c := 'A'; c <= 'Z'; c++ {
				s := string([]rune{a, b, c})
				first, again := Currency(s), Currency(s)
				if first != currencyISO(s) || again != first {
					t.Fatalf("%s: memo %v then %v, x/text %v", s, first, again, currencyISO(s))
				}
				if Currency(s) {
					n++
				}
			}
		}
	}
	if n < 150 || !Currency("TWD") || !Currency("USD") || Currency("XXX") || Currency("XAU") {
		t.Errorf("%d currencies; TWD %v USD %v XXX %v", n, Currency("TWD"), Currency("USD"), Currency("XXX"))
	}
	for _, s := range []string{"", "TW", "TWDX", "twd", "TW@", "TW[", "@WD", "T\x00D", "ＴＷＤ", "\xffWD"} {
		if Currency(s) || currencyISO(s) {
			t.Errorf("%q taken as a currency", s)
		}
	}
}
