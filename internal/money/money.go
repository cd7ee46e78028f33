// Package money reads a fee cell into an amount.
package money

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// ErrNotAmount is returned for a cell that holds no number ("健保", "N/A").
var ErrNotAmount = errors.New("not an amount")

// Parse reads amounts as clinics write them: "1500", "1,500.00",
// "NT$1,500", "$8,000", "￥1,880.00" and "12800元". Thousands separators
// are commas; a decimal comma ("1.250,00") and a lone dot before three
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
	s = strings.TrimSpace(norm.NFKC.String(s))
	// A currency's code or name before the amount: "CNY 500", "人民币1000元"
	// (a mainland HIS; a review found them unread), "TWD 1,200".
	for _, p := range []string{"人民币", "人民幣", "CNY", "TWD", "NTD", "HKD", "USD", "EUR", "NT$", "US$", "HK$", "RMB", "$", "¥", "€", "£"} {
		s = strings.TrimPrefix(s, p)
	}
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(s, "元"), "圓"))
	for _, p := range []string{"EUR", "€", "TWD", "NTD", "CNY", "RMB", "USD"} {
		s = strings.TrimSpace(strings.TrimSuffix(s, p))
	}
	if decimalComma {
		whole, _, _ := strings.Cut(s, ",")
		if i := strings.LastIndexByte(whole, '.'); i >= 0 && len(whole)-i-1 != 3 {
			return 0, ErrNotAmount // "12.5" in a decimal-comma file: ambiguous, not read
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
