package export

import (
	"slices"
	"unsafe"

	"github.com/hashgate/hashgate/internal/celltext"
)

// textFormulas turns each cell of the record that is an Excel text
// formula (="0912345678", celltext.TextFormula) into its text, in buf: the
// one place a cell's text is made, so every reader of it — the rows'
// columns, inspect and config init, channels, the header — reads what
// Excel shows and a re-save writes (the wrapper kept, a phone was
// unreadable and an id changed when the analyst re-saved the export: the
// visit was sent twice). Only records read by the state machine can hold
// one — a text formula has quotes, and a line with a quote never takes
// readLine's fast path — and finish calls it only for a record holding
// an = at all: the fast path, most lines, pays nothing.
//
// Text is moved down within buf, never up (a cell's text is shorter than
// its formula), so the record stays one string cut in order, as finish,
// goodText and NextTo need it.
func (s *scanner) textFormulas() {
	prev, w, moved := 0, 0, false
	for k, end := range s.ends {
		cell := s.buf[prev:end]
		from, to, ok := 0, 0, false
		if len(cell) >= 3 { // its first byte decides for nearly every cell
			from, to, ok = celltext.TextFormulaBounds(unsafe.String(unsafe.SliceData(cell), len(cell)))
		}
		switch {
		case ok:
			// Byte by byte, reading ahead of writing: each "" is one ".
			for i := from; i < to; i++ {
				c := cell[i]
				s.buf[w] = c
				w++
				if c == '"' {
					i++
				}
			}
			moved = true
			if len(s.keyFields) > 0 {
				s.noteLiteral(k)
			}
		case moved:
			w += copy(s.buf[w:], cell)
		default:
			w = end
		}
		s.ends[k] = w
		prev = end
	}
	s.buf = s.buf[:w]
}

// Formula reports whether a cell of the row that an upload reads as a
// value — any mapped column but those mapFormulas leaves out — is a
// spreadsheet formula (celltext.Formula: =A1+B1, =SUM(…), =+886912345678).
// Its value is what a spreadsheet computes from cells hashgate does not
// have: read as text it was hashed as typed (an order id's event id, a
// name's or a postal code's hash) or refused under a reason that named
// the column's content wrong. The pipeline excludes the row as
// formula_cell. A text formula ="…" is no formula: the reader has made it
// its text (scanner.textFormulas). A record without an = anywhere
// (Row.eq, one memchr when it is read) — nearly every one — is answered
// without looking at a cell; in one with an = (a URL in a source column),
// two byte comparisons a cell for nearly every cell (celltext.Formula).
func (row Row) Formula() bool {
	if !row.eq { // no = in the record: nearly every row, one memchr when read
		return false
	}
	for _, i := range row.r.formulaIdx {
		if i < len(row.rec) && celltext.Formula(row.rec[i]) {
			return true
		}
	}
	return false
}

// mapFormulas lists the fields Row.Formula judges, each once: every
// mapped column's but the source's and the expect column's, which an
// upload does not read, and the click ids', whose grammar refuses any =
// (package plaintext): such a cell (=HYPERLINK(…)) is dropped and counted
// as click_id_invalid, and its row goes without it, as before.
func (r *Reader) mapFormulas() {
	r.formulaIdx = make([]int, 0, r.width) // one allocation: at most one per field
	for c, idx := range r.index {
		switch Column(c) {
		case Source, Expect, GCLID, GBRAID, WBRAID, FBCLID:
			continue
		}
		for _, i := range idx {
			if !slices.Contains(r.formulaIdx, i) {
				r.formulaIdx = append(r.formulaIdx, i)
			}
		}
	}
}

// A hashgate before it read text formulas (up to commit c55587c) read a
// cell ="A0001" as written, and made a wrapped order id's event id, and
// remembered a wrapped patient key's withdrawal, from that spelling. The
// reader notes which of the order id's and the patient key's cells of a
// record were text formulas (Row.lit, a bit a cell: the columns ids and
// remembered withdrawals are made of, and no others), so that those
// spellings are looked up as the legacy ones: an upgrade neither sends a
// visit again under the text's id nor forgets a withdrawal.

// litMax is how many key cells Row.lit can tell of: more than any order
// id joins.
const litMax = 32

// mapLiterals lists the fields whose text formulas Row.lit notes — the
// order id's parts, then the patient key's, each once — and hands them
// to the scanner, which notes them as it reads each text formula.
func (r *Reader) mapLiterals() {
	var fields []int
	for _, c := range [...]Column{OrderID, PatientKey} {
		for _, i := range r.index[c] {
			if len(fields) < litMax && !slices.Contains(fields, i) {
				fields = append(fields, i)
			}
		}
	}
	r.sc.keyFields = fields
}

// noteLiteral notes in s.lit that field k, a text formula, is a key cell.
func (s *scanner) noteLiteral(k int) {
	for j, f := range s.keyFields {
		if f == k {
			s.lit |= 1 << j
		}
	}
}

// Literals reports whether any of the row's order-id and patient-key
// cells was a text formula: one word, inlined at every row's caller.
func (row Row) Literals() bool { return row.lit != 0 }

// literal reports whether the row's field i — an order id's or patient
// key's cell — was a text formula.
func (row Row) literal(i int) bool {
	if row.lit == 0 {
		return false
	}
	for j, f := range row.r.sc.keyFields {
		if f == i {
			return row.lit&(1<<j) != 0
		}
	}
	return false
}

// Literal returns the cell of column c — the order id (one column) or the
// patient key — as a hashgate before it read text formulas read it (its
// formula, celltext.Literal, trimmed as Get trims the column), when it
// was written as one; ok is false otherwise, answered from one word for
// a row without one.
func (row Row) Literal(c Column) (cell string, ok bool) {
	if row.lit == 0 {
		return "", false
	}
	if idx := row.r.index[c]; len(idx) > 0 && idx[0] < len(row.rec) && row.literal(idx[0]) {
		return trimCell(c, celltext.Literal(row.rec[idx[0]])), true
	}
	return "", false
}

// OrderKeyLiteral is OrderKey as a hashgate before it read text formulas
// made it: each part written as a text formula spelled as its formula,
// folded as OrderKey folds it. ok is false when no part but a time was
// one: a time written so was unreadable then, its row never sent.
func (row Row) OrderKeyLiteral(c Column, wall func(Column) string) (key string, ok bool) {
	if row.lit == 0 {
		return "", false
	}
	idx := row.r.index[c]
	if len(idx) < 2 {
		v, ok := row.Literal(c)
		if !ok {
			return "", false
		}
		v = celltext.Fold(v)
		return v, v != ""
	}
	for _, i := range idx {
		if row.literal(i) && row.r.timeRole(i) == numColumns {
			return row.compositeKey(idx, c, wall, celltext.Fold, true)
		}
	}
	return "", false
}
