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
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/csvcell"
	"github.com/hashgate/hashgate/internal/identifier"
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
func (rw *Writer) Prepare(b []byte, c *conversion.Conversion) ([]byte, bool) {
	b, err := rw.render(b, c)
	return b, err == nil
}

// WritePrepared writes a line Prepare rendered.
func (rw *Writer) WritePrepared(p []byte) error {
	_, err := rw.out.Write(p)
	return err
}

// render appends c's line to b. It reads only what New set, so it is safe
// for concurrent use.
func (rw *Writer) render(b []byte, c *conversion.Conversion) ([]byte, error) {
	if field, ok := plaintext.Check(c); !ok {
		// The pipeline drops such values; reaching here is a bug, and the
		// value must not be written whatever caused it.
		return b, fmt.Errorf("line %d: %s does not fit its grammar; not written", c.Line, field)
	}
	b = appendField(b, c.Platform.String())
	b = append(append(b, ','), c.EventID...)
	b = c.Time.AppendFormat(append(b, ','), time.RFC3339)
	b = appendField(append(b, ','), c.Name)
	b = append(b, ',')
	if c.HasValue {
		b = strconv.AppendFloat(b, c.Value, 'f', -1, 64)
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
			for _, s := range c.Identifiers {
				if s.Field() == col.field && s.IsHashed() {
					if !first {
						b = append(b, ';')
					}
					b, first = s.AppendText(b), false
				}
			}
			continue
		}
		// A plain cell (a postal code, a country) is joined first, then
		// neutralised and quoted as one field. Rare: a small buffer on the
		// stack.
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
		b = appendField(b, unsafeString(cell))
	}
	return append(b, '\n'), nil
}

// appendField appends f, neutralised if a spreadsheet would read it as a
// formula, and quoted exactly when encoding/csv would quote it.
func appendField(b []byte, f string) []byte {
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
