package export

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/printable"
)

// Two exports joined into one file (`cat a.csv b.csv`, `copy a.csv+b.csv`)
// bring the second's header line along. The same header is skipped and
// counted (isHeader). A different one — the nights exported with their
// columns moved, added or removed — is a file of two layouts, which no
// config reads: its rows read with the first header's positions sent a
// chart number as the order id (every visit uploaded again as a new
// conversion) or were malformed, with exit 0 (a review with real
// multi-night ledgers, 2026-12-07). Such a header stops the read before
// its rows, and so before anything is sent; its columns are never mapped
// anew, since a joined file of two layouts is not one export.
const (
	reasonSecondHeader = "a second header, different from the first (columns moved/added/removed): exports with different columns joined into one file — run them one by one or export them again together"
	reasonGluedHeader  = "a second header on the line of the last row above it (the first export ends without a line break): exports joined into one file — run them one by one, or export them again together"
)

// headerWords are the header line's names, folded as the config's names
// are matched to them (foldHeader), to know a header below it that is not
// the same line.
type headerWords struct {
	at     map[string]int // folded name → its first cell
	folded []string       // each header cell folded
	lens   uint64         // bit n: a name of n bytes (bit 63: longer), to pass over ASCII cells at once
	need   int            // the names a record must hold to be a header; 0: never judged
	// mapped: bit i, cell i's name is a configured column's; mappedNeed
	// how many such names. seen is header's scratch: a bit a name.
	mapped     []uint64
	mappedNeed int
	seen       []uint64
}

func newHeaderWords(r *Reader) *headerWords {
	w := &headerWords{at: map[string]int{}}
	// Only a header found by its names, none of them shaped like data:
	// the first line taken as the header for want of one (inspect of a
	// headerless export) is a row, and the rows below share its words.
	if r.layout.HeaderMatches == 0 || r.layout.DataCells > 0 {
		return w
	}
	for i, h := range r.header {
		f := foldHeader(h)
		w.folded = append(w.folded, f)
		if _, dup := w.at[f]; f == "" || dup || printable.IdentifierShaped(h) {
			continue
		}
		w.at[f] = i
		w.lens |= 1 << min(len(f), 63)
	}
	w.need = max(2, len(w.at)/2+1) // most of them
	words := (len(r.header) + 63) / 64
	w.mapped, w.seen = make([]uint64, words), make([]uint64, words)
	for c := range r.index {
		for _, i := range r.index[c] {
			if at, ok := w.at[w.folded[i]]; ok && w.mapped[at/64]&(1<<(at%64)) == 0 {
				w.mapped[at/64] |= 1 << (at % 64)
				w.mappedNeed++
			}
		}
	}
	return w
}

// name reports whether cell c is one of the header's names, and which
// (-1: not; -2: blank). An ASCII cell (nearly every data cell) is folded
// without allocating, and only when its length is a name's.
func (w *headerWords) name(c string) int {
	if !isASCIIString(c) {
		return w.lookup(foldHeader(c))
	}
	return w.asciiName(c)
}

// asciiName is name for an ASCII cell.
func (w *headerWords) asciiName(c string) int {
	t := strings.TrimSpace(c)
	switch {
	case t == "":
		return -2
	case len(t) >= 63:
		return w.lookup(foldHeader(t))
	case w.lens&(1<<len(t)) == 0:
		return -1
	}
	var buf [63]byte
	for i := 0; i < len(t); i++ {
		b := t[i]
		if 'A' <= b && b <= 'Z' {
			b += 'a' - 'A'
		}
		buf[i] = b
	}
	return w.lookup(string(buf[:len(t)]))
}

func (w *headerWords) lookup(f string) int {
	if f == "" {
		return -2
	}
	if i, ok := w.at[f]; ok {
		return i
	}
	return -1
}

// header reports whether cells read as a header of the same export's
// columns: most of the header's names (need; each counted once), no cell
// shaped like data (an e-mail, a run of four digits), and more names than
// other words — or every configured column's name (two at least),
// whatever other words it carries: an export that added as many columns
// as it had still holds the columns the config reads, and read as a row
// its header was malformed and its rows read with the first header's
// positions. A data row whose first cell happens to be a name — or two —
// is no header: a false stop would stop a clinic's night.
func (w *headerWords) header(cells []string) bool {
	if w.need == 0 {
		return false
	}
	clear(w.seen)
	known, other, mapped := 0, 0, 0
	allMapped := w.mappedNeed >= 2 // every configured name: still possible
	for i, c := range cells {
		// A cell shaped like data (dataCells) makes no header: an ASCII
		// one is told in the scan that finds it ASCII, so a data row is
		// passed over at its first such cell (its order id, nearly
		// always) rather than after most of its cells were looked up
		// (issue 29: the check was 4% of a 1M-row dry-run, on the
		// reader's one goroutine).
		at := 0
		switch ascii, data := asciiShape(c); {
		case ascii && data:
			return false
		case ascii:
			at = w.asciiName(c)
		default:
			at = w.lookup(foldHeader(c))
		}
		switch {
		case at == -2:
		case at == -1:
			other++
		case w.seen[at/64]&(1<<(at%64)) == 0:
			w.seen[at/64] |= 1 << (at % 64)
			known++
			if w.mapped[at/64]&(1<<(at%64)) != 0 {
				mapped++
			}
		}
		left := len(cells) - i - 1
		allMapped = allMapped && mapped+left >= w.mappedNeed
		if known+left < w.need || 2*other >= len(cells) && !allMapped {
			return false // too few names, or names can no longer outnumber the rest
		}
	}
	if known < w.need || known <= other && (w.mappedNeed < 2 || mapped < w.mappedNeed) {
		return false
	}
	return dataCells(cells) == 0
}

