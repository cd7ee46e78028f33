// Package export streams a clinic's appointment export one row at a time.
//
// It is one of two packages that see raw personal data (identifier is the
// other). It maps the export's header names to canonical columns, checks
// that every configured column exists before any row is read, and refuses
// bytes that are not UTF-8 instead of passing mojibake on to be hashed.
// Errors name file, line and column and a reason; they never quote a cell.
//
// Memory is flat whatever a cell holds: one record is held at a time, its
// field slice is reused from row to row, and a record larger than
// Spec.MaxRecordBytes is skipped without being held and comes back as a
// refused row (Row.Refused). See scanner for the CSV dialect.
package export

import (
	"bufio"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/platform"
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
	// Source is read by `hashgate channels` only; FBCLID and BookedAt by
	// it and by uploads (Meta's fbc, dated by the booking).
	Source
	FBCLID
	BookedAt
	// BirthDate and ConsentExpiresAt are read for the age and expiry
	// rules only (consent/patient.go).
	BirthDate
	ConsentExpiresAt
	// Clinic names the clinic a row belongs to, judged against
	// input.clinic_values (pipeline's clinic.go) and never sent.
	Clinic
	// Expect is the `hashgate check` fixture column, not a config key.
	Expect
	numColumns
)

// columnKeys are the config keys; the columns that belong to one platform
// (its click ids, its own consent column) take theirs from the platforms'
// home, internal/platform, the one place they are spelled.
var columnKeys = [numColumns]string{
	"order_id", "appointment_at", "appointment_date", "appointment_time", "status",
	"email", "phone", "first_name", "last_name", "postal_code", "city", "state", "country",
	"value", "currency", platform.KeyGCLID, platform.KeyGBRAID, platform.KeyWBRAID, "consent", "consent_at",
	platform.KeyConsentGoogle, platform.KeyConsentMeta, "patient_key", platform.KeyAdPersonalization, "source",
	platform.KeyFBCLID, "booked_at", "birth_date", "consent_expires_at", "clinic", "expect",
}

// Key returns the column's config key (e.g. "order_id").
func (c Column) Key() string { return columnKeys[c] }

// setting names what maps the column, for errors: its config key, or for
// Expect the fixture column `hashgate check` reads, which no config key
// maps (its error named "input.columns.expect", a key that does not exist).
func (c Column) setting() string {
	if c == Expect {
		return "the expect column of a check fixture"
	}
	return "input.columns." + columnKeys[c]
}

// ColumnByKey returns the column whose config key is key ("order_id").
func ColumnByKey(key string) (Column, bool) {
	for c := Column(0); c < numColumns; c++ {
		if columnKeys[c] == key {
			return c, true
		}
	}
	return 0, false
}

// Spec says where each canonical column is in the export and how the file
// is written.
type Spec struct {
	// Headers maps each column to the header names that hold it; several
	// names are allowed for OrderID, Email and Phone.
	Headers [numColumns][]string
	// HeaderRow is the 1-based physical line of the header; 0 finds it
	// among the first lines by the header names (title lines above it).
	HeaderRow int
	// Encoding is one of Encodings; "" means auto.
	Encoding string
	// EncodingKey is the setting messages about the encoding name: ""
	// is input.encoding; a spend download's is spend.<platform>.encoding.
	EncodingKey string
	// Delimiter separates fields; 0 detects comma, semicolon, tab or pipe
	// from the header line.
	Delimiter rune
	// SkipFooter drops this many records at the end of the file (report
	// totals such as 合計).
	SkipFooter int
	// MaxRecordBytes bounds the bytes of one record (input.max_record_bytes);
	// 0 means DefaultMaxRecordBytes. A larger record is refused as a row.
	MaxRecordBytes int
	// Probe adds header names that help find the header line but need not
	// be present (`hashgate inspect`). With only Probe names, a file where
	// none is found is read with its first line as the header.
	Probe []string
	// Known, when set, says whether a header cell is a header word of the
	// caller's (by similarity as well as by exact name): the header line is
	// then chosen from known words and the change of value shapes below it,
	// so that unknown clinical or vendor columns do not hide it (inspect,
	// config init).
	Known func(cell string) bool
}

