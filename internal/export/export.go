// Package export streams a clinic's appointment export one row at a time.
//
// It is one of two packages that see raw personal data (identifier is the
// other). It maps the export's header names to canonical columns, checks
// that every configured column exists before any row is read, and refuses
// bytes that are not UTF-8 instead of passing mojibake on to be hashed.
// Errors name file, line and column and a reason; they never quote a cell.
//
// Memory is flat: one record is held at a time, and its field slice is
// reused from row to row.
package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"unicode/utf8"
)

// Column is a canonical field of an appointment export.
type Column uint8

// The canonical columns, named as in the input.columns config block.
const (
	OrderID Column = iota
	AppointmentAt
	AppointmentDate
	AppointmentTime
	Status
	Email
	Phone
	FirstName
	LastName
	PostalCode
	City
	State
	Country
	Value
	Currency
	GCLID
	GBRAID
	WBRAID
	Consent
	ConsentAt
	ConsentGoogle
	ConsentMeta
	PatientKey
	AdPersonalization
	// Expect is the `hashgate check` fixture column, not a config key.
	Expect
	numColumns
)

var columnKeys = [numColumns]string{
	"order_id", "appointment_at", "appointment_date", "appointment_time", "status",
	"email", "phone", "first_name", "last_name", "postal_code", "city", "state", "country",
	"value", "currency", "gclid", "gbraid", "wbraid", "consent", "consent_at",
	"consent_google", "consent_meta", "patient_key", "ad_personalization", "expect",
}

// Key returns the column's config key (e.g. "order_id").
func (c Column) Key() string { return columnKeys[c] }

// Spec says where each canonical column is in the export.
type Spec struct {
	// Headers maps each column to the header names that hold it; several
	// names are allowed for OrderID, Email and Phone.
	Headers [numColumns][]string
	// HeaderRow is the 1-based physical line of the header.
	HeaderRow int
}

// Error is a structural problem with the file, positioned but value-free.
type Error struct {
	File   string
	Line   int
	Column int
	Reason string
}

func (e *Error) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Reason)
	case e.Column == 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Reason)
}

// Reader yields rows of one export.
type Reader struct {
	csv   *csv.Reader
	name  string
	index [numColumns][]int
	width int // the record length every mapped column fits in
}

// NewReader reads up to and including the header line and maps the spec's
// columns onto it. A configured header that the file lacks is an error here,
// before any row is processed.
func NewReader(r io.Reader, name string, spec Spec) (*Reader, error) {
	br := bufio.NewReaderSize(r, 1<<16)
	if bom, _ := br.Peek(3); len(bom) == 3 && bom[0] == 0xEF && bom[1] == 0xBB && bom[2] == 0xBF {
		_, _ = br.Discard(3) // Excel's "CSV UTF-8" BOM; encoding/csv keeps it in the first header.
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // title lines and short rows are handled here, by position
	cr.ReuseRecord = true
	rd := &Reader{csv: cr, name: name}

	headerRow := max(spec.HeaderRow, 1)
	var header []string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: name, Reason: fmt.Sprintf("no header found at or after line %d (input.header_row)", headerRow)}
		}
		if err != nil {
			return nil, rd.wrap(err)
		}
		if line, _ := cr.FieldPos(0); line >= headerRow {
			if err := rd.checkUTF8(rec); err != nil {
				return nil, err
			}
			header = rec
			break
		}
	}
	line, _ := cr.FieldPos(0)
	for c := Column(0); c < numColumns; c++ {
		for _, want := range spec.Headers[c] {
			if strings.TrimSpace(want) == "" {
				continue
			}
			at := -1
			for i, h := range header {
				if strings.EqualFold(strings.TrimSpace(h), strings.TrimSpace(want)) {
					if at >= 0 {
						return nil, &Error{File: name, Line: line, Column: i + 1,
							Reason: fmt.Sprintf("header %q (input.columns.%s) appears more than once", want, c.Key())}
					}
					at = i
				}
			}
			if at < 0 {
				return nil, &Error{File: name, Line: line,
					Reason: fmt.Sprintf("column %q (input.columns.%s) is not in the header", want, c.Key())}
			}
			rd.index[c] = append(rd.index[c], at)
			rd.width = max(rd.width, at+1)
		}
	}
	return rd, nil
}

