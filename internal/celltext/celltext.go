// Package celltext holds what counts as the edge of a cell's text: the
// characters a reader cannot see, which an export's cell may carry before
// or after its value without anyone meaning them.
//
// strings.TrimSpace trims white space only, and three kinds of invisible
// character reach clinic exports by accident (a review of Windows-saved
// files):
//   - the DOS end-of-file mark, Ctrl-Z (U+001A), which `copy /a` and some
//     Windows software append to a file, stuck to its last cell; other C0
//     and C1 controls;
//   - the byte-order mark U+FEFF that joining two "CSV UTF-8" files leaves
//     at the start of the second one's first cell;
//   - zero-width and direction marks (U+200B–U+200F, U+2060, U+202A–U+202E)
//     that copying from a web page or a chat leaves at a cell's end.
//
// Kept, each changed the value that leaves the process while nothing
// showed it: a chart number's event id (the visit sent again the next
// night, when the row is no longer the file's last), an e-mail's hash, a
// consent time that no longer read. Trimmed, the cell reads as it looks.
// Inside a value these characters are left alone here: the identifier
// rules refuse them where they would change a hash (package identifier).
package celltext

import (
	"strings"
	"unicode"
)

// Trim removes invisible characters (Invisible) from both edges of s. A
// cell whose first and last bytes are printable ASCII other than space
// (0x21–0x7E) — nearly every cell — has nothing to trim and is returned
// as it is, without a scan: Trim runs on every cell a row is read for.
// Invalid UTF-8 at an edge is kept, as strings.TrimSpace keeps it.
func Trim(s string) string {
	if n := len(s); n == 0 || plain(s[0]) && plain(s[n-1]) {
		return s
	}
	return strings.TrimFunc(s, Invisible)
}

// plain: a byte that is neither white space nor part of a multi-byte rune
// (which may be invisible: U+00A0, U+3000, U+FEFF) nor a control.
func plain(c byte) bool { return '!' <= c && c <= '~' }

// Invisible reports whether r is white space (unicode.IsSpace: U+0085,
// U+00A0, U+3000 and the rest), a control (C0, DEL, C1) or a format
// character (category Cf: U+FEFF, U+200B–U+200F, U+2060, U+00AD, …).
func Invisible(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Cf, r)
}