// Layout is what the reader found out about the file, for reports and
// `hashgate inspect`.
type Layout struct {
	Encoding   string // the encoding used (detected or declared)
	Delimiter  rune
	HeaderLine int // physical line of the header
	Header     []string
	// HeaderMatches counts header cells that matched a configured or probe
	// name; 0 means the first line was taken as the header for want of one.
	HeaderMatches int
	// Above holds the lines above the header (a report's title and date
	// range), decoded. Spend downloads read their date range from it; it
	// is never printed.
	Above []string
	// ShapeChanges counts the columns whose values change shape below the
	// header line (a word above dates or numbers), when Spec.Known was set:
	// 0 means the line could be a row of data.
	ShapeChanges int
	// DataCells counts the header line's cells shaped like data (an
	// address, a run of four digits), when Spec.Known was set: a line with
	// any is no header, but the first row of a headerless export.
	DataCells int
}

// Reader yields rows of one export.
type Reader struct {
	sc    *scanner
	name  string
	index [numColumns][]int
	// A detached row keeps the positions of the mapped columns of
	// detachedPositions only, in slots handed out here once (see
	// positionSlots): slot[c] is column c's slot, -1 when it has none;
	// detIdx[s] is the field index (index[c][0]) of the column in slot s,
	// and slots how many are taken. Finding each column among
	// detachedPositions and in index per row was a tenth of reading a
	// row (issue 29; rowPositions).
	// formulaIdx: the fields Row.Formula judges, each once.
	formulaIdx []int
	slot       [numColumns]int8
	detIdx     [positionSlots]int
	slots      int
	width      int // the record length every mapped column fits in
	// header is the header line's cells, trimmed: a record equal to it
	// further down is the header again (two exports joined), skipped
	// and counted (repeated, firstRepeat), never a row.
	header      []string
	repeated    int
	firstRepeat int
	words       *headerWords // the header's names, to know a different header below it (otherHeader)
	// named is the header's cells up to its last named one: a header that
	// ends in an empty cell (a trailing delimiter) names no column there.
	named  int
	offset int    // physical lines above the header line
	legacy bool   // decoded from a legacy code page: U+FFFD marks a bad byte
	encKey string // the setting of the encoding, for messages
	layout Layout

	// shortest is the fewest cells a data record has had so far (0 before
	// the first): a last record without a line break, shorter than that
	// and short of a mapped column, was cut off (reasonCut).
	shortest int

	footer  int   // records held back in case they are the footer
	pending []Row // detached rows waiting for SkipFooter
	eof     bool
}

