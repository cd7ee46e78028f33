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
	if local == "" || domain == "" {
		return "", reject(ReasonInvalidEmail)
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
	for _, label := range strings.Split(domain, ".") {
		if label == "" {
			return "", reject(ReasonInvalidEmail)
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "", reject(ReasonInvalidEmail)
	}
	return s, nil
}
