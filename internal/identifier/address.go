package identifier

import (
	"strings"

	"golang.org/x/text/language"
)

// normalizePostalCode: Google takes the trimmed code unhashed ("1229-076"
// keeps its dash). Meta hashes it lower-cased without spaces and cut at the
// first dash, as every Meta SDK does ("94105-1234" → "94105",
// "NR9 5AL" → "nr95al").
func normalizePostalCode(p Platform, raw string) (string, error) {
	s := foldKey(raw)
	if p == Meta {
		if i := strings.IndexByte(s, '-'); i >= 0 {
			s = s[:i]
		}
		s = withoutSpace(lower(s))
	}
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	return s, nil
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