// Mapped reports whether column c is configured.
func (r *Reader) Mapped(c Column) bool { return len(r.index[c]) > 0 }

// Next returns the next data row, or io.EOF. The row is valid until the next
// call. A row shorter than the mapped columns is returned with Short() true
// so the caller can count it; bytes that are not UTF-8 are an *Error.
func (r *Reader) Next() (Row, error) {
	for {
		rec, err := r.csv.Read()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return Row{}, io.EOF
			}
			return Row{}, r.wrap(err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a line of blanks
		}
		if err := r.checkUTF8(rec); err != nil {
			return Row{}, err
		}
		line, _ := r.csv.FieldPos(0)
		return Row{Line: line, rec: rec, r: r}, nil
	}
}

func (r *Reader) checkUTF8(rec []string) error {
	for i, f := range rec {
		if !utf8.ValidString(f) {
			line, col := r.csv.FieldPos(i)
			return &Error{File: r.name, Line: line, Column: col,
				Reason: "bytes that are not valid UTF-8 (save the export as UTF-8 CSV)"}
		}
	}
	return nil
}

// wrap turns encoding/csv's parse error into a positioned *Error. Its
// messages name the problem (a bare quote, a missing quote) and never the
// field's content.
func (r *Reader) wrap(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &Error{File: r.name, Line: pe.Line, Column: pe.Column, Reason: pe.Err.Error()}
	}
	return &Error{File: r.name, Reason: "read failed: " + err.Error()}
}

// Row is one data record of the export.
type Row struct {
	Line int
	rec  []string
	r    *Reader
	// pos holds, for a detached row, the positions of the appointment
	// columns (the only ones errors point into after reading moves on).
	pos      [2][2]int
	detached bool
}

// Detach returns a copy of the row that stays valid after Next, so it can
// be processed on another goroutine. Position then answers for the
// appointment_at and appointment_date columns.
func (row Row) Detach() Row {
	d := Row{Line: row.Line, rec: append([]string(nil), row.rec...), r: row.r, detached: true}
	for i, c := range []Column{AppointmentAt, AppointmentDate} {
		d.pos[i][0], d.pos[i][1] = row.Position(c)
	}
	return d
}

// Short reports whether the record ends before a mapped column.
func (row Row) Short() bool { return len(row.rec) < row.r.width }

// Get returns the trimmed value of column c (the first of its headers), or
// "" when it is not mapped or the record is short.
func (row Row) Get(c Column) string {
	for _, i := range row.r.index[c] {
		if i < len(row.rec) {
			return strings.TrimSpace(row.rec[i])
		}
	}
	return ""
}

// All appends the trimmed non-empty values of every header mapped to c.
func (row Row) All(c Column, dst []string) []string {
	for _, i := range row.r.index[c] {
		if i < len(row.rec) {
			if v := strings.TrimSpace(row.rec[i]); v != "" {
				dst = append(dst, v)
			}
		}
	}
	return dst
}

// Key joins the values of every header mapped to c with U+001F (a byte no
// export contains, so "A"+"BC" and "AB"+"C" differ). ok is false when c is
// not mapped or any part is blank: a partial key would merge appointments.
func (row Row) Key(c Column) (key string, ok bool) {
	idx := row.r.index[c]
	if len(idx) == 1 {
		v := row.Get(c)
		return v, v != ""
	}
	var b strings.Builder
	for n, i := range idx {
		if i >= len(row.rec) || strings.TrimSpace(row.rec[i]) == "" {
			return "", false
		}
		if n > 0 {
			b.WriteByte(0x1f)
		}
		b.WriteString(strings.TrimSpace(row.rec[i]))
	}
	return b.String(), len(idx) > 0
}

// Position returns the line and 1-based column of column c in this row, for
// error messages (0, 0 when c is not mapped).
func (row Row) Position(c Column) (line, col int) {
	if row.detached {
		switch c {
		case AppointmentAt:
			return row.pos[0][0], row.pos[0][1]
		case AppointmentDate:
			return row.pos[1][0], row.pos[1][1]
		}
		return row.Line, 0
	}
	idx := row.r.index[c]
	if len(idx) == 0 || idx[0] >= len(row.rec) {
		return row.Line, 0
	}
	return row.r.csv.FieldPos(idx[0])
}

// LogValue keeps a row's content out of any log line.
func (row Row) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("line", row.Line), slog.String("content", "[redacted]"))
}