// NewReader detects the encoding, finds the header line and the delimiter,
// reads the header and maps the spec's columns onto it. A configured header
// that the file lacks is an error here, before any row is processed.
func NewReader(r io.Reader, name string, spec Spec) (*Reader, error) {
	var names []string
	for _, hs := range spec.Headers {
		names = append(names, hs...)
	}
	configured := len(names) > 0
	names = append(names, spec.Probe...)
	if d := spec.Delimiter; d != 0 && (d >= utf8.RuneSelf || d == '"' || d == '\r' || d == '\n') {
		return nil, &Error{File: name, Reason: fmt.Sprintf("delimiter %q cannot separate fields (input.delimiter)", d)}
	}
	key := cmp.Or(spec.EncodingKey, "input.encoding")
	text, enc, err := decodeInput(r, name, spec.Encoding, key, names)
	if err != nil {
		return nil, err
	}
	tb := bufio.NewReaderSize(newCRToLF(text), sniffBytes)
	head, err := tb.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, &Error{File: name, Reason: "read failed: " + err.Error(), Err: err}
	}
	if len(head) == 0 {
		return nil, &Error{File: name, Reason: "the file is empty (0 bytes): was the export written completely?"}
	}
	lay := findHeader(head, names, spec.Delimiter, spec.HeaderRow, spec.Known)
	if !lay.found && spec.HeaderRow > 0 {
		return nil, &Error{File: name, Reason: fmt.Sprintf("no header at line %d (input.header_row): the file ends, or its first %d KiB end, above it", spec.HeaderRow, sniffBytes>>10)}
	}
	if spec.HeaderRow == 0 && lay.score == 0 && configured {
		// Read in a declared legacy code page, an export re-saved as
		// UTF-8 has no header either: name the encoding too.
		hint := ""
		if enc != EncodingUTF8 {
			hint = fmt.Sprintf(", %s (read as %s)", key, enc)
		}
		return nil, &Error{File: name, Reason: fmt.Sprintf(
			"header not found: no line among the first %d holds any configured column name (check input.columns%s, or set input.header_row)%s", maxHeaderLines, hint, encodingHint(key, spec.Encoding, enc))}
	}
	var above []string // copied before Discard lets the buffer move on
	if lay.skip > 0 && lay.skip <= len(head) {
		above = strings.Split(strings.TrimSuffix(string(head[:lay.skip]), "\n"), "\n")
	}
	if _, err := tb.Discard(lay.skip); err != nil {
		return nil, &Error{File: name, Reason: "read failed: " + err.Error(), Err: err}
	}
	sc := newScanner(tb, byte(lay.delim), spec.MaxRecordBytes, 1)
	rd := &Reader{sc: sc, name: name, offset: lay.line - 1, legacy: enc != EncodingUTF8, footer: max(spec.SkipFooter, 0), encKey: key}
	rd.layout = Layout{Encoding: enc, Delimiter: lay.delim, HeaderLine: lay.line, HeaderMatches: lay.score, ShapeChanges: lay.changes, DataCells: lay.dataCells}
	rd.layout.Above = above

	header, err := sc.read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{File: name, Reason: fmt.Sprintf("no header at line %d (input.header_row)", lay.line)}
	}
	if errors.Is(err, errTooLarge) && sc.wide() {
		// Before anything is mapped or sent: each column costs every
		// command memory, whatever the rows (MaxColumns).
		return nil, &Error{File: name, Line: lay.line, Reason: fmt.Sprintf(reasonHeaderWide, sc.fields, sc.maxFields)}
	}
	if errors.Is(err, errTooLarge) {
		return nil, &Error{File: name, Line: lay.line, Reason: fmt.Sprintf("the header line is larger than input.max_record_bytes (%d bytes)", sc.limit)}
	}
	if err != nil {
		return nil, rd.wrap(err)
	}
	if err := rd.checkText(header); err != nil {
		return nil, err
	}
	rd.layout.Header = append([]string(nil), header...)
	for i, h := range header {
		rd.header = append(rd.header, trim(h))
		if rd.header[i] != "" {
			rd.named = i + 1
		}
	}
	line := lay.line
	folded := make([]string, len(header))
	for i, h := range header {
		folded[i] = foldHeader(h)
	}
	for c := Column(0); c < numColumns; c++ {
		for _, want := range spec.Headers[c] {
			w := foldHeader(want)
			if w == "" {
				continue
			}
			at := -1
			for i, h := range folded {
				if h == w {
					if at >= 0 {
						return nil, &Error{File: name, Line: line, Column: i + 1,
							Reason: fmt.Sprintf("header %q (%s) appears more than once", want, c.setting())}
					}
					at = i
				}
			}
			if at < 0 {
				return nil, &Error{File: name, Line: line, MissingKey: c.Key(),
					Reason: fmt.Sprintf("column %q (%s) is not in the header (%s, delimiter %s)%s%s", want, c.setting(), enc, DelimiterName(lay.delim),
						nearestHeader(want, header, lay.score > 0 && dataCells(header) == 0), encodingHint(key, spec.Encoding, enc))}
			}
			rd.index[c] = append(rd.index[c], at)
			rd.width = max(rd.width, at+1)
		}
	}
	rd.mapFormulas()
	rd.mapLiterals()
	for c := range rd.slot {
		rd.slot[c] = -1
	}
	for _, c := range detachedPositions {
		if idx := rd.index[c]; len(idx) > 0 && rd.slots < positionSlots {
			rd.slot[c], rd.detIdx[rd.slots] = int8(rd.slots), idx[0]
			rd.slots++
		}
	}
	return rd, nil
}

// Layout reports the encoding, delimiter and header the reader settled on.
func (r *Reader) Layout() Layout { return r.layout }

// Mapped reports whether column c is configured.
func (r *Reader) Mapped(c Column) bool { return len(r.index[c]) > 0 }

// Indices are the positions, in a row's Cells, of the columns c is read
// from (none when c is not mapped).
func (r *Reader) Indices(c Column) []int { return slices.Clone(r.index[c]) }

