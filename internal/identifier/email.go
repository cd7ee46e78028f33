package identifier

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/hashgate/hashgate/internal/celltext"
)

// normalizeEmail follows Google's Data Manager formatter (trim, lower-case,
// exactly one "@", Gmail/Googlemail: cut the local part at the first "+",
// then drop every ".") and Meta's customer-information rules (trim,
// lower-case, no Gmail rule, a dotted domain with no empty labels, no
// leading, trailing or doubled dot in the local part). Both reject inner
// white space: Google's own utilities do, whatever the prose says.
// Non-ASCII addresses are lower-cased and hashed as typed, without punycode.
func normalizeEmail(p Platform, raw string) (string, error) {
	s, err := emailBase(raw)
	if err != nil {
		return "", err
	}
	return emailFor(p, s)
}

// emailBase is the part both platforms share: fold, refuse inner white
// space, lower-case.
func emailBase(raw string) (string, error) {
	s := foldKey(raw)
	if s == "" {
		return "", reject(ReasonEmpty)
	}
	if hasSpace(s) {
		return "", reject(ReasonInnerWhitespace)
	}
	// A control or format character inside the address (a zero-width
	// space pasted from a chat, Ctrl-Z) is in no account's address, and
	// its hash could never match: refused, as asciiAddress refuses an
	// ASCII control (notInLocal, notInDomain).
	if strings.IndexFunc(s, celltext.Invisible) >= 0 {
		return "", reject(ReasonInvalidEmail)
	}
	return lower(s), nil
}

// emailFor applies platform p's rules to an emailBase result.
func emailFor(p Platform, s string) (string, error) {
	at, err := splitAddress(s)
	if err != nil {
		return "", err
	}
	switch p {
	case Google:
		return googleEmail(s, at, nil)
	case Meta:
		return metaEmail(s, at)
	}
	return "", reject(ReasonNoRules)
}

// splitAddress makes the checks both platforms make of an emailBase
// result — exactly one "@", a local part and a domain, no character only
// quoting would allow (plainAddress) — and returns the index of its "@".
func splitAddress(s string) (int, error) {
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return 0, reject(ReasonInvalidEmail)
	}
	local, domain := s[:at], s[at+1:]
	if local == "" || domain == "" || !plainAddress(local, domain) {
		return 0, reject(ReasonInvalidEmail)
	}
	return at, nil
}

// googleEmail is Google's rule for an address that passed splitAddress
// (at is its "@"): a Gmail or Googlemail local part is cut at its first
// "+" and loses every "."; any other address is s. The rewritten address
// is appended to buf (nil: a new array), and the result is a view of it.
func googleEmail(s string, at int, buf []byte) (string, error) {
	local, domain := s[:at], s[at+1:]
	if domain != "gmail.com" && domain != "googlemail.com" {
		return s, nil
	}
	if plus := strings.IndexByte(local, '+'); plus >= 0 {
		local = local[:plus]
	}
	b := buf[:0]
	for i := 0; i < len(local); i++ {
		if local[i] != '.' {
			b = append(b, local[i])
		}
	}
	if len(b) == 0 {
		return "", reject(ReasonInvalidEmail)
	}
	b = append(append(b, '@'), domain...)
	return unsafe.String(unsafe.SliceData(b), len(b)), nil // b is not written again while the string lives
}

// metaEmail is Meta's rule for an address that passed splitAddress (at is
// its "@"): a dotted domain, and no empty label — neither a leading or
// trailing dot nor two in a row — in the domain or the local part
// (strings.Split here allocated for every address).
func metaEmail(s string, at int) (string, error) {
	local, domain := s[:at], s[at+1:]
	if strings.IndexByte(domain, '.') < 0 {
		return "", reject(ReasonInvalidEmail)
	}
	if domain[0] == '.' || domain[len(domain)-1] == '.' || hasDoubleDot(domain) {
		return "", reject(ReasonInvalidEmail)
	}
	if local[0] == '.' || local[len(local)-1] == '.' || hasDoubleDot(local) {
		return "", reject(ReasonInvalidEmail)
	}
	return s, nil
}

// hasDoubleDot is strings.Contains(s, "..") written out: s is often a view
// of PrepareEach's stack buffer (emailAddress), and strings.Contains's
// escape summary changes with the profile the standard library is built
// with — a profile that made it leak moved addrBuf to the heap, one
// allocation a row (docs/performance.md). This loop calls nothing, so no
// profile can. strings.IndexByte, used beside it, is the assembly
// bytealg.IndexByteString, which is marked go:noescape whatever is built.
func hasDoubleDot(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] == '.' && s[i-1] == '.' {
			return true
		}
	}
	return false
}

