package identifier

import (
	"errors"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/nyaruka/phonenumbers"
)

// normalizePhone returns E.164: "+<cc><number>" for Google, the same digits
// without "+" for Meta. The steps (docs/research/normalisation.md §4):
//
//   - An extension is cut: libphonenumber cuts "ext", "x" and "#"; the
//     Chinese markers 轉/转, 分機/分机 and 內線/内线 are cut here
//     (cutCJKExtension), so "(02)2345-6789 分機 123" is Taipei's number.
//   - "+…" is international; zeros straight after the "+" are dropped, as
//     Meta's own vector "+001 (616) 954-78 88" requires.
//   - "00…" with a region is first read as libphonenumber dials it from
//     that region (iddNumber): Taiwan's international prefixes are 002,
//     005–007, 009 and 019, so "002-1-212-555-0100" is +1 212…, not
//     Morocco's +212; Hong Kong's are 001, 002, 00x. Only when that gives
//     no valid number is "00" read as "+" (a TW patient's "00886 912…",
//     a mainland or British "00 44…"): libphonenumber alone would read
//     "00886…" with region TW as a national number, and with US as +100886….
//   - Otherwise, with a default region, libphonenumber reads the national
//     form (trunk 0, "(0)", a dial-out prefix such as US 011). A national
//     reading that is no possible number gives way to the digits read with
//     "+" in front when those make a valid number: Google's own vector
//     "441134960987" → "+441134960987" (its Java, Python and Node utils
//     assume bare digits carry their country code) under region US too.
//     Not a "+1" reading under a region outside North America: a mainland
//     mobile "13017018875" under TW is refused, not Maryland's number.
//     A possible national number keeps winning, valid or not: a mainland
//     "154 1234 5678" (no valid Chinese number today, but the length of
//     one) is not taken for Oregon's +1 541 234 5678.
//   - Otherwise (no region) the number is read as international only when
//     its digits make a valid number once "+" is put in front: Google's
//     own vector "441134960987" → "+441134960987" (googleads
//     data-manager-python tests/formatter_test.py; the utilities assume
//     bare digits carry their country code). A national shape — a leading
//     trunk "0" ("0912-345-678"), an area code in brackets
//     ("(02) 2345-6789") — or digits that make no valid number
//     ("912345678" would be an Indian +91 number of the wrong length) are
//     refused with ReasonRegionNeeded: guessing would hash a different
//     person's number, silently. Setting region reads them. (Google's
//     format_phone_number in format.py keeps the digits and prepends "+",
//     so it would send "+0912345678", which is no number at all.)
//
// The number must be possible, not valid (plausible): validity data lags
// real allocations and rejects Ofcom's drama ranges that the vectors use.
// Possible means of a full number's length — a number only dialable
// locally ("555-0100" in the US, "1234 5678" in mainland China, which lack
// the area code) is refused — and a leading zero where the country's
// numbers have none ("0912-345-678" read with region US) is refused unless
// the number is valid (Italy's numbers keep theirs).
func normalizePhone(p Platform, raw, region string) (string, error) {
	var buf [e164Max]byte
	view, err := phoneE164(&buf, raw, region)
	if err != nil {
		return "", err
	}
	// A copy: view may be of buf. A variable of its own, as escape
	// analysis does not tell one assignment of a variable from another:
	// reassigned, the returned copy made buf escape too, an allocation a
	// phone number besides the copy's (at -pgo=off as with any profile).
	e164 := strings.Clone(view)
	if p == Meta {
		return e164[1:], nil
	}
	return e164, nil
}

// e164Max bounds what fastE164Into writes: "+886" and up to 16 digits.
const e164Max = 24

// phoneE164 is the E.164 form of a phone cell ("+" and digits), both
// platforms' forms derive from: the fast path's spelled into buf (the
// result is then a view of it: PrepareEach hashes it at once, without a
// string per number, issue 29), libphonenumber's otherwise.
func phoneE164(buf *[e164Max]byte, raw, region string) (string, error) {
	s := foldKey(raw)
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	// A Taiwanese ID (A123456789) mapped as the phone: libphonenumber
	// skips the letter and reads 123456789 as a possible number, so a
	// hash of the ID would be sent as the patient's phone.
	if len(s) == 10 && (s[0]|0x20) >= 'a' && (s[0]|0x20) <= 'z' && NationalID(s) {
		return "", reject(ReasonNotPossible)
	}
	if n, ok := fastE164Into(buf, s, region); ok {
		return unsafe.String(&buf[0], n), nil
	}
	return slowE164(s, region)
}

