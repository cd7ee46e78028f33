package consent

// withdrawalMarkers say that a consent was withdrawn, wherever in the cell
// they stand. Staff annotate a cell rather than overwrite it — "yes
// (revoked)", "Y (撤回)", "同意(已撤回)", "withdrew consent", "opted-out" —
// and a revocation had to start the cell: these read as words nobody knows
// (consent_not_granted), which excluded the row alone, and the patient's
// earlier consented visits were sent (a review, session 29). A cell that
// mentions one is a withdrawal (consent_revoked), whatever else it says:
// the patient's other rows are withheld too (consent_revoked_patient).
//
// An English marker is a word's beginning (a stem: "revok" is revoke,
// revoked, revoking), so a word that merely holds one is none: "unrevoked",
// "irrevocable", "adopt out". A negation is not read ("not revoked" is a
// withdrawal): that errs toward withholding, never toward sending. A space
// in a marker stands for any run of separators, or none: "opt out" is
// opt-out, opt_out, optout, "opt – out". The Chinese ones (繁體, 简体)
// match anywhere: 取消同意 and 取消授權 are; 取消 alone, an appointment's
// "cancelled", is not. consent.revoked's words are read the same way.
var withdrawalMarkers = []string{
	"revok", "revoc", "withdr", "unsub", "rescind", "retract",
	"opt out", "opted out", "opting out", "opts out",
	"撤回", "撤銷", "撤销", "撤消", "取消同意", "取消授權", "取消授权", "不再同意", "退訂", "退订", "拒收",
}

// marker is a withdrawal marker split at its separators: its parts follow
// one another in a cell with separators or nothing between them.
type marker []string

// newMarkers splits the folded words into markers; a word without a
// letter, digit or non-ASCII character is none.
func newMarkers(words []string) []marker {
	var out []marker
	for _, w := range words {
		var m marker
		for i := 0; i < len(w); {
			if n := separatorLen(w[i:]); n > 0 {
				i += n
				continue
			}
			j := i
			for j < len(w) && separatorLen(w[j:]) == 0 {
				j++
			}
			m = append(m, w[i:j])
			i = j
		}
		if len(m) > 0 {
			out = append(out, m)
		}
	}
	return out
}

// mentionsWithdrawal reports whether the folded value v holds one of ms:
// its first part where a word begins (an ASCII letter does not precede it;
// a part starting with a non-ASCII character may stand anywhere), each
// next part after separators or none. It calls nothing but index (see
// there): v is often foldInto's stack buffer.
func mentionsWithdrawal(v string, ms []marker) bool {
	for _, m := range ms {
		first := m[0]
		for i := 0; i+len(first) <= len(v); {
			j := index(v[i:], first)
			if j < 0 {
				break
			}
			j += i
			if (first[0] >= 0x80 || j == 0 || !asciiLetter(v[j-1])) && follows(v[j+len(first):], m[1:]) {
				return true
			}
			i = j + 1
		}
	}
	return false
}

// follows reports whether s starts with parts, each after separators or
// none.
func follows(s string, parts []string) bool {
	for _, p := range parts {
		for n := separatorLen(s); n > 0; n = separatorLen(s) {
			s = s[n:]
		}
		if len(s) < len(p) || s[:len(p)] != p {
			return false
		}
		s = s[len(p):]
	}
	return true
}

// separatorLen is the length of the separator s starts with, 0 for none:
// an ASCII character that is neither letter nor digit (space, hyphen,
// underscore, parentheses, slash: full-width forms fold to these), or a
// dash a spreadsheet's autocorrect writes (U+2010–U+2015, U+2212).
func separatorLen(s string) int {
	if s == "" {
		return 0
	}
	c := s[0]
	if c < 0x80 {
		if asciiLetter(c) || c >= '0' && c <= '9' {
			return 0
		}
		return 1
	}
	if len(s) >= 3 && c == 0xe2 && (s[1] == 0x80 && s[2] >= 0x90 && s[2] <= 0x95 || s[1] == 0x88 && s[2] == 0x92) {
		return 3
	}
	return 0
}

func asciiLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
