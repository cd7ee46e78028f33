package export

import (
	"log/slog"
	"strings"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"

	"github.com/hashgate/hashgate/internal/celltext"
)

// A row of the export as the reader hands it out: its cells by column,
// its order key (one column, or a composite whose time parts enter as
// parsed wall times), and positions for errors that name no value.

// Row is one data record of the export.
type Row struct {
	Line int
	rec  []string
	r    *Reader
	// pos holds, for a detached row, the positions of its mapped columns
	// of detachedPositions (the only ones errors point into after reading
	// moves on), by the reader's slot (Reader.slot, positionSlots).
	// int32: a Row is copied by value several times a row, and the three
	// consent columns' positions made it 48 bytes longer, which callgrind
	// counted on the dry-run's hot path (issue 29); no export reaches 2^31
	// lines or columns.
	pos     [positionSlots][2]int32
	refused *Error
	// cut: the input ended inside this record (Reader.cutShort); eq: the
	// record holds an = somewhere, so a cell may be a formula (Formula);
	// lit: which of its order id's and patient key's cells were text
	// formulas (Literal). They sit together: one word, not two.
	detached, cut, eq bool
	lit               uint32
}

// Refused returns why the reader refused the row — a record larger than
// input.max_record_bytes, positioned at the line where it began — or nil.
// A refused row has no cells; it is excluded as ReasonRecordTooLarge.
func (row Row) Refused() *Error { return row.refused }

// Detach returns a copy of the row that stays valid after Next, so it can
// be processed on another goroutine. Position then answers for the
// columns in detachedPositions.
func (row Row) Detach() Row {
	d, _ := row.DetachTo(nil)
	return d
}

// DetachTo is Detach with the cells appended to store, which the caller
// reuses from chunk to chunk so that detaching allocates nothing once
// store has grown. The row is valid until store is reused.
func (row Row) DetachTo(store []string) (Row, []string) {
	start := len(store)
	store = append(store, row.rec...)
	d := Row{Line: row.Line, rec: store[start:len(store):len(store)], r: row.r, detached: true, refused: row.refused, cut: row.cut, eq: row.eq, lit: row.lit}
	row.positionsTo(&d.pos)
	return d, store
}

// NextTo is Next for a caller that keeps rows in storage of its own and
// reuses it (the pipeline's chunks): the record's text is appended to
// text, once, and its cells to store, and the row's cells are views of
// text — no string is made per record, which was half of what a dry-run
// allocated, and so half of the collector's cycles (issue 29). The row
// is detached as by DetachTo, and valid until text's bytes are written
// again: whoever keeps a cell, or a string cut from one, beyond that
// must copy it (strings.Clone). With SkipFooter the rows are Next's,
// detached to store (the footer's held rows own their strings).
func (r *Reader) NextTo(store []string, text []byte) (Row, []string, []byte, error) {
	if r.footer != 0 {
		row, err := r.Next()
		if err != nil {
			return row, store, text, err
		}
		row, store = row.DetachTo(store)
		return row, store, text, nil
	}
	r.sc.borrow = true
	r.sc.into, r.sc.intoOn, r.sc.inInto = text, true, false
	row, err := r.handOut(r.next())
	text, r.sc.into, r.sc.intoOn = r.sc.into, nil, false
	r.sc.borrow = false
	if err != nil {
		return row, store, text, err
	}
	if row.refused != nil { // no cells
		row, store = row.DetachTo(store)
		return row, store, text, nil
	}
	if r.sc.fast && r.sc.inInto {
		// A line without a quote was split in text itself (readLine):
		// its cells are views of text already, and only their headers
		// are copied — one per cell was the reader's costliest loop.
		d, store := row.DetachTo(store)
		return d, store, text, nil
	}
	// Every cell is a piece of the scanner's whole record: copy that, and
	// point each cell at its place in the copy.
	whole := r.sc.whole
	at := len(text)
	text = append(text, whole...)
	start := len(store)
	for _, cell := range row.rec {
		if cell == "" {
			store = append(store, "")
			continue
		}
		off := int(uintptr(unsafe.Pointer(unsafe.StringData(cell))) - uintptr(unsafe.Pointer(unsafe.StringData(whole))))
		store = append(store, unsafe.String(&text[at+off], len(cell)))
	}
	d := Row{Line: row.Line, rec: store[start:len(store):len(store)], r: r, detached: true, eq: row.eq, lit: row.lit}
	row.positionsTo(&d.pos)
	return d, store, text, nil
}

// Cells returns the row's raw cells, valid until the next call to Next.
// `hashgate inspect` reads them to classify formats (nothing it prints
// comes from a cell), and package spend reads the platforms' spend
// downloads through them, which hold no patient data.
func (row Row) Cells() []string { return row.rec }

// Short reports whether the record ends before a mapped column.
func (row Row) Short() bool { return len(row.rec) < row.r.width }

