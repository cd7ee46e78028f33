// Package reviewcsv writes the dry-run's hashed CSV: one row per conversion
// per platform, exactly what would be sent, for the clinic's privacy officer
// to read before anything leaves.
//
// Column names say what a cell holds: "_sha256" columns are lower-case hex
// SHA-256; the two Google address fields sent unhashed (postal_code, country)
// have bare names, and so has fbc, Meta's click id as sent (fb.1.<ms>.<fbclid>).
// One cell may hold several values joined with ";".
//
// The file is opened in spreadsheets, so every cell that could start a
// formula is neutralised with a leading "'" (csvcell): reviewers see
// '-abc…, never a formula. Plain values were checked against their grammar
// by the pipeline (plaintext); Write refuses a conversion that was not.
package reviewcsv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/lowerhex"
	"github.com/hashgate/hashgate/internal/plaintext"
	"github.com/hashgate/hashgate/internal/sink"
)

var _ sink.Preparer = (*Writer)(nil)

// Layout says which optional columns appear.
type Layout struct {
	// Fields maps each platform to the identifier fields it receives.
	Fields map[identifier.Platform][]identifier.Field
	// BRAIDs adds gbraid and wbraid columns.
	BRAIDs bool
	// Formatted names the column of the platform's formatted click id,
	// as sent and unhashed — Meta's fbc, fb.1.<creation ms>.<fbclid>
	// (platform.FieldFBC) —; "" leaves it out.
	Formatted string
}

type column struct {
	name   string
	field  identifier.Field
	hashed bool
}

// Writer is the review CSV sink. Rows are appended to one reused buffer
// with encoding/csv's own quoting rule (the header still goes through
// encoding/csv): a string per cell and csv.Writer's checks were a sixth of
// a dry-run. The golden tests hold the output byte for byte.
type Writer struct {
	out    *bufio.Writer
	idCols []column
	braids bool
	fbc    bool
	buf    []byte
}

// New writes the header and returns the sink.
func New(w io.Writer, l Layout) (*Writer, error) {
	rw := &Writer{out: bufio.NewWriterSize(w, 1<<16), braids: l.BRAIDs, fbc: l.Formatted != ""}
	header := []string{"destination", "event_id", "event_time", "event_name", "value", "currency"}
	// The click ids under their column keys (the platforms' registry): the
	// web click id always, the app ones (gbraid, wbraid) when mapped.
	for i, id := range (&conversion.Conversion{}).ClickIDs() {
		if i == 0 || l.BRAIDs {
			header = append(header, id.Key)
		}
	}
	if l.Formatted != "" {
		header = append(header, l.Formatted)
	}
	for _, f := range identifier.Fields {
		for _, hashed := range []bool{false, true} {
			used := f == identifier.Email || f == identifier.Phone // always present: reviewers expect them
			if used && !hashed {
				continue
			}
			for p, fs := range l.Fields {
				for _, g := range fs {
					if g == f && p.Hashes(f) == hashed {
						used = true
					}
				}
			}
			if !used {
				continue
			}
			name := f.String()
			if hashed {
				name += "_sha256"
			}
			rw.idCols = append(rw.idCols, column{name: name, field: f, hashed: hashed})
			header = append(header, name)
		}
	}
	// The header goes through a separate buffer, not rw.out: flushing a
	// csv.Writer on rw.out would push it to stdout at once, and a run
	// that then stops on a structural error must leave stdout empty.
	var hb bytes.Buffer
	hw := csv.NewWriter(&hb)
	if err := hw.Write(header); err != nil {
		return nil, err
	}
	hw.Flush()
	if err := hw.Error(); err != nil {
		return nil, err
	}
	_, err := rw.out.Write(hb.Bytes())
	return rw, err
}

// Write adds one conversion.
func (rw *Writer) Write(c *conversion.Conversion) error {
	b, err := rw.render(rw.buf[:0], c)
	if err != nil {
		return err
	}
	rw.buf = b
	_, err = rw.out.Write(b)
	return err
}

