// Package money reads a fee cell into an amount.
package money

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ErrNotAmount is returned for a cell that holds no number ("健保", "N/A").
var ErrNotAmount = errors.New("not an amount")

// Parse reads amounts as clinics write them: "1500", "1,500.00",
// "NT$1,500", "$8,000", "￥1,880.00", "12800元", "1 200" and "1'200".
// Thousands separators are commas, or a space or an apostrophe grouping
// by three (grouping.go); a decimal comma ("1.250,00") and a lone dot before three
// digits ("1.500": a dot grouping thousands, or three decimals) are not
// read and return ErrNotAmount rather than a wrong number. Negative
// amounts are refused.
func Parse(s string) (float64, error) {
	return parse(s, false)
}

// ParseDecimalComma reads amounts written in European locales, where the
// export is semicolon-separated and "1.250,00" is one thousand two hundred
// and fifty: dots group thousands, the comma marks decimals.
func ParseDecimalComma(s string) (float64, error) {
	return parse(s, true)
}

func parse(s string, decimalComma bool) (float64, error) {
	if v, ok := digits(s); ok {
		return v, nil
	}
	return parseSlow(s, decimalComma)
}

// ErrOtherCurrency is returned by ParseIn for a cell that names a
// currency other than the row's ("USD 120" in a TWD clinic). It wraps
// ErrNotAmount: the value is unreadable for that row.
var ErrOtherCurrency = fmt.Errorf("%w: the cell names another currency", ErrNotAmount)

// ParseIn reads s as Parse (or, with decimalComma, ParseDecimalComma)
// does, for a row whose currency is currency (its ISO 4217 code, from the
// export's currency column or conversion.currency), and refuses with
// ErrOtherCurrency a cell whose prefix or suffix names another: Parse
// trims "USD", "US$", "HK$", "€" alike, so "USD 120" in a TWD clinic was
// sent as 120 TWD (a review, 2026-12-07). A mark any of several
// currencies write is checked against them all ("¥": CNY or JPY); the
// bare "$" and "元" are every dollar's and yuan's (Taiwan's exports write
// NT dollars as "$8,000": shared/docs/clinic-exports.md, row 23) and pass. With
// currency "" nothing is compared: the row has no currency to send in.
func ParseIn(s, currency string, decimalComma bool) (float64, error) {
	if v, ok := digits(s); ok {
		return v, nil
	}
	v, codes, err := parseNamed(s, decimalComma)
	if err != nil {
		return 0, err
	}
	if currency != "" && codes != nil && !slices.Contains(codes, strings.ToUpper(currency)) {
		return 0, ErrOtherCurrency
	}
	return v, nil
}

// Marks says what cell s writes of its currency, for a reader that must
// refuse more than ParseIn does or name what it refused: codes are the
// ISO 4217 codes its marks allow, as ParseIn compares them (nil when it
// names none, or only signs any currency writes), and dollar is whether
// it begins with the bare "$" (or "＄") that every dollar writes. A spend
// download says its currency in a column or its cost header, and its
// amounts carry no sign (platform.Spec's Spend formats): a "$" there came
// from a spreadsheet and cannot tell US$ from NT$ (internal/spend). A
// code is not personal data and may be named in a message; the amount is
// never returned.
func Marks(s string) (codes []string, dollar bool) {
	_, codes, _ = parseNamed(s, false)
	return codes, strings.HasPrefix(strings.TrimSpace(norm.NFKC.String(s)), "$")
}

// mark is a currency's code, name or sign as clinics write it before or
// after an amount, with the ISO 4217 codes it can stand for ("$": every
// dollar's; "元": every yuan's).
type mark struct {
	text  string
	codes []string
}

