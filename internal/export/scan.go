package export

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"unicode/utf8"
	"unsafe"
)

// DefaultMaxRecordBytes is the record size limit when input.max_record_bytes
// is not set: a clinic's appointment row is a few hundred bytes, a long note
// a few KiB; a megabyte is a pasted document or a broken file.
const DefaultMaxRecordBytes = 1 << 20

// MaxColumns bounds the cells of one record, the header's included. Each
// cell costs the reader, and every command after it, memory of its own
// however empty it is: a 1 MB line of a million commas was within
// input.max_record_bytes and took inspect 1.25 GB, an upload's dry run
// 215 MB (a security review). It is Google Sheets' column limit (ZZZ),
// the widest of the spreadsheets clinics open and save exports in —
// Excel's is 16,384 (XFD; support.microsoft.com, "Excel specifications
// and limits"), LibreOffice Calc's the same since 7.4 — while the
// widest clinic export known (testdata/exports) has 20 columns: no
// export a spreadsheet can hold is refused, and what a record costs per
// cell stays a few MB at most.
const MaxColumns = 18278

// Reasons of the scanner's errors. They are fixed text: no cell ever
// reaches them.
const (
	reasonUnterminated = "a quoted field opens here and never closes: the rest of the file would be read as one cell (a stray \" — close it, or double it as \"\" inside the quotes)"
	reasonStrayQuote   = "the quoted field that opens here is closed by a quote followed by more text on line %d (a stray \" — double it as \"\" inside a quoted field)"
	reasonTooLarge     = "record larger than input.max_record_bytes (%d bytes): row refused"
	reasonTooWide      = "record of %d cells, more than the %d columns hashgate reads (as many as a spreadsheet holds): row refused"
	reasonHeaderWide   = "the header line has %d columns, more than the %d hashgate reads (as many as a spreadsheet holds): no clinic export is that wide — is this the export? Nothing was read"
	reasonCut          = "the export ends inside this record: it has no line break and fewer cells than the columns read (a copy or a pipe cut short?); what it lacks cannot be read: run again on the whole export"
)

// ReasonRecordTooLarge is the exclusion reason of a row refused for its
// size (Row.Refused).
const ReasonRecordTooLarge = "record_too_large"

// scanner splits decoded UTF-8 text into CSV records, RFC 4180 as Excel
// writes it, with the limits hostile input needs. encoding/csv cannot be
// bounded: it holds a whole physical line, and a whole quoted field, in
// memory whatever their size, and reports a quote that never closes where
// the file ends, not where it opened.
//
//   - Memory is flat: at most limit bytes of a record are kept. A larger
//     record is still parsed to its end (without keeping its bytes, so the
//     next record starts in the right place) and then refused as a row,
//     positioned at the line where it began.
//   - A quoted field that never closes, or is "closed" by a quote followed
//     by text, is a structural error positioned where the field opened:
//     after it, the reader cannot tell where any later record starts.
//   - A quote inside an unquoted field (5'10", Bob "Bobby" Lee) is kept as
//     text, as Excel and Python's csv read it: the record's bounds are not
//     in doubt.
//   - Lines end with "\n" or "\r\n"; lone "\r" (old Mac files) was turned
//     into "\n" before (crToLF). Inside quotes, "\r\n" is read as "\n".
//
// It reads lines with bufio.Reader.ReadSlice, so the hot path copies each
// field once, like encoding/csv, and lines longer than the buffer arrive in
// pieces that the state machine below carries across.
type scanner struct {
	r     *bufio.Reader
	comma byte
	limit int
	// maxFields bounds the cells of a record (MaxColumns); fields counts
	// the current record's, kept on once it is dropped, so that a refusal
	// can say how many it had.
	maxFields int
	fields    int

	line int // line of the next segment
	col  int // 1-based column of the next segment's first byte

	buf    []byte     // the record's field contents
	ends   []int      // end of each field in buf
	pos    []fieldPos // where each field starts
	rec    []string   // reused record
	whole  string     // the last record's cells, one after the other
	start  int        // line where the current record began
	over   bool       // the record outgrew limit: its bytes are dropped
	begun  bool       // a field of the record has started
	quoteL int        // where the open quoted field began
	quoteC int
	// fast: the last record was a whole line without a quote, split in
	// place (readLine): whole is the line as written, separators
	// included, ends holds where each field starts in it, and pos is
	// not kept — every field is on line fastLine, at column fastCol
	// plus its start. general turns the fast path off (tests hold the
	// two paths to each other).
	fast     bool
	fastLine int
	fastCol  int
	general  bool
	// borrow: the record's cells (and whole) are views of the scanner's
	// buffers, not a string of their own, valid only until the next read
	// (Reader.NextTo, which copies them at once).
	borrow bool
	// into, when set (by Reader.NextTo), is the caller's text: readLine
	// appends a line to it and splits it there, so the record's cells
	// are views of into already and need no second copy (intoOn: into is
	// in use; inInto: the last record's cells are views of it).
	into           []byte
	intoOn, inInto bool
	// cut: the last record read ended where the input did, without a
	// line break (Reader.next judges whether it is whole).
	cut bool
	// eq: the last record holds an = (Row.Formula's first test), found
	// once a record by the memchr each path makes for it.
	eq bool
	// lit has bit j set when the last record's field keyFields[j] — an
	// order id's or patient key's cell (Reader.mapLiterals) — was a text
	// formula (textFormulas; Row.Literal).
	lit       uint32
	keyFields []int
}

