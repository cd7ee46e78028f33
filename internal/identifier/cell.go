package identifier

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/celltext"
)

// Values splits one export cell into the identifier values it holds,
// appending them to dst. Clinics type several numbers or addresses into one
// cell ("0912-345-678 / 02-2345-6789", "a@example.com; b@example.org"),
// annotate them ("425-555-0141 (mom's cell)"), add extensions ("x12",
// "#12", "分機12") and fill blanks with placeholders ("none", "N/A", "無",
// "-"). Placeholders are no value at all, not an invalid one. Fields other
// than email and phone are returned whole. The cell and each part lose
// what cannot be seen at their edges, as the export's reader trims a cell
// (celltext.Trim), so a part of only a control or a zero-width mark
// ("0912-345-678,\x10") is no value, not an "empty" one counted.
//
// The common single clean value is returned without allocating.
func Values(f Field, cell string, dst []string) []string {
	s := celltext.Trim(cell)
	if noValue(f, s) { // before splitting: "n/a" holds a "/"
		return dst
	}
	switch f {
	case Email:
		return emailValues(cell, dst)
	case Phone:
		return phoneValues(cell, dst)
	}
	if s != "" {
		dst = append(dst, s)
	}
	return dst
}

// noValue reports whether s, a whole trimmed cell of field f, is a
// placeholder. "na" and "no" are placeholders only where they cannot be a
// value — an e-mail or phone cell: as a name they are surnames (Korean 나
// and 노 romanized, Chinese 那), and as a country Namibia's and Norway's
// ISO 3166 codes. A review found the last names "Na" and "No" dropped from
// every file and request, uncounted, while `hashgate hash` hashed them.
func noValue(f Field, s string) bool {
	if !placeholder(s) {
		return false
	}
	if f == Email || f == Phone {
		return true
	}
	k := strings.ToLower(s)
	if !isASCII(s) {
		k = lower(foldKey(s)) // Ｎａ, as placeholder folds it
	}
	return k != "na" && k != "no"
}

// placeholders are what front desks type for "no value". Compared after
// NFKC and lower-casing.
var placeholders = map[string]bool{
	"-": true, "--": true, "---": true, "—": true, "_": true, ".": true, "?": true, "x": true,
	"none": true, "n/a": true, "na": true, "nil": true, "null": true, "unknown": true,
	"no": true, "no email": true, "noemail": true, "no phone": true, "tbd": true,
	"無": true, "无": true, "沒有": true, "没有": true, "不詳": true, "不详": true, "未提供": true, "暫無": true, "暂无": true,
}

func placeholder(s string) bool {
	if len(s) > 12 || s != "" && ('0' <= s[0] && s[0] <= '9' || s[0] == '+' || s[0] == '(') {
		return false // longer than any placeholder, or a number: skip the map
	}
	if isASCII(s) { // foldKey trims (celltext.Trim) and folds nothing ASCII; lower-case on the stack, not in a new string
		var buf [12]byte
		b := buf[:0]
		for _, c := range []byte(celltext.Trim(s)) {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		}
		return placeholders[string(b)] // no allocation: the compiler looks up with b's bytes
	}
	return placeholders[lower(foldKey(s))]
}

// emailSeparators split a cell holding several addresses.
func emailSeparator(r rune) bool {
	switch r {
	case ';', ',', '/', '；', '，', '、', '|', '\n', '\r', '\t', ' ', '　':
		return true
	}
	return false
}

// indexEmailSeparator is strings.IndexFunc(s, emailSeparator), reading
// ASCII bytes against a table until the first byte that is not ASCII
// (FuzzIndexEmailSeparator).
func indexEmailSeparator(s string) int {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			if k := strings.IndexFunc(s[i:], emailSeparator); k >= 0 {
				return i + k
			}
			return -1
		}
		if asciiEmailSeparator[c] {
			return i
		}
	}
	return -1
}

// asciiEmailSeparator holds the ASCII runes emailSeparator reports.
var asciiEmailSeparator = func() (set [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		set[c] = emailSeparator(rune(c))
	}
	return set
}()

