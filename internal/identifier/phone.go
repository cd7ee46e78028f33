package identifier

import (
	"errors"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// normalizePhone returns E.164: "+<cc><number>" for Google, the same digits
// without "+" for Meta. The steps (docs/normalisation.md §4):
//
//   - "+…" is international; zeros straight after the "+" are dropped, as
//     Meta's own vector "+001 (616) 954-78 88" requires.
//   - "00…" is read as "+…" here, not by libphonenumber: with region TW it
//     does not treat 00 as an international prefix, and with US it would
//     produce +100886….
//   - Otherwise, with a default region, libphonenumber reads the national
//     form (trunk 0, "(0)", extensions).
//   - Otherwise bare digits are taken to carry their country code, as the
//     platforms' own utilities assume.
//
// The number must be possible (length and country code), not valid:
// validity data lags real allocations and rejects Ofcom's drama ranges that
// the vectors use.
func normalizePhone(p Platform, raw, region string) (string, error) {
	s := foldKey(raw)
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	if excelScientific(s) {
		return "", reject(ReasonPrecisionLost)
	}
	var num *phonenumbers.PhoneNumber
	var err error
	switch {
	case strings.HasPrefix(s, "+"):
		num, err = phonenumbers.Parse("+"+strings.TrimLeft(s[1:], "0"), "ZZ")
	case strings.HasPrefix(s, "00"):
		num, err = phonenumbers.Parse("+"+strings.TrimLeft(s, "0"), "ZZ")
	case region != "":
		num, err = phonenumbers.Parse(s, region)
	default:
		d := strings.TrimLeft(digitsOf(s), "0")
		if d == "" {
			return "", reject(ReasonNoDigits)
		}
		num, err = phonenumbers.Parse("+"+d, "ZZ")
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
	if !phonenumbers.IsPossibleNumber(num) {
		return "", reject(ReasonNotPossible)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	if p == Meta {
		return e164[1:], nil
	}
	return e164, nil
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