type fieldPos struct {
	line, col int
	quoted    bool
}

// parse states
const (
	stFieldStart = iota
	stUnquoted
	stQuoted
	stQuoteSeen // a quote inside a quoted field: the next byte decides
)

func newScanner(r *bufio.Reader, comma byte, limit, line int) *scanner {
	if limit <= 0 {
		limit = DefaultMaxRecordBytes
	}
	// NewReader takes ASCII delimiters only; the fast path's text check
	// (goodText over the line, separators included) relies on it.
	return &scanner{r: r, comma: comma, limit: limit, maxFields: MaxColumns, line: line, col: 1, general: comma >= utf8.RuneSelf}
}

// errTooLarge is returned by read for a record over the limit; the
// scanner is positioned at the next record.
var errTooLarge = errors.New("record too large")

// scanError is a structural error at a position.
type scanError struct {
	line, col int
	reason    string
}

func (e *scanError) Error() string { return e.reason }

// read returns the next record, valid until the next call; io.EOF at the
// end; errTooLarge for a record over the limit (s.start says where it
// began); a *scanError for a quote that breaks the file.
func (s *scanner) read() ([]string, error) {
	s.buf, s.ends, s.pos = s.buf[:0], s.ends[:0], s.pos[:0]
	s.over = false
	s.fields = 0
	s.start = s.line
	s.begun = false
	s.fast, s.inInto, s.cut = false, false, false
	state := stFieldStart
	for {
		seg, err := s.r.ReadSlice('\n')
		if len(seg) == 0 && err != nil {
			if err == bufio.ErrBufferFull { // cannot happen: ReadSlice returns the full buffer
				continue
			}
			if !errors.Is(err, io.EOF) {
				return nil, err
			}
			// End of input.
			switch state {
			case stFieldStart:
				if !s.begun {
					return nil, io.EOF
				}
				s.cut = true
				// "a,b," at EOF: the last field is empty.
				s.markFieldAt(s.line, s.col)
				s.field()
			case stQuoted:
				return nil, &scanError{line: s.quoteL, col: s.quoteC, reason: reasonUnterminated}
			default: // stUnquoted, stQuoteSeen
				s.cut = true
				s.field()
			}
			return s.finish()
		}
		partial := err == bufio.ErrBufferFull || (err != nil && len(seg) > 0 && seg[len(seg)-1] != '\n')
		if err != nil && err != bufio.ErrBufferFull && !errors.Is(err, io.EOF) {
			return nil, err
		}
		segLine, segCol := s.line, s.col
		if seg[len(seg)-1] == '\n' {
			s.line++
			s.col = 1
		} else {
			s.col += len(seg)
		}
		// content ends before the line break; inside quotes the break is data.
		content := len(seg)
		if !partial && seg[content-1] == '\n' {
			content--
			if content > 0 && seg[content-1] == '\r' {
				content--
			}
			// The record is this one line, whole (err is nil: ReadSlice
			// found its end). Without a quote in it, every field is
			// unquoted: split it in place. The state machine below would
			// give the same fields (FuzzFastLine), at the cost of a copy
			// of each field and of its position. A line of more cells
			// than maxFields goes the long way, which refuses it.
			if !s.begun && !s.general && content < s.limit && bytes.IndexByte(seg[:content], '"') < 0 &&
				(content < s.maxFields || bytes.Count(seg[:content], []byte{s.comma}) < s.maxFields) {
				return s.readLine(seg[:content], segLine, segCol), nil
			}
		}
		i := 0
		for i < len(seg) {
			switch state {
			case stFieldStart:
				s.markFieldAt(segLine, segCol+i)
				if seg[i] == '"' {
					if !s.over {
						s.pos[len(s.pos)-1].quoted = true
					}
					state = stQuoted
					s.quoteL, s.quoteC = segLine, segCol+i
					i++
					continue
				}
				state = stUnquoted
				fallthrough
			case stUnquoted:
				if i >= content { // the line ends here
					s.field()
					return s.finish()
				}
				rest := seg[i:content]
				if k := bytes.IndexByte(rest, s.comma); k >= 0 {
					s.add(rest[:k])
					s.field()
					state = stFieldStart
					i += k + 1
					if i >= content && !partial { // "a,b,\n": an empty last field
						s.markFieldAt(segLine, segCol+i)
						s.field()
						return s.finish()
					}
					continue
				}
				s.add(rest)
				if partial {
					i = len(seg)
					continue
				}
				s.field()
				return s.finish()
			case stQuoted:
				rest := seg[i:]
				if k := bytes.IndexByte(rest, '"'); k >= 0 {
					s.add(rest[:k])
					state = stQuoteSeen
					i += k + 1
					continue
				}
				if n := len(rest); !partial && n >= 2 && rest[n-2] == '\r' && rest[n-1] == '\n' {
					s.add(rest[:n-2])
					s.add(lf)
				} else {
					s.add(rest)
				}
				i = len(seg)
			case stQuoteSeen:
				switch c := seg[i]; {
				case c == '"':
					s.add(quote)
					state = stQuoted
					i++
				case c == s.comma:
					s.field()
					state = stFieldStart
					i++
					if i >= content && !partial {
						s.markFieldAt(segLine, segCol+i)
						s.field()
						return s.finish()
					}
				case c == '\n' || c == '\r':
					// "\r" is always followed by "\n" (crToLF): the end of
					// the line. Should a long line's piece end at that
					// "\r", the "\n" is read next as a blank line.
					s.field()
					return s.finish()
				default:
					return nil, &scanError{line: s.quoteL, col: s.quoteC, reason: fmt.Sprintf(reasonStrayQuote, segLine)}
				}
			}
		}
		if errors.Is(err, io.EOF) {
			// The input ends without a line break.
			s.cut = true
			switch state {
			case stQuoted:
				return nil, &scanError{line: s.quoteL, col: s.quoteC, reason: reasonUnterminated}
			case stFieldStart:
				s.markFieldAt(s.line, s.col)
				s.field()
			default:
				s.field()
			}
			return s.finish()
		}
	}
}