// Footer returns the records SkipFooter held back, once Next has returned
// io.EOF: read, never handed out as rows (`hashgate check` judges what
// their expect cells say of them). Nil before the end.
func (r *Reader) Footer() []Row {
	if !r.eof {
		return nil
	}
	return r.pending
}

// Next returns the next data row, or io.EOF. The row is valid until the next
// call. A row shorter than the mapped columns is returned with Short() true
// so the caller can count it; bytes that are not text in the file's
// encoding are an *Error. With SkipFooter, the last records are held back
// and never returned.
func (r *Reader) Next() (Row, error) {
	if r.footer == 0 {
		return r.handOut(r.next())
	}
	for !r.eof && len(r.pending) <= r.footer {
		row, err := r.next()
		if errors.Is(err, io.EOF) {
			r.eof = true
			break
		}
		if err != nil {
			return Row{}, err
		}
		r.pending = append(r.pending, row.Detach())
	}
	if len(r.pending) <= r.footer {
		return Row{}, io.EOF // what is left is the footer
	}
	row := r.pending[0]
	r.pending = r.pending[1:]
	return r.handOut(row, nil)
}

func (r *Reader) next() (Row, error) {
	for {
		rec, err := r.sc.read()
		if err != nil {
			switch {
			case errors.Is(err, io.EOF):
				return Row{}, io.EOF
			case errors.Is(err, errTooLarge):
				line := r.sc.start + r.offset
				reason := fmt.Sprintf(reasonTooLarge, r.sc.limit)
				if r.sc.wide() {
					reason = fmt.Sprintf(reasonTooWide, r.sc.fields, r.sc.maxFields)
				}
				return Row{Line: line, r: r, refused: &Error{File: r.name, Line: line, Reason: reason}}, nil
			}
			return Row{}, r.wrap(err)
		}
		if blank(rec) {
			continue // a line of blanks or of bare delimiters
		}
		if r.isHeader(rec) {
			// Two exports joined into one file (`copy a.csv+b.csv`, cat):
			// the second's header is no row. Counted as one it was
			// excluded for its consent cell, the word "consent" (a review
			// of Windows-saved exports).
			if r.repeated++; r.repeated == 1 {
				line, _ := r.sc.fieldPos(0)
				r.firstRepeat = line + r.offset
			}
			continue
		}
		if err := r.otherHeader(rec); err != nil {
			return Row{}, err
		}
		if err := r.checkText(rec); err != nil {
			return Row{}, err
		}
		line, _ := r.sc.fieldPos(0)
		cut := r.cutShort(rec) // said when handed out as a row (handOut), never of a footer
		if !cut && (r.shortest == 0 || len(rec) < r.shortest) {
			r.shortest = len(rec)
		}
		return Row{Line: line + r.offset, rec: rec, r: r, cut: cut, eq: r.sc.eq, lit: r.sc.lit}, nil
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		if trim(f) != "" {
			return false
		}
	}
	return true
}

// checkText refuses bytes that are not UTF-8 and, in a file decoded from a
// legacy code page, the U+FFFD the decoder put in place of a bad sequence:
// hashing mojibake would send identifiers nobody can ever match. The error
// points at the bad byte itself.
func (r *Reader) checkText(rec []string) error {
	if goodText(r.sc.whole, rec, r.legacy) {
		return nil
	}
	for i, f := range rec {
		at := badText(f, r.legacy)
		if at < 0 {
			continue
		}
		line, col := r.sc.fieldPos(i)
		line, col = offsetPos(line, col, f, at, r.sc.quoted(i))
		reason := fmt.Sprintf("bytes that are not valid UTF-8 (save the export as UTF-8 CSV, or set %s)", r.encKey)
		if r.legacy {
			reason = fmt.Sprintf("bytes that are not valid %s (check %s, or set %[2]s: auto)", r.layout.Encoding, r.encKey)
		}
		return &Error{File: r.name, Line: line + r.offset, Column: col, Reason: reason}
	}
	return nil
}