// slowE164 is the libphonenumber path of normalizePhone: the E.164 form of
// the folded, non-empty cell s, or a rejection with its reason. Every answer
// of fastE164 must equal this one; TestFastPhoneMatchesLibphonenumber and
// FuzzFastPhone compare the two, so the fast path is checked against the
// code that runs, not a copy of it.
func slowE164(s, region string) (string, error) {
	if excelScientific(s) {
		return "", reject(ReasonPrecisionLost)
	}
	s = cutCJKExtension(s)
	var num *phonenumbers.PhoneNumber
	var err error
	switch {
	case strings.HasPrefix(s, "+"):
		num, err = phonenumbers.Parse("+"+strings.TrimLeft(s[1:], "0"), "ZZ")
	case strings.HasPrefix(s, "00"):
		num, err = iddNumber(s, region)
	case region != "":
		num, err = phonenumbers.ParseAndKeepRawInput(s, region)
		if err != nil || !plausible(num) {
			if intl := internationalReading(s, region); intl != nil {
				num, err = intl, nil
				break
			}
		}
		if err == nil && lostTrunkZero(s, num, region) {
			return "", reject(ReasonLeadingZeroLost)
		}
	default:
		d := digitsOf(s)
		if d == "" {
			return "", reject(ReasonNoDigits)
		}
		if nationalShape(s, d) {
			return "", reject(ReasonRegionNeeded)
		}
		num, err = phonenumbers.Parse("+"+d, "ZZ")
		// Valid, not merely possible: without a region, "possible" lets
		// almost any national number through as some country's number.
		if err != nil || !phonenumbers.IsValidNumber(num) {
			return "", reject(ReasonRegionNeeded)
		}
	}
	if err != nil {
		if digitsOf(s) == "" {
			return "", reject(ReasonNoDigits)
		}
		if errors.Is(err, phonenumbers.ErrInvalidCountryCode) {
			return "", reject(ReasonNoCountryCode)
		}
		return "", reject(ReasonNotPossible)
	}
	if !plausible(num) {
		return "", reject(ReasonNotPossible)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if !stableE164(e164) {
		return "", reject(ReasonNotPossible)
	}
	return e164, nil
}

// plausible: num is a whole number that can be dialled from abroad. nyaruka's
// IsPossibleNumber also says yes to IS_POSSIBLE_LOCAL_ONLY — a subscriber
// number without its area code, "555-0100" in the US — which is nobody's
// number once a country code is put in front (the length rule below
// refuses them too: no country's local-only length is one of its mobile
// lengths). Two more shapes are refused unless the number is valid:
//
//   - a leading zero libphonenumber could not read as a trunk prefix
//     ("0912-345-678" or "(000) 555-0100" with region US give
//     +10912345678, +10005550100): only a country like Italy, whose
//     numbers start with 0, validly has one;
//   - a length no mobile number of the country has: "1234 5678" with
//     region CN is a Shanghai landline without its area code, which
//     libphonenumber calls possible because some Chinese numbers are 8
//     digits long, but no valid one starts so.
//
// Validity is not asked of the rest: the ranges it lags behind (new
// allocations, Ofcom's drama range "07700 900123" the vectors use) are
// mobile ones, of a mobile's length.
func plausible(num *phonenumbers.PhoneNumber) bool {
	if phonenumbers.IsPossibleNumberWithReason(num) != phonenumbers.IS_POSSIBLE {
		return false
	}
	if phonenumbers.IsValidNumber(num) {
		return true
	}
	if num.GetItalianLeadingZero() {
		return false
	}
	n := int32(len(phonenumbers.GetNationalSignificantNumber(num)))
	return slices.Contains(mobileLengths()[num.GetCountryCode()], n)
}

// mobileLengths maps a country calling code to the lengths of the national
// significant numbers its mobiles have (in any of the regions sharing the
// code), from libphonenumber's metadata, read once.
var mobileLengths = sync.OnceValue(func() map[int32][]int32 {
	m := map[int32][]int32{}
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return m // no lengths: only valid numbers pass
	}
	for _, md := range coll.GetMetadata() {
		lengths := md.GetMobile().GetPossibleLength()
		if len(lengths) == 0 { // the general description's, as libphonenumber reads an empty list
			lengths = md.GetGeneralDesc().GetPossibleLength()
		}
		for _, l := range lengths {
			if l > 0 && !slices.Contains(m[md.GetCountryCode()], l) {
				m[md.GetCountryCode()] = append(m[md.GetCountryCode()], l)
			}
		}
	}
	return m
})

