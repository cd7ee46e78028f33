package celltext

import (
	"strings"
	"unicode/utf8"
)

// Excel's text formula: a cell ="0912345678" shows 0912345678. Clinic
// systems and hand-made exports write identifiers so to keep their
// leading zeros (Excel would read 0912345678 as a number and drop the 0),
// and an analyst who opens such an export in Excel and saves it again
// writes the plain 0912345678: the same cell. Read with its wrapper the
// phone matched no number and the id was another one than the re-saved
// file's — the same visit sent twice (clinic-exports.md).
//
// Any other cell that begins with = is a formula whose value only a
// spreadsheet can compute (=A1+B1, =SUM(…), =+886912345678, ="09"&"12"):
// never its text.

// TextFormula returns the text of a cell that is an Excel text formula
// — its invisible edges trimmed (Trim), the whole of it ="…", every quote
// inside doubled — with each doubled quote read as one; ok is false for
// any other cell. A cell whose first byte is printable ASCII other than =
// (nearly every cell) is answered from that byte alone.
func TextFormula(cell string) (text string, ok bool) {
	from, to, ok := textFormula(cell)
	if !ok {
		return "", false
	}
	text = cell[from:to]
	if strings.IndexByte(text, '"') >= 0 {
		text = strings.ReplaceAll(text, `""`, `"`)
	}
	return text, true
}

// Formula reports whether cell, its invisible edges trimmed, begins with
// = and is no text formula (TextFormula): a spreadsheet formula, whose
// value is not its text. A cell whose first byte is printable ASCII other
// than = is answered from that byte, inlined at the caller.
func Formula(cell string) bool {
	if len(cell) == 0 || cell[0] != '=' && plain(cell[0]) {
		return false
	}
	return formula(cell)
}

// formula is Formula past its first byte: the first visible character
// decides whether it begins with =, before any trimming is done.
func formula(cell string) bool {
	for i := 0; i < len(cell); {
		c := cell[i]
		if c == '=' {
			_, _, ok := textFormula(cell)
			return !ok
		}
		if c < utf8.RuneSelf {
			if plain(c) {
				return false
			}
			i++ // white space or a control: invisible
			continue
		}
		r, n := utf8.DecodeRuneInString(cell[i:])
		if !Invisible(r) {
			return false
		}
		i += n
	}
	return false
}

// TextFormulaBounds is TextFormula for a caller that unescapes in place
// (the export reader, in its own buffer): the text is cell[from:to], in
// which each "" stands for one quote.
func TextFormulaBounds(cell string) (from, to int, ok bool) { return textFormula(cell) }

func textFormula(cell string) (from, to int, ok bool) {
	if len(cell) < 3 || cell[0] != '=' && plain(cell[0]) {
		return 0, 0, false
	}
	lead := 0
	if cell[0] != '=' || !plain(cell[len(cell)-1]) {
		t := strings.TrimLeftFunc(cell, Invisible)
		lead = len(cell) - len(t)
		cell = strings.TrimRightFunc(t, Invisible)
	}
	n := len(cell)
	if n < 3 || cell[0] != '=' || cell[1] != '"' || cell[n-1] != '"' {
		return 0, 0, false
	}
	// Between the quotes, quotes come in pairs: a lone one closes the
	// text before the end (="09"&"12"), a formula.
	for i := 2; i < n-1; i++ {
		if cell[i] == '"' {
			if i+1 >= n-1 || cell[i+1] != '"' {
				return 0, 0, false
			}
			i++
		}
	}
	return lead + 2, lead + n - 1, true
}

// Literal is the text formula whose text is text (TextFormula's inverse:
// each quote doubled, the whole wrapped in ="…"): the cell as a hashgate
// before it read text formulas (up to commit c55587c) read it, raw or
// RFC-quoted alike. Such a hashgate made a wrapped order id's event id,
// and remembered a wrapped patient key's withdrawal, from this spelling;
// the ledger looks it up as the legacy one (export.Row.Literal), so an
// upgrade neither sends those visits again nor forgets those withdrawals.
func Literal(text string) string {
	return `="` + strings.ReplaceAll(text, `"`, `""`) + `"`
}