// goodText reports whether no cell of rec holds what badText looks for,
// given that rec's cells are whole cut in pieces, in order — as the
// scanner makes them — or whole cut at ASCII separators that are not
// part of any cell, as its fast path makes them (a separator is a
// character of its own in valid UTF-8, and never part of a U+FFFD). It reads the record once, eight ASCII bytes at a
// time (utf8.ValidString), instead of each cell byte by byte: that walk
// was a fifth of reading the export (issue 29). Exact, not a heuristic:
// cells of valid UTF-8 join into valid UTF-8, so an invalid record has a
// bad cell; a valid record cut inside a character leaves a cell that
// starts with a continuation byte, which is bad; and a U+FFFD is in a
// cell unless it straddles a cut, which again starts a cell with a
// continuation byte. FuzzGoodText holds it to badText cell by cell.
func goodText(whole string, rec []string, legacy bool) bool {
	if !utf8.ValidString(whole) || legacy && strings.ContainsRune(whole, utf8.RuneError) {
		return false
	}
	for _, f := range rec {
		if len(f) > 0 && !utf8.RuneStart(f[0]) {
			return false
		}
	}
	return true
}

// badText returns the byte offset of the first invalid UTF-8 sequence in f
// (or, when legacy, of the first U+FFFD), or -1.
func badText(f string, legacy bool) int {
	for i := 0; i < len(f); {
		if f[i] < utf8.RuneSelf {
			i++
			continue
		}
		c, size := utf8.DecodeRuneInString(f[i:])
		if c == utf8.RuneError && (size == 1 || legacy) {
			return i
		}
		i += size
	}
	return -1
}

// offsetPos moves a field's start position to byte at of its content,
// across the line breaks a quoted field may hold.
func offsetPos(line, col int, f string, at int, quoted bool) (int, int) {
	if quoted {
		col++ // the opening quote
	}
	before := f[:at]
	if nl := strings.LastIndexByte(before, '\n'); nl >= 0 {
		return line + strings.Count(before, "\n"), at - nl
	}
	return line, col + at
}

// wrap turns the scanner's error into a positioned *Error. Its reasons are
// fixed text and never carry the field's content.
func (r *Reader) wrap(err error) error {
	var se *scanError
	if errors.As(err, &se) {
		return &Error{File: r.name, Line: se.line + r.offset, Column: se.col, Reason: se.reason}
	}
	return &Error{File: r.name, Reason: "read failed: " + err.Error(), Err: err}
}

// detachedPositions are the columns a detached row keeps positions for:
// the ones errors point into after reading has moved on (consent:
// pipeline's consentDrift; the birth date and the expiry: pipeline's
// patient.go, whose errors named column 0 while they were left out; the
// clinic: pipeline's clinic.go, whose stop names the first other
// clinic's cell; the fee: pipeline's valuecell.go, whose summary line
// names the first unreadable one).
var detachedPositions = [...]Column{AppointmentAt, AppointmentDate, ConsentAt, BookedAt, OrderID, Consent, ConsentGoogle, ConsentMeta, BirthDate, ConsentExpiresAt, Clinic, Value}

// positionSlots is how many positions a detached row has room for: one
// per mapped column of detachedPositions, not one per column, so that a
// column added there costs a row nothing unless it is mapped, and the
// room is what a config can map at once — appointment_at and
// appointment_date exclude each other (config's validate), so nine of
// the ten. Each slot is 8 bytes of every Row, which is copied by value
// several times a row (Row.pos): ten fixed slots made a Row 136 bytes,
// nine make it 128 (120 with the eight before the birth date and the
// expiry). The other way, judging those cells while the row is still
// attached to the reader, would parse every birth date and expiry on
// the reader's one goroutine instead of the workers', and hold the
// parsed dates in the row instead: more bytes a row, not fewer. A spec
// that maps all ten leaves the last without a slot: its errors name
// the line, column 0 (Position). The clinic column (input.columns.clinic),
// added since, is last and takes no slot of its own, for the same 128
// bytes: it keeps its position unless every other column of the list is
// mapped too (nine at once), when its stop names the line and column 0.
// Nor does the fee, after it: with eight others mapped, its line alone.
const positionSlots = len(detachedPositions) - 3

// timeColumns are the columns whose cells the pipeline reads as the
// appointment's time: a part of a composite key that is one of them
// enters OrderKey as the time read, not as the text written.
var timeColumns = [...]Column{AppointmentAt, AppointmentDate, AppointmentTime}