// Long reports whether the record holds a value beyond the header's last
// column while that column is read (mapped): a cell with an unquoted
// delimiter in it ("Wang, Alice") shifted every later cell by one, the
// last mapped one included, and the row would be read by position — its
// currency from the fee column, its click id from the currency's (a
// review of Windows-saved exports: such a row was sent, its value gone).
// When the last column is not read (a remark, free text) the delimiter
// may sit in it and every mapped cell be whole, as such rows were sent
// before: they are not refused (a review of that fix), and a shift
// earlier in the row is not seen then. Empty cells past the header (a
// trailing delimiter) are no value.
func (row Row) Long() bool {
	// Past the last named column: a header ending in an empty cell (a
	// trailing delimiter) let a shifted row through (a review).
	named := row.r.named
	if len(row.rec) <= named || row.r.width < named {
		return false
	}
	for _, c := range row.rec[named:] {
		if trim(c) != "" {
			return true
		}
	}
	return false
}

// Malformed reports whether the record does not fit the header: Short or
// Long. It is excluded as malformed_row.
func (row Row) Malformed() bool { return row.Short() || row.Long() }

// Get returns the trimmed value of column c (the first of its headers), or
// "" when it is not mapped or the record is short.
func (row Row) Get(c Column) string {
	for _, i := range row.r.index[c] {
		if i < len(row.rec) {
			return trimCell(c, row.rec[i])
		}
	}
	return ""
}

// All appends the trimmed non-empty values of every header mapped to c.
func (row Row) All(c Column, dst []string) []string {
	for _, i := range row.r.index[c] {
		if i < len(row.rec) {
			if v := trimCell(c, row.rec[i]); v != "" {
				dst = append(dst, v)
			}
		}
	}
	return dst
}

// Nth returns the trimmed value of the k-th header mapped to c, in the
// order the spec lists them (All's), or "" when c has fewer headers or
// the record is short: a caller that names which column a value came
// from reads them one by one.
func (row Row) Nth(c Column, k int) string {
	if idx := row.r.index[c]; k < len(idx) && idx[k] < len(row.rec) {
		return trimCell(c, row.rec[idx[k]])
	}
	return ""
}

// Key joins the values of every header mapped to c with U+001F (a byte no
// export contains, so "A"+"BC" and "AB"+"C" differ), each trimmed and
// otherwise as written. ok is false when c is not mapped or any part is
// blank: a partial key would merge appointments.
//
// For the order id this is the derivation of hashgate up to schema 4 of the
// ledger, kept because the platforms hold ids made from it: see OrderKey,
// which is what event ids are made from now.
func (row Row) Key(c Column) (key string, ok bool) {
	idx := row.r.index[c]
	if len(idx) == 1 {
		v := row.Get(c)
		return v, v != ""
	}
	var b strings.Builder
	for n, i := range idx {
		if i >= len(row.rec) {
			return "", false
		}
		v := trimCell(c, row.rec[i])
		if v == "" {
			return "", false
		}
		if n > 0 {
			b.WriteByte(0x1f)
		}
		b.WriteString(v)
	}
	return b.String(), len(idx) > 0
}

// KeyTimed reports whether a part of c's composite key is also mapped to
// an appointment time column (the usual order id of an export without an
// appointment number: chart number + visit date + visit time).
func (row Row) KeyTimed(c Column) bool {
	idx := row.r.index[c]
	if len(idx) < 2 {
		return false
	}
	for _, i := range idx {
		if row.r.timeRole(i) != numColumns {
			return true
		}
	}
	return false
}

// KeyPartTimed reports whether part n of c's composite key is also
// mapped to an appointment time column.
func (row Row) KeyPartTimed(c Column, n int) bool {
	idx := row.r.index[c]
	return len(idx) > 1 && n < len(idx) && row.r.timeRole(idx[n]) != numColumns
}

// timeRole returns the time column record index i is mapped to, or
// numColumns.
func (r *Reader) timeRole(i int) Column {
	for _, t := range timeColumns {
		if idx := r.index[t]; len(idx) > 0 && idx[0] == i {
			return t
		}
	}
	return numColumns
}

// OrderKey is the key event ids are made from: the appointment, not its
// spelling. A single-column key is Key's folded (celltext.Fold: format
// characters removed, NFKC, trimmed): typed in an IME's full-width mode
// (Ａ１００１) or pasted from a chat with a zero-width space, an id sent
// the night before was sent again under another event id, exit 0 (a
// metamorphic review); Key's spelling is still looked up, as the legacy
// id, where a ledger holds ids made before (ledger.Filter.UseUnfoldedIDs).
// An ASCII id — nearly every one — is Key's, unchanged. In a composite key a
// part that is also an appointment time column enters as wall(that
// column) — the time read from the row, in a canonical form the caller
// chooses — and every other part folded as a single-column id is
// (celltext.Fold: full-width ＡＢ１２ is AB12, a zero-width space or a
// soft hyphen inside a chart number is gone), joined by U+001F as in Key.
// So an export re-saved with its dates written another way (115/10/19 as
// 2026-10-19, 上午 09:30 as 09:30:00, Big5 as UTF-8) gives the same keys.
// ok is false as for Key, and when a part folds to nothing.
func (row Row) OrderKey(c Column, wall func(Column) string) (key string, ok bool) {
	idx := row.r.index[c]
	if len(idx) < 2 {
		key, ok = row.Key(c)
		if ok {
			key = celltext.Fold(key)
		}
		return key, ok && key != ""
	}
	return row.compositeKey(idx, c, wall, celltext.Fold, false)
}