var (
	lf    = []byte{'\n'}
	quote = []byte{'"'}
)

// markFieldAt records where a field starts (while the record is kept).
func (s *scanner) markFieldAt(line, col int) {
	s.begun = true
	if !s.over {
		s.pos = append(s.pos, fieldPos{line: line, col: col})
	}
}

// add appends field content while the record is within the limit. Each
// field also costs a byte (its delimiter), so a line of a million commas
// is bounded too.
func (s *scanner) add(b []byte) {
	if s.over {
		return
	}
	if len(s.buf)+len(b)+len(s.ends) > s.limit {
		s.drop()
		return
	}
	s.buf = append(s.buf, b...)
}

// field closes the current field. A record of more than maxFields is
// dropped as one over limit is: what it would keep is a cell's worth per
// field, not its bytes (wide).
func (s *scanner) field() {
	s.fields++
	if s.over {
		return
	}
	if s.fields > s.maxFields || len(s.buf)+len(s.ends)+1 > s.limit {
		s.drop()
		return
	}
	s.ends = append(s.ends, len(s.buf))
}

// wide reports whether the record just refused (errTooLarge) had more
// cells than maxFields, rather than more bytes than limit.
func (s *scanner) wide() bool { return s.fields > s.maxFields }

// drop gives up keeping the record: it will be refused.
func (s *scanner) drop() {
	s.over = true
	s.buf, s.ends, s.pos = s.buf[:0], s.ends[:0], s.pos[:0]
}

