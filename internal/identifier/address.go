package identifier

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/celltext"
	"golang.org/x/text/language"
	"golang.org/x/text/unicode/norm"
)

// normalizePostalCode: Google takes the trimmed code unhashed ("1229-076"
// keeps its dash; docs/research/normalisation.md §2: "Trim only. A dash inside is
// kept"). Meta hashes it lower-cased with no white space and no dash, and
// only a US ZIP+4 is cut to its first 5 digits (Meta's customer-information
// parameters: "Use lowercase with no white space and no dash. Use only the
// first 5 digits for U.S. zip codes."): "94105-1234" → "94105",
// "NR9 5AL" → "nr95al", and a Japanese "106-0032" → "1060032".
//
// Meta's SDKs disagree with their doc here: facebook-python-business-sdk
// (facebook_business/adobjects/serverside/normalize.py, field "zp") and the
// PHP and Java SDKs keep the part before the first dash of every code, so
// "106-0032" would become "106", a code shared by a whole ward
// (docs/research/normalisation.md §5.9). The doc is followed.
//
// A one-character code exists nowhere (the shortest postal codes have two
// characters: no country's system uses one): such a cell is a stray mark and
// is refused for both platforms.
//
// A control character inside is refused, as in a name (nameBase): Google
// would be sent it in plain text, Meta its hash. A format character that
// removing a dash or a space leaves at an edge ("ab\u200b-") is trimmed,
// so the code normalises to itself.
func normalizePostalCode(p Platform, raw string) (string, error) {
	s := foldKey(raw)
	if hasControl(s) {
		return "", reject(ReasonControlCharacter)
	}
	if p == Meta {
		if isZIPPlus4(s) {
			s = s[:5]
		}
		s = celltext.Trim(dropRunes(lower(s), func(r rune) bool { return r == '-' || unicode.IsSpace(r) }, norm.NFKC))
	}
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	if utf8.RuneCountInString(s) < 2 {
		return "", reject(ReasonInvalidPostalCode)
	}
	return s, nil
}

// isZIPPlus4 reports whether s is a US ZIP+4 code, "ddddd-dddd".
func isZIPPlus4(s string) bool {
	if len(s) != 10 || s[5] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 5 && (s[i] < '0' || s[i] > '9') {
			return false
		}
	}
	return true
}

// normalizeCountry returns an ISO 3166-1 alpha-2 code: upper-case and sent
// plain for Google (which accepts nothing but two letters, so " usa " is
// rejected as Google's own tests require), lower-case and hashed for Meta,
// which also maps country names ("United States" → "us"). The code must be
// a region x/text knows, so "UU" is refused.
func normalizeCountry(p Platform, raw string) (string, error) {
	s := foldKey(raw)
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	if p == Meta {
		if code, ok := countryNames[lettersOnly(lower(s))]; ok {
			s = code
		}
	}
	if len(s) != 2 || !isASCIILetters(s) {
		return "", reject(ReasonInvalidCountry)
	}
	up := strings.ToUpper(s)
	if r, err := language.ParseRegion(up); err != nil || !r.IsCountry() {
		return "", reject(ReasonInvalidCountry)
	}
	if p == Google {
		return up, nil
	}
	return strings.ToLower(s), nil
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// countryNames maps names (reduced by lettersOnly) seen in clinic exports of
// the markets hashgate serves to ISO codes, for Meta's country field.
var countryNames = map[string]string{
	"unitedstates": "us", "unitedstatesofamerica": "us", "usa": "us", "us": "us", "美國": "us", "美国": "us",
	"unitedkingdom": "gb", "uk": "gb", "greatbritain": "gb", "英國": "gb", "英国": "gb",
	"taiwan": "tw", "台灣": "tw", "臺灣": "tw", "中華民國": "tw", "taiwanroc": "tw",
	"china": "cn", "中國": "cn", "中国": "cn", "中华人民共和国": "cn", "中華人民共和國": "cn",
	"hongkong": "hk", "香港": "hk", "macau": "mo", "macao": "mo", "澳門": "mo", "澳门": "mo",
	"japan": "jp", "日本": "jp", "korea": "kr", "southkorea": "kr", "韓國": "kr", "韩国": "kr",
	"singapore": "sg", "新加坡": "sg", "malaysia": "my", "馬來西亞": "my", "马来西亚": "my",
	"australia": "au", "澳洲": "au", "澳大利亚": "au", "newzealand": "nz", "canada": "ca", "加拿大": "ca",
	"germany": "de", "france": "fr", "ireland": "ie", "india": "in", "philippines": "ph",
	"thailand": "th", "vietnam": "vn", "indonesia": "id",
}