// emailMax is the longest cell asciiAddress takes; a longer one (no real
// address: the limit is 254) takes the general path.
const emailMax = 128

// emailAddress is emailBase and splitAddress, the part both platforms
// share, done once for both (PrepareEach): an ASCII cell in one pass into
// buf (asciiAddress), anything else by emailBase. s may be a view of buf.
func emailAddress(buf *[emailMax]byte, raw string) (s string, at int, err error) {
	if s, at, err, ok := asciiAddress(buf, raw); ok {
		return s, at, err
	}
	if !utf8.ValidString(raw) { // as normalize refuses it for Prepare
		return "", 0, reject(ReasonInvalidUTF8)
	}
	if s, err = emailBase(raw); err != nil {
		return "", 0, err
	}
	at, err = splitAddress(s)
	return s, at, err
}

// asciiAddress is emailBase then splitAddress for an all-ASCII cell of up
// to emailMax bytes once trimmed, in one pass that lower-cases into buf
// instead of a new string (emailBase scanned the cell four times and
// allocated the lower-cased copy of every address with a capital; issue
// 29). It gives the same address and the same rejection, in the same
// order of precedence — empty, inner white space, then the address's
// shape; FuzzEmailAddress holds it to emailBase and splitAddress. ok is
// false for any other cell.
func asciiAddress(buf *[emailMax]byte, raw string) (s string, at int, err error, ok bool) {
	for i := 0; i < len(raw); i++ {
		if raw[i] >= utf8.RuneSelf {
			return "", 0, nil, false
		}
	}
	t := celltext.Trim(raw) // foldKey of an ASCII cell
	if t == "" {
		return "", 0, reject(ReasonEmpty), true
	}
	if len(t) > len(buf) {
		return "", 0, nil, false
	}
	at, ats, space, bad := -1, 0, false, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case asciiSpace[c]:
			space = true
		case c == '@':
			if ats++; at < 0 {
				at = i
			}
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case at < 0:
			bad = bad || notInLocal[c]
		default:
			bad = bad || notInDomain[c]
		}
		buf[i] = c
	}
	if space {
		return "", 0, reject(ReasonInnerWhitespace), true
	}
	if ats != 1 || at == 0 || at == len(t)-1 || bad {
		return "", 0, reject(ReasonInvalidEmail), true
	}
	return unsafe.String(&buf[0], len(t)), at, nil, true
}

// plainAddress refuses the characters RFC 5322 (§3.2.3, §3.4.1) allows only
// inside a quoted local part or a domain literal — `[ ] ( ) < > , ; : " \` —
// and a "/" in the domain. hashgate takes no quoted local parts: neither
// platform's validators do (Meta's python SDK allows [a-z0-9_.+-] in the
// local part, facebook-python-business-sdk
// facebook_business/adobjects/serverside/normalize.py email_pattern; the
// param-builder's regex is stricter still), so such a cell is a typing or
// export accident ("a@b.com, c@d.com", "<a@b.com>", "a@b.com/"), and its
// hash could never match. Google's own formatter (googleads
// data-manager-python google/ads/datamanager_util/format.py,
// format_email_address) checks only white space and the one "@", so it
// would hash "<a@example.com>"; we refuse it, as no account has that
// address. A domain is letters, digits, "-" and "." (and
// non-ASCII labels, hashed as typed): "/" appears only when a URL or a path
// was pasted into the cell.
func plainAddress(local, domain string) bool {
	return !containsAny(local, &notInLocal) && !containsAny(domain, &notInDomain)
}

// The byte sets plainAddress refuses, built once: strings.ContainsAny
// builds its set on every call, which showed in profiles (two calls per
// address, twice per row). All are ASCII, so a byte test is exact in
// UTF-8 (TestPlainAddressMatchesContainsAny).
var (
	notInLocal  = byteSet(`[]()<>,;:"\` + asciiControls)
	notInDomain = byteSet(`[]()<>,;:"\/` + asciiControls)
)

// asciiControls are C0 and DEL: no address holds one (emailBase). The
// white space among them is found first, as inner white space.
const asciiControls = "\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f" +
	"\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x7f"

func byteSet(chars string) (set [256]bool) {
	for i := 0; i < len(chars); i++ {
		set[chars[i]] = true
	}
	return set
}

func containsAny(s string, set *[256]bool) bool {
	for i := 0; i < len(s); i++ {
		if set[s[i]] {
			return true
		}
	}
	return false
}