// finish turns the kept bytes into the record: one string for the whole
// record, sliced per field, as encoding/csv does.
func (s *scanner) finish() ([]string, error) {
	if s.over {
		return nil, errTooLarge
	}
	s.lit = 0
	if s.eq = bytes.IndexByte(s.buf, '=') >= 0; s.eq {
		s.textFormulas()
	}
	str := s.text(s.buf)
	s.whole = str
	s.rec = s.rec[:0]
	prev := 0
	for _, end := range s.ends {
		s.rec = append(s.rec, str[prev:end])
		prev = end
	}
	return s.rec, nil
}

// readLine returns the record of one whole line without a quote (read's
// fast path, most lines of most exports): one string for the line, sliced
// between its separators, and each field's start in it. The limit holds as
// in the state machine: its cells and a byte per field come to one byte
// more than the line, which read checked is within limit.
func (s *scanner) readLine(line []byte, at, col int) []string {
	s.fast, s.fastLine, s.fastCol = true, at, col
	s.eq, s.lit = bytes.IndexByte(line, '=') >= 0, 0
	var str string
	if s.intoOn && len(line) > 0 {
		n := len(s.into)
		s.into = append(s.into, line...)
		str, s.inInto = unsafe.String(&s.into[n], len(line)), true
	} else {
		str = s.text(line)
	}
	s.whole = str
	s.rec = s.rec[:0]
	// One pass over the line's bytes, eight at a time: a call of
	// strings.IndexByte per field paid its set-up a dozen times a row for
	// cells of ten bytes or so (issue 29). A word's bytes equal to the
	// separator are found exactly (each byte's high bit, no carry between
	// bytes), then taken lowest first. FuzzNextTo holds the split to the
	// state machine's.
	start := 0
	pat := 0x0101010101010101 * uint64(s.comma)
	i := 0 // line holds str's bytes: scanned there, sliced in str
	for ; i+8 <= len(line); i += 8 {
		// LittleEndian: byte i+k is bits 8k..8k+7, whatever the machine
		// (one unaligned load where the machine has them).
		w := binary.LittleEndian.Uint64(line[i:]) ^ pat
		m := ^((w&0x7f7f7f7f7f7f7f7f + 0x7f7f7f7f7f7f7f7f) | w | 0x7f7f7f7f7f7f7f7f)
		for m != 0 {
			j := i + bits.TrailingZeros64(m)>>3
			s.ends = append(s.ends, start)
			s.rec = append(s.rec, str[start:j])
			start = j + 1
			m &= m - 1
		}
	}
	for ; i < len(line); i++ {
		if line[i] == s.comma {
			s.ends = append(s.ends, start)
			s.rec = append(s.rec, str[start:i])
			start = i + 1
		}
	}
	s.ends = append(s.ends, start)
	s.rec = append(s.rec, str[start:])
	return s.rec
}

