// Package csvcell keeps every CSV hashgate writes safe to open in a
// spreadsheet. Excel, LibreOffice Calc and Google Sheets read a cell that
// starts with "=", "+", "-" or "@" as a formula — =HYPERLINK(…) can send
// the sheet's contents anywhere, and DDE payloads such as
// -2+3+cmd|' /C calc'!A0 run programs — and some read a leading tab or
// carriage return the same way. OWASP's CSV Injection page and ASVS
// requirement 1.2.10 ask for such cells to be neutralised with a leading
// single quote, which the spreadsheet takes as "this is text" and does not
// display.
//
// hashgate's writers use it in two ways:
//
//   - the review CSV neutralises (Neutralise): it is read by people, and a
//     visible "'" is the lesser harm;
//   - the platforms' manual-upload files cannot carry the quote (Google and
//     Meta would read it as part of the value), so a cell that would need it
//     is refused (Dangerous) and counted instead; config strings that reach
//     those files (event name, conversion name) are refused at config load.
//
// Signed numbers are not formulas: "-12.5" is written as it is.
package csvcell

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Dangerous reports whether a spreadsheet could read s as a formula: its
// first character, or its first after leading spaces, is "=", "+", "-",
// "@", a tab, a carriage return, a line feed or a NUL — or the full-width
// "＝", "＋", "－", "＠", which some CJK spreadsheet locales convert — and it
// is not a plain signed number.
func Dangerous(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '\t', '\r', '\n', 0:
		return true
	}
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(t)
	switch r {
	case '=', '@', '＝', '＠', '＋', '－':
		return true
	case '+', '-':
		return !number(t)
	}
	return false
}

// number: a decimal number with an optional sign, as hashgate writes
// values ("-12.5", "+3"): no exponent, no spaces, nothing after.
func number(s string) bool {
	if len(s) < 2 || strings.ContainsAny(s, "eEiInN_xXpP") {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}

// Neutralise returns s with a leading "'" when Dangerous(s), else s.
func Neutralise(s string) string {
	if Dangerous(s) {
		return "'" + s
	}
	return s
}

// AppendNeutral appends Neutralise(s) to dst without allocating.
func AppendNeutral(dst []byte, s string) []byte {
	if Dangerous(s) {
		dst = append(dst, '\'')
	}
	return append(dst, s...)
}
