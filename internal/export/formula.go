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