// text is the record's string: its own copy, or with borrow a view of b.
func (s *scanner) text(b []byte) string {
	if s.borrow {
		return unsafe.String(unsafe.SliceData(b), len(b))
	}
	return string(b)
}

// fieldPos returns the line and column where field i of the last record
// starts.
func (s *scanner) fieldPos(i int) (line, col int) {
	if s.fast {
		if i < 0 || i >= len(s.ends) {
			return s.start, 0
		}
		return s.fastLine, s.fastCol + s.ends[i]
	}
	if i < 0 || i >= len(s.pos) {
		return s.start, 0
	}
	return s.pos[i].line, s.pos[i].col
}

// crToLF turns each lone "\r" into "\n", so that files written with old
// Mac line endings are read line by line rather than as one record (issue
// 14: 13 of 19 rows were read, merged). "\r\n" is left alone. A lone "\r"
// inside a quoted cell becomes "\n" too, as in Python's csv module: both
// are line breaks to a reader of the cell.
type crToLF struct {
	r *bufio.Reader // Peek tells a "\r" that ends a read whether "\n" follows
}

func newCRToLF(r io.Reader) *crToLF {
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReader(r)
	}
	return &crToLF{r: br}
}

func (c *crToLF) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if k := trailingEOF(p[:n]); k >= 0 && c.atEnd(p[k:n]) {
		// The DOS end-of-file mark that `copy /a` and some Windows
		// software append, stuck to the last cell when no line break
		// precedes it: the file ends here. Kept, it was part of the last
		// row's last cell — its order id made another event id than the
		// next night's, when the row is no longer last (a review of
		// Windows-saved exports). Only at the very end: a Ctrl-Z with
		// text after it is a byte of a cell, judged there.
		n = k
	}
	b := p[:n]
	for i := 0; i < len(b); {
		k := bytes.IndexByte(b[i:], '\r')
		if k < 0 {
			break
		}
		i += k
		var next byte
		if i+1 < len(b) {
			next = b[i+1]
		} else if ahead, _ := c.r.Peek(1); len(ahead) == 1 {
			next = ahead[0]
		}
		if next == '\n' {
			i += 2
			continue
		}
		b[i] = '\n'
		i++
	}
	return n, err
}

// dosEOF is Ctrl-Z, the DOS end-of-file mark.
const dosEOF = 0x1a

// trailingEOF is where the Ctrl-Z that may end b begins: the first Ctrl-Z
// of the run of Ctrl-Z and line breaks b ends with, -1 when that run holds
// none. Not the first Ctrl-Z of b: one inside an earlier cell (or the
// mark of a first file joined to a second) hid the one at the end (a
// review of the fix).
func trailingEOF(b []byte) int {
	if bytes.IndexByte(b, dosEOF) < 0 {
		return -1 // nearly every buffer: one memchr
	}
	t := len(b)
	for t > 0 && (b[t-1] == dosEOF || b[t-1] == '\r' || b[t-1] == '\n') {
		t--
	}
	if k := bytes.IndexByte(b[t:], dosEOF); k >= 0 {
		return t + k
	}
	return -1
}

// atEnd reports whether tail (read, starting at a Ctrl-Z) and what is
// left to read hold nothing but Ctrl-Z and line breaks up to the end of
// the input. It looks as far ahead as the reader buffers (4 KiB at
// least): padding to a 128-byte block, as CP/M and XMODEM left it, fits.
func (c *crToLF) atEnd(tail []byte) bool {
	only := func(b []byte) bool {
		for _, x := range b {
			if x != dosEOF && x != '\r' && x != '\n' {
				return false
			}
		}
		return true
	}
	if !only(tail) {
		return false
	}
	ahead, err := c.r.Peek(c.r.Size())
	return only(ahead) && err != nil // io.EOF: nothing else follows
}

// quoted reports whether field i of the last record was quoted.
func (s *scanner) quoted(i int) bool {
	return !s.fast && i >= 0 && i < len(s.pos) && s.pos[i].quoted
}