func emailValues(cell string, dst []string) []string {
	s := celltext.Trim(cell)
	if s == "" {
		return dst
	}
	if indexEmailSeparator(s) < 0 {
		if !placeholder(s) {
			dst = append(dst, s)
		}
		return dst
	}
	// Inner spaces split too: "a@x.com b@y.com" is two addresses, and a
	// lone address never contains one. A "/" splits only between
	// addresses, so "a@x.com; N/A" keeps its placeholder whole.
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r != '/' && emailSeparator(r) }) {
		if strings.Count(part, "@") < 2 {
			if !placeholder(part) && strings.IndexFunc(part, isAlnum) >= 0 { // a lone "/" between addresses
				dst = append(dst, part)
			}
			continue
		}
		for _, p := range strings.Split(part, "/") {
			if p != "" && !placeholder(p) {
				dst = append(dst, p)
			}
		}
	}
	return dst
}

// phoneSeparators split a cell holding several numbers. A comma is one:
// nobody writes digit groups of a phone number with commas.
var phoneSplitter = strings.NewReplacer(
	"/", "\x00", ";", "\x00", ",", "\x00", "、", "\x00", "；", "\x00", "，", "\x00", "|", "\x00",
	"\n", "\x00", "\r", "\x00", " or ", "\x00", " OR ", "\x00", "或", "\x00",
)

// extensionMarks start an extension; the rest of that number is dropped
// (the platforms match on the line, never the extension).
var extensionMarks = []string{"分機", "分机", "轉", "转", "內線", "内线", "ext.", "ext", "x", "#"}

func phoneValues(cell string, dst []string) []string {
	s := celltext.Trim(cell)
	if s == "" {
		return dst
	}
	if plainPhone(s) { // one number, nothing to split or clean: the common cell
		return append(dst, s)
	}
	for _, part := range strings.Split(phoneSplitter.Replace(s), "\x00") {
		if part = cleanPhone(part); part != "" && !placeholder(part) {
			dst = append(dst, part)
		}
	}
	return dst
}

// cleanPhone removes an extension and bracketed notes that hold letters
// ("(mom's cell)", "（公司）"), keeping "(02)" area codes. A cell of only a
// note is returned as is, so it is counted as a rejected value.
func cleanPhone(s string) string {
	s = celltext.Trim(s)
	if s == "" {
		return s
	}
	if plainPhone(s) {
		return s // the common shape: nothing to take away
	}
	f := foldKey(s) // full-width "（０２）", "＃１２" become ASCII
	f = dropNotes(f)
	low := lower(f)
	for _, m := range extensionMarks {
		i := strings.Index(low, m)
		if i <= 0 {
			continue
		}
		rest := strings.TrimLeft(low[i+len(m):], " .:：")
		if rest != "" && '0' <= rest[0] && rest[0] <= '9' && hasDigit(low[:i]) {
			f = f[:i]
			low = low[:i]
		}
	}
	f = strings.TrimSpace(f)
	if f == "" || !hasDigit(f) {
		return strings.TrimSpace(s)
	}
	return f
}

// dropNotes removes bracketed text that contains a letter.
func dropNotes(s string) string {
	for {
		open := strings.IndexByte(s, '(')
		if open < 0 {
			return s
		}
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			return s
		}
		end += open
		note := s[open+1 : end]
		if strings.IndexFunc(note, unicode.IsLetter) < 0 {
			// "(02)": keep, and look for notes after it.
			rest := dropNotes(s[end+1:])
			return s[:end+1] + rest
		}
		s = strings.TrimSpace(s[:open]) + " " + strings.TrimSpace(s[end+1:])
	}
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return '0' <= r && r <= '9' }) >= 0
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// plainPhone: only digits and the separators people type in one number.
// Such a cell holds no second number, extension, note or placeholder.
func plainPhone(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || c == ' ' || c == '-' || c == '.' || c == '(' || c == ')' || c == '+') {
			return false
		}
	}
	return true
}
