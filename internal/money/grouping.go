package money

import (
	"math"
	"strconv"
	"strings"
)

// Thousands grouped by a space or an apostrophe. CLDR's group symbol is
// U+202F (narrow no-break space) for fr since CLDR 34 (Angular's fr
// locale data changed with it: github.com/angular/angular/issues/37905),
// U+00A0 (no-break space) for af, cs, fi, nb, pl, ru, sv, uk and most
// other decimal-comma locales (CLDR's numbers.symbols chart,
// unicode.org/cldr/charts/41/by_type/numbers.symbols.html), and "’"
// (U+2019) for de_CH — "'" before CLDR 32 (ICU's data/locales/de_CH.txt:
// group{"’"}; ICU 55 and older group{"'"}), which Swiss spreadsheets and
// accounting exports still write. glibc's fr_FR writes a plain space, and
// so do people — and a person's space also parts two amounts typed in one
// cell ("500 800": a visit and a follow-up), which a reading as 500,800
// would send, exit 0, where the cell was value_not_a_number before (the
// day's diff review). So a space groups thousands only in a cell that
// carries a no-break space (hardSpaces: what a locale's number format
// writes, never what a person types), or in an export the config says
// is written in a decimal-comma locale (input.decimal_comma: fr, ru, the
// Nordics — whose grouping is a space, and plain in glibc's and many
// exporters' output). Elsewhere — Taiwan's, mainland China's and English
// exports, whose thousands are commas — a plain space stays unread,
// counted, and judged by input.max_unreadable_value_share. parseNamed's NFKC folds
// U+00A0, U+202F and the other fixed-width spaces to " " before amount
// sees them; the apostrophes are left as they are.

// hardSpaces reports whether s holds a no-break space of the kinds CLDR's
// group symbols are (U+00A0, U+202F) or the figure space (U+2007) that
// aligns digits: a number formatted by a locale, not typed.
func hardSpaces(s string) bool {
	return strings.ContainsAny(s, "\u00a0\u202f\u2007")
}

// groupedBy is the grouping separator a cell (its marks trimmed, NFKC
// folded) uses, or "" when it holds none: one byte scan, as most fee
// cells hold none and must not pay for more.
func groupedBy(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ':
			return " "
		case '\'':
			return "'"
		case 0xE2:
			if strings.HasPrefix(s[i:], "’") {
				return "’"
			}
		}
	}
	return ""
}

// grouped reads s, an amount whose thousands sep groups (groupedBy).
// ok is false when the grouping is not well formed, and the cell is not
// read. Well formed is what CLDR's pattern #,##0 writes: a first group of
// one to three digits that does not begin with 0, then groups of exactly
// three, each after one sep; the same sep throughout, no other grouping
// mark, and after the decimal mark of the file's convention (a dot, or
// under input.decimal_comma a comma) digits only. "1 20", "12 3456" and
// "0 500" group no thousands — two numbers, or a typo — and "1'234.50"
// in a decimal-comma file mixes two conventions: each is as likely
// another amount than the one a reading would send. A well-formed
// grouping says which mark is the decimals', so "1 234.567" is read with
// three decimals as "1,234.567" is.
func grouped(s, sep string, decimalComma bool) (float64, bool) {
	point := byte('.')
	if decimalComma {
		point = ','
	}
	whole, frac := s, ""
	if i := strings.IndexByte(s, point); i >= 0 {
		whole, frac = s[:i], s[i+1:]
		if frac == "" || strings.Trim(frac, "0123456789") != "" {
			return 0, false // "1 234.", "1 234.5 6", a second mark
		}
	}
	buf := make([]byte, 0, len(s))
	for n := 0; ; n++ {
		g, rest, more := strings.Cut(whole, sep)
		if strings.Trim(g, "0123456789") != "" {
			return 0, false // another sep, the other grouping mark, a sign
		}
		if n == 0 && (len(g) < 1 || len(g) > 3 || g[0] == '0' || !more) || n > 0 && len(g) != 3 {
			return 0, false
		}
		buf = append(buf, g...)
		if !more {
			break
		}
		whole = rest
	}
	if frac != "" {
		buf = append(append(buf, '.'), frac...)
	}
	v, err := strconv.ParseFloat(string(buf), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}
