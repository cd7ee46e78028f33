package identifier

import "strings"

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
	return lower(s), nil
}

// emailFor applies platform p's rules to an emailBase result.
func emailFor(p Platform, s string) (string, error) {
	at := strings.IndexByte(s, '@')
	if at < 0 || strings.IndexByte(s[at+1:], '@') >= 0 {
		return "", reject(ReasonInvalidEmail)
	}
	local, domain := s[:at], s[at+1:]
	if local == "" || domain == "" || !plainAddress(local, domain) {
		return "", reject(ReasonInvalidEmail)
	}
	if p != Google && p != Meta {
		return "", reject(ReasonNoRules)
	}
	if p == Google {
		if domain == "gmail.com" || domain == "googlemail.com" {
			if plus := strings.IndexByte(local, '+'); plus >= 0 {
				local = local[:plus]
			}
			local = strings.ReplaceAll(local, ".", "")
			if local == "" {
				return "", reject(ReasonInvalidEmail)
			}
			return local + "@" + domain, nil
		}
		return s, nil
	}
	// Meta.
	if !strings.Contains(domain, ".") {
		return "", reject(ReasonInvalidEmail)
	}
	// No empty label: neither a leading or trailing dot nor two in a row
	// (strings.Split here allocated for every address).
	if domain[0] == '.' || domain[len(domain)-1] == '.' || strings.Contains(domain, "..") {
		return "", reject(ReasonInvalidEmail)
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", reject(ReasonInvalidEmail)
	}
	return s, nil
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
	notInLocal  = byteSet(`[]()<>,;:"\`)
	notInDomain = byteSet(`[]()<>,;:"\/`)
)

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
