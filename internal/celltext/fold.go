package celltext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold is how two spellings of one identifier — an order id, a header
// name — compare: the spelling a keyboard or a paste chose is not the
// value. It removes every format character (category Cf, wherever it
// stands: the zero-width space U+200B a chat leaves, U+200C/U+200D, the
// word joiner U+2060, a byte-order mark U+FEFF, the soft hyphen U+00AD,
// direction marks), applies NFKC (full-width Ａ１００１ typed in an IME's
// full-width mode is A1001; a no-break space is a space) as the composite
// order id's parts always were (export.Row.OrderKey), and trims white
// space at the edges. Letter case, leading zeros and white space inside
// are kept: A1001 and a1001, 01001 and 1001 may be two orders.
//
// A string of ASCII bytes only — nearly every order id — is returned as
// it is, after one scan and without allocating: no ASCII byte is a
// format character or changes under NFKC. (Edge white space is the
// caller's: every caller has trimmed it already.) Fold is idempotent
// (FuzzFold).
func Fold(s string) string {
	if ASCII(s) {
		return s
	}
	return foldSlow(s)
}

// ASCII reports whether s holds ASCII bytes only: what Fold leaves as it
// is, and so what has no other spelling to look up (pipeline's legacy
// order ids).
func ASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

func foldSlow(s string) string {
	s = strings.Map(dropFormat, s)
	s = norm.NFKC.String(s)
	// NFKC makes no format character of other text (FuzzFold), but an
	// invalid byte kept by both steps is left as it is.
	return strings.TrimSpace(s)
}

// dropFormat is strings.Map's mapping that removes category Cf.
func dropFormat(r rune) rune {
	if unicode.Is(unicode.Cf, r) {
		return -1
	}
	return r
}