// iddNumber reads s, which starts "00", with region (possibly empty). From
// a region whose international prefix is not plain 00, libphonenumber reads
// the prefix as dialled there: from Taiwan "009 1 650 555 1234" is
// +1 650 555 1234, where "00 means +" would give India's +91 650 555 1234,
// a valid number too, so the region's reading is asked first and taken when
// valid. Otherwise "00" means "+" (any zeros after it dropped, as after a
// "+"), which is how Europe and mainland China dial and how a TW patient
// writes "00886 912…"; if that is no plausible number either, a plausible
// reading through the region's prefix is still taken ("002 44 7700 900123",
// a British drama-range mobile, from Taiwan).
func iddNumber(s, region string) (*phonenumbers.PhoneNumber, error) {
	var viaRegion *phonenumbers.PhoneNumber
	if region != "" {
		n, err := phonenumbers.ParseAndKeepRawInput(s, region)
		if err == nil && n.GetCountryCodeSource() == phonenumbers.PhoneNumber_FROM_NUMBER_WITH_IDD {
			if phonenumbers.IsValidNumber(n) {
				return n, nil
			}
			viaRegion = n
		}
	}
	num, err := phonenumbers.Parse("+"+strings.TrimLeft(s, "0"), "ZZ")
	if (err != nil || !plausible(num)) && viaRegion != nil && plausible(viaRegion) {
		return viaRegion, nil
	}
	return num, err
}

// internationalReading is the number s's digits make with "+" in front,
// when that is a valid number and s is not written the national way; nil
// otherwise. slowE164 takes it when the reading under the clinic's region
// is no possible number: "441134960987" under US (twelve digits, too long
// for a US number) is Leeds's +44 113 496 0987, as Google's utilities
// read it.
//
// A North American reading is taken only under a North American region.
// Its country code is the single digit 1, which many countries' national
// numbers start with: every mainland Chinese mobile is 1[3-9] and nine
// digits, and under TW, HK, MO or SG, 888 of 2,000 of them written without
// +86 ("13017018875") were valid US or Canadian numbers (+1 301 701 8875,
// Maryland): a stranger's hash sent. Such a cell is more plausibly a
// neighbour's national number than an American one, and it is refused as
// not_possible_number rather than given +86 either: the platforms'
// utilities add no country code to bare digits. As 1 is the only country
// code starting with 1, this refuses every mainland mobile under a region
// outside North America.
func internationalReading(s, region string) *phonenumbers.PhoneNumber {
	d := digitsOf(s)
	if d == "" || nationalShape(s, d) {
		return nil
	}
	num, err := phonenumbers.Parse("+"+d, "ZZ")
	if err != nil || !phonenumbers.IsValidNumber(num) || !plausible(num) {
		return nil
	}
	if num.GetCountryCode() == 1 && phonenumbers.GetCountryCodeForRegion(region) != 1 {
		return nil
	}
	return num
}

// cjkExtensionMarkers introduce an extension in Chinese: 轉/转 ("transfer
// to"), 分機/分机 ("extension"), 內線/内线 ("inside line"). libphonenumber
// knows only Latin markers ("ext", "x", "#") and refuses the cell whole.
var cjkExtensionMarkers = []string{"轉", "转", "分機", "分机", "內線", "内线"}

// cutCJKExtension cuts s at the first Chinese extension marker, as
// libphonenumber cuts at "ext": "02-2345-6789 轉123" is 02-2345-6789.
func cutCJKExtension(s string) string {
	if isASCII(s) {
		return s
	}
	cut := len(s)
	for _, m := range cjkExtensionMarkers {
		if i := strings.Index(s, m); i >= 0 && i < cut {
			cut = i
		}
	}
	return s[:cut]
}

// nationalShape reports whether s (with digits d) is written the national
// way: with a trunk "0" first, or with its first digits — the area code —
// in brackets. Such a number needs the clinic's region to be read.
func nationalShape(s, d string) bool {
	if d[0] == '0' {
		return true
	}
	first := strings.IndexFunc(s, func(r rune) bool { return '0' <= r && r <= '9' })
	return strings.Contains(s[:first], "(")
}

// lostTrunkZero spots a national number that lost its leading 0 — Excel
// stores 0912345678 as the number 912345678 — in a region whose national
// numbers all start with a trunk 0. The 0 is restored (libphonenumber reads
// the digits as the national number) only when the result is a valid
// mobile: 9 digits starting 9 in Taiwan are a mobile and nothing else,
// whereas 223456789 could be Taipei's (02) 2345-6789 or a local number with
// its area code lost, so it is refused rather than guessed. Numbers that
// carried their country code ("886912…") are not affected.
func lostTrunkZero(s string, num *phonenumbers.PhoneNumber, region string) bool {
	if phonenumbers.GetNddPrefixForRegion(region, true) != "0" {
		return false
	}
	if num.GetCountryCodeSource() != phonenumbers.PhoneNumber_FROM_DEFAULT_COUNTRY {
		return false
	}
	if d := digitsOf(s); d == "" || d[0] == '0' {
		return false
	}
	// Only where the number is written nationally with the 0 can it have
	// lost it: mainland mobiles (139…) never carry one.
	if !strings.HasPrefix(phonenumbers.Format(num, phonenumbers.NATIONAL), "0") {
		return false
	}
	return phonenumbers.GetNumberType(num) != phonenumbers.MOBILE
}