// asciiShape reports whether c is ASCII and, if so, whether it is shaped
// like data as printable.IdentifierShaped says (an '@', or four digits in
// a row: NFKC leaves ASCII as it is), in one pass. data is meaningful
// only when ascii is set.
func asciiShape(c string) (ascii, data bool) {
	run := 0
	for i := 0; i < len(c); i++ {
		switch b := c[i]; {
		case b >= utf8.RuneSelf:
			return false, false
		case b == '@' || '0' <= b && b <= '9' && run == 3:
			return isASCIIString(c[i:]), true
		case '0' <= b && b <= '9':
			run++
		default:
			run = 0
		}
	}
	return true, false
}

// glued reports whether cell c, the last of a row of the first header's
// width, ends in one of the header's names with more before it: a row's
// last cell run into the next export's first header name, as a first
// export that ends without a line break leaves it. A header's own cell
// there (its added columns in front) is a word of its own.
func (w *headerWords) glued(c string) bool {
	f := foldHeader(c)
	for name := range w.at {
		if len(f) > len(name) && strings.HasSuffix(f, name) {
			return true
		}
	}
	return false
}

// otherHeader stops the read at a header other than the first (see
// reasonSecondHeader), and at a header joined to the row above it by a
// first export that ends without a line break: that row, long by the
// header's cells, was counted malformed_row and its visit lost. A line
// that reads both ways — a row of the first width whose tail is a header,
// and a header as a whole — is the glued one only when the cell where the
// two would meet runs a name into the text before it.
func (r *Reader) otherHeader(rec []string) error {
	w := r.headerWords()
	n := len(r.header)
	tail := len(rec) > n && n > 0 && w.header(rec[n:])
	reason := ""
	switch {
	case tail && !w.header(rec):
		reason = reasonGluedHeader
	case tail && w.glued(rec[n-1]):
		reason = reasonGluedHeader
	case tail || w.header(rec):
		reason = reasonSecondHeader
	default:
		return nil
	}
	line, _ := r.sc.fieldPos(0)
	return &Error{File: r.name, Line: line + r.offset, Reason: reason}
}

func (r *Reader) headerWords() *headerWords {
	if r.words == nil {
		r.words = newHeaderWords(r)
	}
	return r.words
}

// isHeader reports whether rec repeats the header line: the same cells,
// trimmed, and nothing after them. The first cell decides for nearly every
// row. Names that fold to the first's (foldHeader: case, full-width, a
// zero-width space), in the same places, are the same header too: they
// map every column as the first header does. They stopped the night as a
// header different from the first.
func (r *Reader) isHeader(rec []string) bool {
	if len(r.header) == 0 || len(rec) == 0 {
		return false
	}
	if trim(rec[0]) != r.header[0] {
		if w := r.headerWords(); w.need == 0 || w.name(rec[0]) != 0 {
			return false
		}
	}
	for i, c := range rec {
		h := ""
		if i < len(r.header) {
			h = r.header[i]
		}
		if t := trim(c); t != h && !r.headerWords().sameName(t, i) {
			return false
		}
	}
	for _, h := range r.header[min(len(rec), len(r.header)):] {
		if h != "" { // a record that stops short of a named column is no header
			return false
		}
	}
	return true
}

// sameName reports whether cell t, trimmed, names header cell i as the
// config's names are matched (foldHeader).
func (w *headerWords) sameName(t string, i int) bool {
	return w.need > 0 && i < len(w.folded) && foldHeader(t) == w.folded[i]
}

// RepeatedHeaders reports how many records repeated the header line, and
// the line of the first: skipped, never rows.
func (r *Reader) RepeatedHeaders() (n, firstLine int) { return r.repeated, r.firstRepeat }

// RepeatedHeaderNote is the one sentence every command says of them
// (firstLine 0 when not known), so upload, inspect and channels agree.
func RepeatedHeaderNote(n, firstLine int) string {
	at := ""
	if firstLine > 0 {
		at = fmt.Sprintf(", first on line %d", firstLine)
	}
	return fmt.Sprintf("the header line repeated %d time(s) below it%s (exports joined into one file?): skipped, not rows", n, at)
}
