package identifier

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

// phoneCase is one phone cell read under a default region: the E.164 form
// wanted, or the rejection's reason.
type phoneCase struct {
	raw, region, want, reason string
}

func checkPhones(t *testing.T, cases []phoneCase) {
	t.Helper()
	for _, c := range cases {
		got, err := Normalize(Google, Phone, c.raw, Options{Region: c.region})
		if c.reason != "" {
			var rej *Rejection
			if !errors.As(err, &rej) || rej.Reason != c.reason {
				t.Errorf("%q region %q: got %q, %v; want rejection %s", c.raw, c.region, got, err, c.reason)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%q region %q: got %q, %v; want %q", c.raw, c.region, got, err, c.want)
			continue
		}
		// libphonenumber's path answers alike, where the fast path takes
		// the cell ("154 1234 5678" under CN) and would hide it.
		if slow, err := slowE164(foldKey(c.raw), c.region); err != nil || slow != c.want {
			t.Errorf("%q region %q: libphonenumber's path %q, %v; want %q", c.raw, c.region, slow, err, c.want)
		}
		// Meta gets the same digits without the "+".
		if m, err := Normalize(Meta, Phone, c.raw, Options{Region: c.region}); err != nil || "+"+m != c.want {
			t.Errorf("%q region %q: meta %q, %v; want %q", c.raw, c.region, m, err, c.want[1:])
		}
	}
}

// dialOutCases are numbers written with the international prefix of the
// clinic's own country. Taiwan dials out with 002, 005–007, 009 or 019;
// Hong Kong with 001, 002 or 00x; the US with 011; Britain and mainland
// China with 00. libphonenumber's metadata has each pattern (TW:
// 0(?:0[25-79]|19)).
var dialOutCases = []phoneCase{
	{"002-1-212-555-0100", "TW", "+12125550100", ""},     // not Morocco's +212
	{"009 1 650 555 1234", "TW", "+16505551234", ""},     // not India's +91 650…, a valid number too
	{"002-61-2-9374-4000", "TW", "+61293744000", ""},     // not Madagascar's +261
	{"019 1 650 555 1234", "TW", "+16505551234", ""},     // libphonenumber read it before too
	{"00886 912 345 678", "TW", "+886912345678", ""},     // 008 is no TW prefix: "00" means "+"
	{"002 44 7700 900123", "TW", "+447700900123", ""},    // a drama-range mobile: possible, not valid
	{"001 1 212 555 0100", "HK", "+12125550100", ""},     // PCCW's 001
	{"002 1 212 555 0100", "HK", "+12125550100", ""},     //
	{"00 1 212 555 0100", "HK", "+12125550100", ""},      // 001 then 212 555 0100 is no number: "00" means "+"
	{"00 65 6123 4567", "HK", "+6561234567", ""},         // 006 then Chile's 56…, no number
	{"011 44 113 496 0987", "US", "+441134960987", ""},   //
	{"00 44 113 496 0987", "US", "+441134960987", ""},    // 00 is no US prefix: "00" means "+"
	{"00 1 212 555 0100", "GB", "+12125550100", ""},      //
	{"00 44 113 496 0987", "CN", "+441134960987", ""},    //
	{"0086 138 0013 8000", "CN", "+8613800138000", ""},   //
	{"00 1 212 555 0100", "", "+12125550100", ""},        // no region: "00" means "+"
	{"002-1-212-555-0100", "", "+212125550100", ""},      // no region: "00" means "+", as in Europe; region TW reads it
	{"00886 0912 345 678", "US", "+886912345678", ""},    // the trunk 0 after the code, as "+886 (0)912…"
	{"+1 212 555 0100", "TW", "+12125550100", ""},        //
	{"(02) 2345-6789 ext 12", "TW", "+886223456789", ""}, //
	{"002 1 555 0100", "TW", "", ReasonNoCountryCode},    // a local-only US number, and +21… is no country
}

// TestPhoneDialOutPrefixesOfTheRegion: from Taiwan, 002 and 009 are how
// one dials abroad, not the start of a country code (review of
// 2026-12-06: "002-1-212-555-0100" was hashed as Morocco's +212125550100).
func TestPhoneDialOutPrefixesOfTheRegion(t *testing.T) {
	checkPhones(t, dialOutCases)
	for _, c := range dialOutCases {
		if c.raw[0] != '0' {
			continue
		}
		if got, ok := fastE164(foldKey(c.raw), c.region); ok {
			t.Errorf("%q region %q: the fast path answered %q; dial-out prefixes are libphonenumber's", c.raw, c.region, got)
		}
	}
}

// notNumberCases are cells that are nobody's whole number: a subscriber
// number without its area code, a leading zero the country's numbers
// never have. The numbers beside them stay.
var notNumberCases = []phoneCase{
	{"555-0100", "US", "", ReasonNotPossible},        // IS_POSSIBLE_LOCAL_ONLY
	{"0912-345-678", "US", "", ReasonNotPossible},    // a Taiwanese mobile under the wrong region
	{"(000) 555-0100", "US", "", ReasonNotPossible},  //
	{"1234 5678", "CN", "", ReasonNotPossible},       // a landline without its area code
	{"+86 1234 5678", "", "", ReasonNotPossible},     //
	{"0012345678", "", "", ReasonNotPossible},        // +1 234 5678: local only
	{"+1 555 0100", "", "", ReasonNotPossible},       //
	{"07700 900123", "GB", "+447700900123", ""},      // Ofcom's drama range: possible, not valid, a mobile's length
	{"+44 7700 900123", "", "+447700900123", ""},     //
	{"(555) 123-4567", "US", "+15551234567", ""},     // possible at a mobile's length: validity is not asked
	{"021 1234 5678", "CN", "+862112345678", ""},     // the same landline with Shanghai's code
	{"+39 06 1234 5678", "", "+390612345678", ""},    // Italy's numbers keep their leading 0
	{"(800)555-0100", "US", "+18005550100", ""},      // Google's own example
	{"+001 (616) 954-78 88", "", "+16169547888", ""}, // Meta's own vector
	{"0912-345-678", "TW", "+886912345678", ""},      //
}

// TestPhoneLocalOnlyAndImpossibleNumbersAreRefused (review of 2026-12-06:
// "555-0100" under US was hashed as +15550100).
func TestPhoneLocalOnlyAndImpossibleNumbersAreRefused(t *testing.T) {
	checkPhones(t, notNumberCases)
}

// bareInternationalCases are digits that carry their country code without
// a "+", under a region whose national reading of them is no number.
var bareInternationalCases = []phoneCase{
	{"441134960987", "US", "+441134960987", ""},   // Google's Java/Python/Node utils' vector
	{"886912345678", "US", "+886912345678", ""},   //
	{"8613800138000", "US", "+8613800138000", ""}, //
	{"85291234567", "US", "+85291234567", ""},     //
	{"441134960987", "TW", "+441134960987", ""},   //
	{"441134960987", "", "+441134960987", ""},     //
	{"886912345678", "TW", "+886912345678", ""},   // libphonenumber reads its own country's code
	// Ambiguous: the national reading is a possible number, and keeps winning.
	{"3212345678", "US", "+13212345678", ""},           // not Belgium's +32 12 34 56 78
	{"154 1234 5678", "CN", "+8615412345678", ""},      // not Oregon's +1 541 234 5678
	{"6421234567", "US", "+16421234567", ""},           // not New Zealand's +64 21 234 567
	{"912345678", "TW", "+886912345678", ""},           // a mobile that lost its 0
	{"(441) 134 960 987", "US", "", ReasonNotPossible}, // written the national way: no "+" guessed
}

// TestPhoneBareInternationalDigitsUnderAnotherRegion: Google's own vector
// "441134960987" is +44 113 496 0987 whatever the clinic's region (review
// of 2026-12-06: refused under US as not_possible_number).
func TestPhoneBareInternationalDigitsUnderAnotherRegion(t *testing.T) {
	// The ambiguous cases are ambiguous: their "+" reading is a valid number.
	for _, s := range []string{"+3212345678", "+15412345678", "+6421234567"} {
		n, err := phonenumbers.Parse(s, "ZZ")
		if err != nil || !phonenumbers.IsValidNumber(n) {
			t.Fatalf("%s is no valid number: the case below tests nothing", s)
		}
	}
	checkPhones(t, bareInternationalCases)
}

// cjkExtensionCases: 轉/转, 分機/分机 and 內線/内线 introduce an extension
// as "ext" does.
var cjkExtensionCases = []phoneCase{
	{"02-2345-6789 轉123", "TW", "+886223456789", ""},
	{"(02)2345-6789 分機 123", "TW", "+886223456789", ""},
	{"02-2345-6789 分机123", "TW", "+886223456789", ""},
	{"010-8888-8888 转 8001", "CN", "+861088888888", ""},
	{"02-2345-6789內線12", "TW", "+886223456789", ""},
	{"010 8888 8888 内线 12", "CN", "+861088888888", ""},
	{"＋886 2 2345 6789 轉 5", "", "+886223456789", ""},
	{"02-2345-6789 #123", "TW", "+886223456789", ""},
	{"轉123", "TW", "", ReasonNoDigits},
}

// TestPhoneChineseExtensionMarkersAreCut (review of 2026-12-06: "(02)2345-6789
// 分機 123" was refused while "#123" was cut).
func TestPhoneChineseExtensionMarkersAreCut(t *testing.T) {
	checkPhones(t, cjkExtensionCases)
}

// TestPhoneMainlandMobilesUnderANeighbouringRegion (review of 2026-12-06):
// under TW, HK, MO or SG, 888 of 2,000 mainland mobiles written without
// +86 ("13017018875") were hashed as valid North American numbers
// (+1 301 701 8875, Maryland): a stranger's hash. The digits are no number
// of the region; they are refused, not given a country. Those that are a
// number of the region itself keep that reading: Singapore's toll-free
// numbers are 1800 and seven digits ("18006779317" is +65 1800 677 9317).
func TestPhoneMainlandMobilesUnderANeighbouringRegion(t *testing.T) {
	rng := rand.New(rand.NewPCG(2026, 1206)) // deterministic: the same sample every run
	for _, region := range []string{"TW", "HK", "MO", "SG"} {
		own := fmt.Sprintf("+%d", phonenumbers.GetCountryCodeForRegion(region))
		for range 500 {
			raw := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000))
			got, err := Normalize(Google, Phone, raw, Options{Region: region})
			if err == nil && strings.HasPrefix(got, own) {
				continue // a number of the region itself
			}
			var rej *Rejection
			if !errors.As(err, &rej) || rej.Reason != ReasonNotPossible {
				t.Errorf("%s region %s: got %q, %v; want rejection %s", raw, region, got, err, ReasonNotPossible)
			}
		}
	}
	checkPhones(t, []phoneCase{
		{"13017018875", "TW", "", ReasonNotPossible}, // the reviewer's: not Maryland's +1 301 701 8875
		{"13017018875", "US", "+13017018875", ""},    // under a NANP region it is Maryland's
		{"12125550100", "TW", "", ReasonNotPossible}, // no "+1" guessed outside North America
		{"12125550100", "CA", "+12125550100", ""},    //
		{"18006779317", "SG", "+6518006779317", ""},  // Singapore's own toll-free number
	})
}