// stableE164: the number reads back as itself. libphonenumber strips a
// national prefix from what it takes to be the national number, so a
// degenerate input such as "4900000000" (no region) gives +490000000,
// which reads back as +49000000: a value that is no fixed point is no real
// number, and hashing it would give a different hash on every pass
// (found by FuzzPrepare).
func stableE164(e164 string) bool {
	again, err := phonenumbers.Parse(e164, "ZZ")
	return err == nil && phonenumbers.Format(again, phonenumbers.E164) == e164
}

func digitsOf(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if '0' <= s[i] && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// excelScientific spots a number Excel rewrote as "9.12346E+08": the digits
// past the mantissa are gone and no rule can bring them back.
func excelScientific(s string) bool {
	e := strings.IndexAny(s, "eE")
	if e <= 0 || e+1 >= len(s) {
		return false
	}
	mant, exp := s[:e], strings.TrimPrefix(s[e+1:], "+")
	if exp == "" || digitsOf(exp) != exp {
		return false
	}
	dot := strings.IndexByte(mant, '.')
	if dot < 0 {
		return digitsOf(mant) == mant
	}
	return digitsOf(mant[:dot]) == mant[:dot] && digitsOf(mant[dot+1:]) == mant[dot+1:]
}

// fastE164 returns the E.164 form of the shapes clinics' exports are full
// of — Taiwanese and mainland mobiles, North American numbers, and the
// same with +886, +86 or +1 — without libphonenumber, whose Parse costs
// about 3.5 µs (its extension regexp backtracks) and was half of a dry-run's
// time. ok is false for anything else, which goes to libphonenumber.
//
// It must return exactly what libphonenumber would: TestFastPhoneMatches-
// Libphonenumber compares the two over generated numbers for every region
// the presets use, and FuzzFastPhone keeps looking. Keep the shapes strict:
// a shape added here needs its generator there.
func fastE164(s, region string) (string, bool) {
	var buf [e164Max]byte
	n, ok := fastE164Into(&buf, s, region)
	return string(buf[:n]), ok
}

// fastE164Into is fastE164 writing its answer into buf, whose first n
// bytes it is; the tests of fastE164 are its tests.
func fastE164Into(buf *[e164Max]byte, s, region string) (n int, ok bool) {
	if len(s) > 40 { // libphonenumber refuses very long input; leave odd cells to it
		return 0, false
	}
	var d [16]byte
	nd, plus, open := 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case '0' <= c && c <= '9':
			if nd == len(d) {
				return 0, false
			}
			d[nd] = c
			nd++
		case c == '+' && i == 0:
			plus = true
		case c == '(' && !open:
			open = true
		case c == ')' && open:
			open = false
		case c == ' ' || c == '-' || c == '.':
		default: // letters, extensions, unbalanced or nested brackets: libphonenumber decides
			return 0, false
		}
	}
	if open {
		return 0, false
	}
	ds := d[:nd]
	spell := func(cc string, digits []byte) (int, bool) {
		n = copy(buf[:], "+")
		n += copy(buf[n:], cc)
		n += copy(buf[n:], digits)
		return n, true
	}
	if plus {
		switch {
		case nd == 11 && ds[0] == '1' && nanp(ds[1:]):
		case nd == 12 && string(ds[:4]) == "8869":
		case nd == 13 && string(ds[:2]) == "86" && cnMobile(ds[2:]):
		default:
			return 0, false
		}
		return spell("", ds)
	}
	switch region {
	case "TW":
		switch {
		case nd == 10 && ds[0] == '0' && ds[1] == '9':
			return spell("886", ds[1:])
		case nd == 9 && ds[0] == '9' && ds[1] != '9': // a mobile that lost its 0; 099… is no mobile
			return spell("886", ds)
		}
	case "CN":
		if nd == 11 && cnMobile(ds) {
			return spell("86", ds)
		}
	case "US", "CA":
		if nd == 10 && nanp(ds) {
			return spell("1", ds)
		}
	}
	return 0, false
}

// cnMobile: eleven digits 1[3-9]…, except 179…: 179xx are carrier-selection
// (IP dialling) prefixes that libphonenumber strips from the number.
func cnMobile(d []byte) bool {
	return len(d) == 11 && d[0] == '1' && d[1] >= '3' && d[1] <= '9' && !(d[1] == '7' && d[2] == '9')
}

// nanp: ten digits whose area code and exchange start with 2–9, the
// numbers the North American plan can assign.
func nanp(d []byte) bool {
	return len(d) == 10 && d[0] >= '2' && d[0] <= '9' && d[3] >= '2' && d[3] <= '9'
}