// OrderKeyNFKC is a composite OrderKey as hashgate made it before its
// parts were folded: NFKC and trimmed only, so a zero-width space inside
// a part stayed. The ledger looks it up where it holds ids made so
// (ledger.Filter.UseLegacyIDs). A single-column key is OrderKey's.
func (row Row) OrderKeyNFKC(c Column, wall func(Column) string) (key string, ok bool) {
	if idx := row.r.index[c]; len(idx) >= 2 {
		return row.compositeKey(idx, c, wall, fold, false)
	}
	return row.OrderKey(c, wall)
}

// compositeKey joins the parts of a composite key, each folded by
// foldPart unless it is a time (wall); with literal, a part that was a
// text formula is its formula (OrderKeyLiteral).
func (row Row) compositeKey(idx []int, c Column, wall func(Column) string, foldPart func(string) string, literal bool) (string, bool) {
	var b strings.Builder
	for n, i := range idx {
		if i >= len(row.rec) {
			return "", false
		}
		v := row.rec[i]
		if literal && row.literal(i) {
			v = celltext.Literal(v)
		}
		v = trimCell(c, v)
		if v == "" {
			return "", false
		}
		if n > 0 {
			b.WriteByte(0x1f)
		}
		if t := row.r.timeRole(i); t != numColumns && wall != nil {
			b.WriteString(wall(t))
			continue
		}
		v = foldPart(v)
		if v == "" {
			return "", false
		}
		b.WriteString(v)
	}
	return b.String(), true
}

// trim is celltext.Trim, which Get and its kin call on every cell they
// read (six or more a row): white space, controls and invisible format
// characters at a cell's edges (a DOS end-of-file mark, a byte-order mark
// left by joining two files, a zero-width space) are not the value, and
// kept they changed ids and hashes while nothing showed it. Trimming once
// where the line is split was the other way: it would trim every cell of
// a row, read or not (the bench export's rows have 12 and Get reads about
// 6.4 a row), and change what Cells gives inspect and spend.
func trim(s string) string { return celltext.Trim(s) }

// trimCell trims a cell of column c. The columns event ids and remembered
// withdrawals are made from — the order id's parts, the patient key —
// lose white space only, as they always did: a cell that carries a
// zero-width space or a byte-order mark every night made the ids the
// platforms hold and the digests the ledger remembers, and trimming it
// now would send those visits again and forget those withdrawals (a
// review of the change that trims the other cells). The transient marks —
// Ctrl-Z at the end of a file (dropped by the reader: crToLF) and the
// byte-order mark of a second file joined in (on its header line, which
// is skipped) — never reach them.
func trimCell(c Column, s string) string {
	if c == OrderID || c == PatientKey {
		return strings.TrimSpace(s)
	}
	return trim(s)
}

// fold is NFKC with an ASCII fast path (order ids are ASCII almost always),
// trimmed of white space as the key's other parts are (trimCell).
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.TrimSpace(norm.NFKC.String(s))
		}
	}
	return s
}

// positionsTo writes the positions of the row's slotted columns
// (Reader.slot), as Position answers them, for a row being detached:
// from the reader's indexes worked out once (Reader.detIdx), not by
// finding each column per row. TestPositionsToIsPosition holds the two
// equal.
func (row Row) positionsTo(pos *[positionSlots][2]int32) {
	if row.detached {
		*pos = row.pos
		return
	}
	r := row.r
	for i, k := range r.detIdx[:r.slots] {
		if k >= len(row.rec) {
			pos[i] = [2]int32{int32(row.Line), 0}
			continue
		}
		line, col := r.sc.fieldPos(k)
		pos[i] = [2]int32{int32(line + r.offset), int32(col)}
	}
}

// Position returns the line and 1-based column of column c in this row, for
// error messages: the row's first line and column 0 when c is not mapped or
// this record is too short to hold it (there is no cell to point at).
func (row Row) Position(c Column) (line, col int) {
	if row.detached {
		if s := row.r.slot[c]; s >= 0 {
			return int(row.pos[s][0]), int(row.pos[s][1])
		}
		return row.Line, 0
	}
	idx := row.r.index[c]
	if len(idx) == 0 || idx[0] >= len(row.rec) {
		return row.Line, 0
	}
	line, col = row.r.sc.fieldPos(idx[0])
	return line + row.r.offset, col
}

// LogValue keeps a row's content out of any log line.
func (row Row) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("line", row.Line), slog.String("content", "[redacted]"))
}