var (
	cny, twd, hkd, usd, eur = []string{"CNY"}, []string{"TWD"}, []string{"HKD"}, []string{"USD"}, []string{"EUR"}
	sgd, aud, cad, nzd      = []string{"SGD"}, []string{"AUD"}, []string{"CAD"}, []string{"NZD"}
	// dollars are the currencies whose own sign is a bare "$" (ISO 4217
	// names; CLDR's narrow symbols): "$100" is an amount of any of them,
	// never of a EUR, GBP, CNY or JPY clinic, where it was read as 100 of
	// the clinic's own currency.
	dollars = []string{"USD", "TWD", "HKD", "AUD", "CAD", "NZD", "SGD", "MXN", "ARS", "CLP", "COP", "UYU",
		"BND", "BSD", "BBD", "BZD", "BMD", "KYD", "XCD", "FJD", "JMD", "TTD", "GYD", "LRD", "NAD", "SBD", "SRD", "MOP"}
	// yuans are the currencies written with 元 or 圓 after the amount:
	// renminbi, the New Taiwan dollar (新臺幣…元), the Hong Kong dollar
	// (港元) and the pataca (澳門元).
	yuans = []string{"CNY", "TWD", "HKD", "MOP"}
	// prefixes are tried in this order, each trimmed once: "NT$" before
	// "$", the names before their codes. The dollars' own marks are
	// CLDR's symbols (root locale: US$, NT$, HK$, A$, CA$, NZ$; en_SG
	// writes SGD as "$", and S$ is its everyday mark) and the short forms
	// English writes (C$, AU$); CLDR gives "C$" to the córdoba too (NIO's
	// narrow symbol), so it allows both (icu4c data/curr/root.txt).
	prefixes = []mark{{"人民币", cny}, {"人民幣", cny}, {"CNY", cny}, {"TWD", twd}, {"NTD", twd}, {"HKD", hkd},
		{"USD", usd}, {"EUR", eur}, {"SGD", sgd}, {"AUD", aud}, {"CAD", cad}, {"NZD", nzd},
		{"NT$", twd}, {"US$", usd}, {"HK$", hkd}, {"S$", sgd}, {"A$", aud}, {"AU$", aud}, {"CA$", cad}, {"C$", []string{"CAD", "NIO"}}, {"NZ$", nzd},
		{"RMB", cny}, {"$", dollars},
		{"¥", []string{"CNY", "JPY"}}, {"€", eur}, {"£", []string{"GBP", "EGP", "FKP", "GIP", "SHP", "SSP", "SYP", "LBP"}}}
	suffixes = []mark{{"EUR", eur}, {"€", eur}, {"TWD", twd}, {"NTD", twd}, {"CNY", cny}, {"RMB", cny}, {"USD", usd}, {"HKD", hkd},
		{"SGD", sgd}, {"AUD", aud}, {"CAD", cad}, {"NZD", nzd}}
)

// digits reads a cell of 1 to 15 ASCII digits — most fees, as clinics'
// systems export them — without the normalisation, trimming and
// strconv.ParseFloat that parseSlow applies to every other shape: those
// were nearly a tenth of deciding a row (issue 29). Fifteen digits are
// below 2^53, so the sum is exact, as ParseFloat's correctly rounded
// result is. FuzzDigitsIsParseSlow holds it to parseSlow.
func digits(s string) (float64, bool) {
	if len(s) == 0 || len(s) > 15 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + uint64(c)
	}
	return float64(v), true
}

func parseSlow(s string, decimalComma bool) (float64, error) {
	v, _, err := parseNamed(s, decimalComma)
	return v, err
}

// parseNamed is parseSlow that also says which currencies the cell's
// marks allow: nil when it names none, or only signs any currency uses.
// Two marks that allow no currency in common ("USD 120 EUR") are not an
// amount.
func parseNamed(s string, decimalComma bool) (float64, []string, error) {
	// Whether a space may group thousands is told before NFKC folds the
	// no-break spaces to " " (grouping.go, hardSpaces).
	hard := hardSpaces(s)
	s = strings.TrimSpace(norm.NFKC.String(s))
	var codes []string
	named := func(m mark) bool {
		if m.codes == nil {
			return true
		}
		if codes == nil {
			codes = m.codes
			return true
		}
		// Two marks allow the currencies both allow: "HKD $100" is HKD,
		// "人民币120元" CNY (元 alone is every yuan's).
		var both []string
		for _, c := range m.codes {
			if slices.Contains(codes, c) {
				both = append(both, c)
			}
		}
		codes = both
		return len(both) > 0
	}
	// A currency's code or name before the amount: "CNY 500", "人民币1000元"
	// (a mainland HIS; a review found them unread), "TWD 1,200".
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p.text); ok {
			if !named(p) {
				return 0, nil, ErrNotAmount
			}
			s = strings.TrimSpace(rest) // "HKD $100"
		}
	}
	s = strings.TrimSpace(s)
	for _, y := range [...]string{"元", "圓"} {
		if rest, ok := strings.CutSuffix(s, y); ok {
			if !named(mark{y, yuans}) {
				return 0, nil, ErrNotAmount
			}
			s = strings.TrimSpace(rest)
			break
		}
	}
	for _, p := range suffixes {
		if rest, ok := strings.CutSuffix(s, p.text); ok {
			if !named(p) {
				return 0, nil, ErrNotAmount
			}
			s = strings.TrimSpace(rest)
		}
	}
	v, err := amount(s, decimalComma, hard)
	return v, codes, err
}