// Prepare renders c's line ahead of WritePrepared (sink.Preparer): the
// line depends on c alone, and rendering uses no state of the Writer, so
// the pipeline's workers call it at once. A conversion Write would refuse
// is not prepared: Write then refuses it, if it is written at all.
//
// The pipeline holds what Prepare returns until the end of the export, in
// memory and then in a temporary file, so the digests stay 32 bytes there
// and WritePrepared spells them in hex: the line's columns after the
// destination as written, then per identifier column either a count and
// that many digests, or a plain cell as written with its length, then the
// destination cell with its length in a byte, and last the length of the
// first part in two bytes. The destination goes last so that a visit's
// lines for two platforms begin alike — the event id, time, name, value
// and click ids, often a digest too — and the pipeline holds the second
// by what it shares with the first (pipeline's encodePlain).
func (rw *Writer) Prepare(b []byte, c *conversion.Conversion) ([]byte, bool) {
	start := len(b)
	b, err := rw.afterDestination(b, c)
	if err != nil {
		return b, false
	}
	headLen := len(b) - start
	if headLen > 0xffff {
		return b, false
	}
	var ok bool
	for _, col := range rw.idCols {
		if col.hashed {
			at, n := len(b), 0
			b = append(b, 0)
			for k := range c.Identifiers {
				// By pointer: ranging by value copied each 56-byte Sent,
				// most of this loop (issue 29).
				if s := &c.Identifiers[k]; s.Field() == col.field && s.IsHashed() {
					b, n = s.AppendHash(b), n+1
				}
			}
			if n > 255 {
				return b, false
			}
			b[at] = byte(n)
			continue
		}
		at := len(b)
		if b, ok = putLen(rw.plainCell(append(b, 0, 0), c, col), at); !ok {
			return b, false
		}
	}
	at := len(b)
	b = appendField(append(b, 0), c.Platform.String())
	if len(b)-at-1 > 0xff {
		return b, false
	}
	b[at] = byte(len(b) - at - 1)
	return append(b, byte(headLen), byte(headLen>>8)), true
}

// putLen writes into b[at:at+2] the length of what follows them.
func putLen(b []byte, at int) ([]byte, bool) {
	n := len(b) - at - 2
	if n > 0xffff {
		return b, false
	}
	b[at], b[at+1] = byte(n), byte(n>>8)
	return b, true
}

// errPrepared: WritePrepared was given bytes Prepare did not make.
var errPrepared = errors.New("review CSV: malformed prepared line")

// WritePrepared writes the line Prepare made p of. It reads p twice: once
// to find where the identifier cells end and the destination begins (and
// to refuse bytes Prepare did not make, before anything is written), then
// to spell the line in order — the destination, the head, the cells — in
// the Writer's buffer. Writing the cells first and moving them up behind
// the destination and the head, as it did, zeroed and copied each line's
// cells twice more (issue 29); TestWritePreparedIsShuffled and
// FuzzWritePreparedIsShuffled hold it to that version byte for byte.
func (rw *Writer) WritePrepared(p []byte) error {
	if len(p) < 2 {
		return errPrepared
	}
	n := int(p[len(p)-2]) | int(p[len(p)-1])<<8
	p = p[:len(p)-2]
	if n > len(p) {
		return errPrepared
	}
	head, cells := p[:n], p[n:]
	at := 0 // in cells: where the identifier cells end
	for _, col := range rw.idCols {
		if col.hashed {
			if at >= len(cells) {
				return errPrepared
			}
			at += 1 + 32*int(cells[at])
		} else {
			if at+2 > len(cells) {
				return errPrepared
			}
			at += 2 + (int(cells[at]) | int(cells[at+1])<<8)
		}
		if at > len(cells) {
			return errPrepared
		}
	}
	if at >= len(cells) || at+1+int(cells[at]) != len(cells) {
		return errPrepared
	}
	dest := cells[at+1:]
	b := append(append(rw.buf[:0], dest...), head...)
	b = rw.appendCells(b, cells[:at])
	b = append(b, '\n')
	rw.buf = b
	_, err := rw.out.Write(b)
	return err
}

// appendCells spells the identifier cells WritePrepared found whole in
// cells: per column a comma, then its digests in hex joined by ";", or
// its plain cell as written.
func (rw *Writer) appendCells(b, cells []byte) []byte {
	at := 0
	for _, col := range rw.idCols {
		b = append(b, ',')
		if col.hashed {
			count := int(cells[at])
			at++
			for k := range count {
				if k > 0 {
					b = append(b, ';')
				}
				b = lowerhex.Append32(b, (*[32]byte)(cells[at:at+32]))
				at += 32
			}
			continue
		}
		n := int(cells[at]) | int(cells[at+1])<<8
		b = append(b, cells[at+2:at+2+n]...)
		at += 2 + n
	}
	return b
}

// render appends c's line to b. It reads only what New set, so it is safe
// for concurrent use.
func (rw *Writer) render(b []byte, c *conversion.Conversion) ([]byte, error) {
	b, err := rw.afterDestination(appendField(b, c.Platform.String()), c)
	if err != nil {
		return b, err
	}
	for _, col := range rw.idCols {
		b = append(b, ',')
		if col.hashed {
			// Lower-case hex digests joined by ";": nothing a spreadsheet
			// reads as a formula, nothing encoding/csv quotes (a digit or
			// a-f first, no comma, quote, line break or space), so the
			// cell goes out as is, appended in place. Scanning every
			// digest for those was a tenth of the writer
			// (TestHashedCellsNeedNoQuoting).
			first := true
			for k := range c.Identifiers {
				if s := &c.Identifiers[k]; s.Field() == col.field && s.IsHashed() {
					if !first {
						b = append(b, ';')
					}
					b, first = s.AppendText(b), false
				}
			}
			continue
		}
		b = rw.plainCell(b, c, col)
	}
	return append(b, '\n'), nil
}

