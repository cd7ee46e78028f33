package export

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/editdistance"
	"github.com/hashgate/hashgate/internal/printable"
)

// What a missing column's error adds to help a person find it: the
// encoding a pinned setting forced, and the header cell nearest the name.

// encodingHint is the end of a message about a header that does not fit,
// when the encoding was pinned: a Big5 export re-saved as UTF-8 reads as
// garbage under input.encoding: big5, and the fix is the encoding, not the
// column names.
func encodingHint(key, declared, used string) string {
	if declared == "" || declared == EncodingAuto {
		return ""
	}
	return fmt.Sprintf("; %s is pinned to %s: if the export was re-saved in another encoding, correct it or set %[1]s: auto", key, used)
}

// nearestHeader suggests the header cell closest to a configured name that
// is missing: " (did you mean \"AptStatus\"?)". Only a cell within two
// edits of the name is suggested, and only when it can be printed at all
// (package printable), and only from a header (isHeader: a configured name,
// no data cell): on a row of data (input.header_row pointing at one) such a
// cell was a patient's name — "Ida" suggested for id, "Emily" for email.
func nearestHeader(want string, header []string, isHeader bool) string {
	if !isHeader {
		return ""
	}
	w := foldHeader(want)
	best, bestD := "", 3
	for _, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF"))
		if h == "" || !printable.Safe(h) || printable.IdentifierShaped(h) || utf8.RuneCountInString(h) > printable.MaxRunes {
			continue
		}
		d := editdistance.Levenshtein(w, foldHeader(h))
		if d < bestD && d < max(utf8.RuneCountInString(w), 2) {
			best, bestD = h, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// DelimiterName spells a delimiter for messages.
func DelimiterName(d rune) string {
	switch d {
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	case '|':
		return "pipe"
	}
	return fmt.Sprintf("%q", d)
}
