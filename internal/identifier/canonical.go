package identifier

import (
	"strings"

	"github.com/hashgate/hashgate/internal/celltext"
)

// canonicalEmail is Canonical's address: Normalize(Google, Email, raw),
// with an all-ASCII cell taking asciiAddress's one pass instead of
// emailBase. The same-night and remembered withdrawals canonicalise every
// e-mail of every row once a patient key is mapped (pipeline's
// runner.canonical), and emailBase's search for invisible characters,
// a Unicode table lookup a rune, was about 3,600 instructions an address
// — a sixth of a clinic export's dry-run (docs/performance.md, session
// 26). The address, the rejection and their precedence are Normalize's:
// FuzzCanonicalEmail holds the two equal.
//
// The result is never a view of asciiAddress's buffer: as lower would, it
// is the trimmed cell itself when that was lower-case already, else a
// copy, so that buf stays on the stack whatever the compiler inlines.
func canonicalEmail(raw string, opt Options) (string, error) {
	if _, ok, err := prehashed(raw); err != nil || ok {
		return Normalize(Google, Email, raw, opt)
	}
	var buf [emailMax]byte
	s, at, err, ok := asciiAddress(&buf, raw)
	if !ok {
		return Normalize(Google, Email, raw, opt)
	}
	if err != nil {
		return "", err
	}
	addr := celltext.Trim(raw) // what asciiAddress lower-cased into buf
	if addr != s {
		addr = strings.Clone(s)
	}
	// A Gmail address is rewritten into a new array: sized once here, where
	// googleEmail's append from nil grew it two or three times.
	var out []byte
	if d := addr[at+1:]; d == "gmail.com" || d == "googlemail.com" {
		out = make([]byte, 0, len(addr))
	}
	return googleEmail(addr, at, out)
}