// afterDestination appends the columns between the destination and the
// identifiers, from the comma after the destination, after checking c's
// plain values against their grammar.
func (rw *Writer) afterDestination(b []byte, c *conversion.Conversion) ([]byte, error) {
	if field, ok := plaintext.Check(c); !ok {
		// The pipeline drops such values; reaching here is a bug, and the
		// value must not be written whatever caused it.
		return b, fmt.Errorf("line %d: %s does not fit its grammar; not written", c.Line, field)
	}
	b = append(append(b, ','), c.EventID...)
	b = c.Time.AppendFormat(append(b, ','), time.RFC3339)
	b = appendField(append(b, ','), c.Name)
	b = append(b, ',')
	if c.HasValue {
		b = appendValue(b, c.Value)
		b = appendField(append(b, ','), c.Currency)
	} else {
		b = append(b, ',')
	}
	for i, id := range c.ClickIDs() {
		if i == 0 || rw.braids {
			b = appendField(append(b, ','), *id.Value)
		}
	}
	if rw.fbc {
		// Checked by plaintext.FBC above; "fb." first, so no formula —
		// appendField neutralises whatever would be one all the same.
		b = appendField(append(b, ','), c.Formatted)
	}
	return b, nil
}

// appendValue appends strconv.AppendFloat(b, v, 'f', -1, 64): a whole
// amount below 2^53 (most fees) as the integer it is, which spells the
// same digits without the float formatting; FuzzAppendValue holds the two
// equal.
func appendValue(b []byte, v float64) []byte {
	if v >= 1 && v < 1<<53 && v == math.Trunc(v) {
		return strconv.AppendInt(b, int64(v), 10)
	}
	return strconv.AppendFloat(b, v, 'f', -1, 64)
}

// plainCell appends the cell of an unhashed identifier column (a postal
// code, a country): its values joined by ";", then neutralised and quoted
// as one field. Rare: a small buffer on the stack.
func (rw *Writer) plainCell(b []byte, c *conversion.Conversion, col column) []byte {
	var scratch [64]byte
	cell := scratch[:0]
	for _, s := range c.Identifiers {
		if s.Field() == col.field && !s.IsHashed() {
			if len(cell) > 0 {
				cell = append(cell, ';')
			}
			cell = s.AppendText(cell)
		}
	}
	return appendField(b, unsafeString(cell))
}

// appendField appends f, neutralised if a spreadsheet would read it as a
// formula, and quoted exactly when encoding/csv would quote it.
func appendField(b []byte, f string) []byte {
	if plainField(f) {
		return append(b, f...)
	}
	if csvcell.Dangerous(f) {
		f = csvcell.Neutralise(f)
	}
	if !needsQuotes(f) {
		return append(b, f...)
	}
	b = append(b, '"')
	for i := 0; i < len(f); i++ {
		if f[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, f[i])
	}
	return append(b, '"')
}

// plainField reports whether f needs neither a leading "'" nor quotes:
// it starts with an ASCII letter or digit — so no formula and no leading
// space — and holds none of the bytes encoding/csv quotes for (',', '"',
// CR, LF). Nearly every cell of a line's head is one (the destination,
// the event name, the currency, a click id), and one table lookup a byte
// replaces csvcell.Dangerous and needsQuotes for it (issue 29).
// TestQuotingMatchesEncodingCSV and FuzzQuoting hold appendField, this
// path included, to encoding/csv after csvcell.Neutralise.
func plainField(f string) bool {
	if f == "" || !plainFirst[f[0]] {
		return false
	}
	for i := 1; i < len(f); i++ {
		if quoted[f[i]] {
			return false
		}
	}
	return true
}

var plainFirst, quoted = func() (first, q [256]bool) {
	for c := '0'; c <= '9'; c++ {
		first[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		first[c], first[c-'a'+'A'] = true, true
	}
	q[','], q['"'], q['\r'], q['\n'] = true, true, true, true
	return first, q
}()

// needsQuotes is encoding/csv's fieldNeedsQuotes for Comma ','.
func needsQuotes(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		switch f[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

func unsafeString(b []byte) string { return unsafe.String(unsafe.SliceData(b), len(b)) }

// Close flushes buffered rows.
func (rw *Writer) Close() error { return rw.out.Flush() }