// amount reads s, its currency marks trimmed. Thousands grouped by a
// space or an apostrophe ("1 200", "1'200") read when well formed
// (grouped, grouping.go).
func amount(s string, decimalComma, hardSpaces bool) (float64, error) {
	if sep := groupedBy(s); sep != "" {
		if sep == " " && !hardSpaces && !decimalComma {
			return 0, ErrNotAmount // "500 800": two fees typed in one cell as likely as 500,800 (grouping.go)
		}
		if v, ok := grouped(s, sep, decimalComma); ok {
			return v, nil
		}
		return 0, ErrNotAmount
	}
	if decimalComma {
		whole, frac, hasComma := strings.Cut(s, ",")
		if i := strings.LastIndexByte(whole, '.'); i >= 0 && len(whole)-i-1 != 3 {
			return 0, ErrNotAmount // "12.5" in a decimal-comma file: ambiguous, not read
		}
		// "0.500" and ".500" group no thousands: they are an English
		// half, and read with a decimal comma they were 500.
		if j := strings.IndexByte(whole, '.'); j == 0 || j > 0 && strings.TrimLeft(whole[:j], "0") == "" {
			return 0, ErrNotAmount
		}
		// "1,234.56" is an English cell: a dot after the decimal comma
		// was dropped and the comma read as the decimals', 1.23456 — a
		// thousandth of the fee, sent or summed without a word. And
		// "1,234" with no dot is the mirror of "123.456" below: a comma
		// grouping thousands as likely as three decimals, which no
		// currency these exports are in has (not after a lone 0).
		if hasComma && (strings.ContainsAny(frac, ".,") ||
			!strings.Contains(whole, ".") && len(frac) == 3 && whole != "0") {
			return 0, ErrNotAmount
		}
		s = strings.NewReplacer(".", "", ",", ".").Replace(s)
	}
	if i := strings.LastIndexByte(s, ','); !decimalComma && i >= 0 && strings.IndexByte(s[i:], '.') < 0 && len(s)-i-1 != 3 {
		return 0, ErrNotAmount // "1.250,00" or "12,5": a decimal comma
	}
	if !decimalComma && !strings.Contains(s, ",") {
		// "123.456" with no comma: a dot grouping thousands (Vietnamese,
		// Indonesian, German downloads of a currency without decimals) as
		// likely as a third decimal, which no currency these exports are
		// in has. Read as 123.456 it was a thousandth of the amount, sent
		// or summed without a word; not read, it is counted as unreadable.
		// (Not after a lone 0: nobody groups "0.500".)
		if i := strings.IndexByte(s, '.'); i > 0 && s[:i] != "0" && len(s)-i-1 == 3 && strings.Count(s, ".") == 1 {
			return 0, ErrNotAmount
		}
	}
	s = strings.ReplaceAll(s, ",", "")
	if s == "" || strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 {
		return 0, ErrNotAmount // ParseFloat would take "1e5", "Inf" and hex floats
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, ErrNotAmount
	}
	return v, nil
}

// Bucket returns the highest edge not above v, or 0 below the first edge:
// the amount the `bucket` value policy sends for a fee of v. The upload
// path and the channel report both call it, so revenue in the report is
// the value the platforms were sent. edges are ascending.
func Bucket(v float64, edges []float64) float64 {
	out := 0.0
	for _, e := range edges {
		if v < e {
			break
		}
		out = e
	}
	return out
}

// DecimalCommaShape reports whether s, an amount Parse refused, is written
// as a decimal-comma locale writes one — dots grouping thousands, then a
// comma and one or two decimals ("1.200,00", "NT$12.345,5"), a currency
// mark at either end allowed: the sign that input.decimal_comma is unset
// for a re-saved export (a German-locale spreadsheet), not a cell to guess.
func DecimalCommaShape(s string) bool {
	isDigit := func(b byte) bool { return '0' <= b && b <= '9' }
	i, j := 0, len(s)
	for i < j && !isDigit(s[i]) {
		i++
	}
	for j > i && !isDigit(s[j-1]) {
		j--
	}
	s = s[i:j]
	comma := strings.LastIndexByte(s, ',')
	if comma < 0 || len(s)-comma-1 < 1 || len(s)-comma-1 > 2 {
		return false
	}
	groups := strings.Split(s[:comma], ".")
	if len(groups) < 2 || len(groups[0]) < 1 || len(groups[0]) > 3 {
		return false
	}
	for k, g := range groups {
		if k > 0 && len(g) != 3 {
			return false
		}
		for b := range len(g) {
			if !isDigit(g[b]) {
				return false
			}
		}
	}
	for b := comma + 1; b < len(s); b++ {
		if !isDigit(s[b]) {
			return false
		}
	}
	return true
}

// ReadsWithOtherMark reports whether s, a fee cell ParseIn refused under
// decimalComma for a row in currency, reads under the other
// input.decimal_comma setting: the setting, not the cell, is the likelier
// fault, and a message can say which to set (MarkAdvice). Asked only of
// an unreadable cell; the answer, never the cell, goes into a message.
func ReadsWithOtherMark(s, currency string, decimalComma bool) bool {
	if !decimalComma && !hardSpaces(s) && !strings.ContainsAny(s, ".,") && strings.Contains(strings.TrimSpace(s), " ") {
		// "500 800" reads under a decimal comma only because a plain
		// space groups there (grouping.go): two fees typed in one cell
		// are the likelier fault, not the setting.
		return false
	}
	_, err := ParseIn(s, currency, !decimalComma)
	return err == nil
}

// MarkAdvice says how a fee cell that reads only under the other
// input.decimal_comma setting than decimalComma is written, and which
// setting reads it — in the same words wherever hashgate names such a
// cell (the channel report's stderr, the upload's summary), never with
// the cell itself.
func MarkAdvice(decimalComma bool) string {
	if decimalComma {
		return "written with a decimal point (commas grouping thousands, a dot before the decimals): set input.decimal_comma: false"
	}
	return "written with a decimal comma (dots grouping thousands, a comma before the decimals: a spreadsheet in a European locale): set input.decimal_comma: true"
}
