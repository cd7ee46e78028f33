package consent

import (
	"bufio"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/keyset"
)

// Revocations is the set of order ids, patient keys and event ids whose
// consent was withdrawn, read from consent.revocations_file.
//
// The ids are kept as keyed 64-bit digests (maphash under a seed the
// process draws and keeps to itself, as the pipeline keeps orders and
// patients), sorted, with a small bucket index: 8 bytes an id outside the
// Go heap (keyset.Keys) and about 1.2 on it. A map of the ids as strings
// took 213 MB for a file of 3,000,000 ids (a review); this takes about 28
// (TestRevocationsMemoryStaysFlat, BenchmarkReadRevocations). Two
// different ids that share a digest (about one chance in 10^12 per row
// for a file of millions) can only withdraw a row more, never send one.
//
// An id is compared as Key folds it, the file's and the export's alike:
// written in full-width forms, padded with invisible characters, in
// another case, or — all digits — with or without leading zeros, it is
// the same id. Has is safe for concurrent use.
type Revocations struct {
	keys *keyset.Keys // the distinct digests, sorted
	// index[b] is the position of the first key whose top bits (key >>
	// shift) are b or more; index[len(index)-1] is the number of keys.
	index []uint32
	shift uint8
	// hits has a bit per key, set once the key matched a row (Matched).
	hits []atomic.Uint64
}

// revocationSeed keys the digests, once per process: nothing derived
// from it leaves the process.
var revocationSeed = maphash.MakeSeed()

// MaxLineBytes is the longest line a revocations file may hold: an id is
// a few dozen characters, and a longer line is not a list of ids.
const MaxLineBytes = 4096

// ListError is a revocations file (or `unrevoke --patients` list) that
// cannot be read as one id per line: where, as file:line:column, and
// why — never the line's text. It is a configuration problem found before
// anything is sent (exit 2, run.Code).
type ListError struct {
	Name         string
	Line, Column int
	Problem      string
	Err          error // the read error underneath, when there is one
}

func (e *ListError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.Name, e.Line, e.Column, e.Problem)
}

func (e *ListError) Unwrap() error { return e.Err }

// ReadRevocations reads one order id, patient key or event id per line.
// Blank lines and lines starting with "#" are skipped. each, when not
// nil, is given every id as written, trimmed of invisible characters and
// with full-width forms folded (NFKC), in file order: what `hashgate
// ledger unrevoke --patients` digests and `hashgate check` inspects.
// Errors are *ListError.
//
// The file is kept by hand, often in Notepad or a spreadsheet, and an id
// that silently matches nothing sends a withdrawn patient's visits: a
// review found a UTF-8 byte-order mark making the first id match nothing,
// a file saved as "Unicode text" (UTF-16) matching none, and then a file
// saved with classic-Mac line ends (a lone CR) read as one id, ids typed
// in full-width forms (Ａ１), one after an invisible space or a byte-order
// mark left mid-file by joining two files, and "A1，A2", "A1 A2" and
// "A1#x" each read as one id — all matched nothing and were sent. So a
// line ends at LF, CRLF or a lone CR; a BOM is read as what it says
// (UTF-8's dropped, UTF-16 decoded: golang.org/x/text's BOMOverride);
// ids are compared folded (Key); and what cannot be an id list stops
// the run, naming file:line:column: bytes that are not UTF-8 or a NUL
// (UTF-16 without its mark), a line longer than MaxLineBytes, and a line
// holding, inside its value, a separator of any width (, ; " ， ； 、),
// white space or an invisible character (two ids, or a comment after
// one), or a "#" (a comment goes on a line of its own).
func ReadRevocations(r io.Reader, name string, each func(id string)) (*Revocations, error) {
	if each == nil {
		return ReadRevocationsWritten(r, name, nil)
	}
	return ReadRevocationsWritten(r, name, func(id, _ string) { each(id) })
}

// ReadRevocationsWritten is ReadRevocations whose each is also given the
// id as written — trimmed, not NFKC-folded (Ａ１００２ where id is A1002) —
// for `ledger find` and `erase --orders`, which look an order up under the
// spelling an older hashgate made its event id of too (ledger schema 15
// or before: single-column ids as written).
func ReadRevocationsWritten(r io.Reader, name string, each func(id, written string)) (*Revocations, error) {
	lr := lineReader{br: bufio.NewReaderSize(transform.NewReader(r, xunicode.BOMOverride(xunicode.UTF8.NewDecoder())), 16<<10), name: name}
	keys := keyset.NewKeys(0)
	var kbuf []byte
	for {
		raw, err := lr.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			keys.Close()
			return nil, err
		}
		id, err := lr.id(raw)
		if err != nil {
			keys.Close()
			return nil, err
		}
		if id == "" {
			continue
		}
		if each != nil {
			each(id, lr.written)
		}
		kbuf = Key(kbuf[:0], id)
		keys.Append(maphash.Bytes(revocationSeed, kbuf))
	}
	return newRevocations(keys), nil
}

// NewRevocations is the set a file listing ids would give, one id a line
// (no checks: for tests and callers that hold the ids already).
func NewRevocations(ids ...string) *Revocations {
	keys := keyset.NewKeys(len(ids))
	var kbuf []byte
	for _, id := range ids {
		if kbuf = Key(kbuf[:0], id); len(kbuf) > 0 {
			keys.Append(maphash.Bytes(revocationSeed, kbuf))
		}
	}
	return newRevocations(keys)
}

// newRevocations sorts keys, drops repeats and indexes them.
func newRevocations(keys *keyset.Keys) *Revocations {
	s := keys.Slice()
	slices.Sort(s)
	s = slices.Compact(s)
	keys.Truncate(len(s))
	// About four keys a bucket: a lookup reads the index and one or two
	// cache lines of keys.
	nb := uint64(1)
	for nb*4 < uint64(len(s)) {
		nb <<= 1
	}
	r := &Revocations{keys: keys, shift: uint8(64 - bits.TrailingZeros64(nb)), index: make([]uint32, nb+1)}
	i := 0
	for b := range nb {
		for i < len(s) && r.bucket(s[i]) < b {
			i++
		}
		r.index[b] = uint32(i)
	}
	r.index[nb] = uint32(len(s))
	r.hits = make([]atomic.Uint64, (len(s)+63)/64)
	return r
}

// bucket is the index bucket of digest d: its top bits (0 when there is
// one bucket, a shift by 64).
func (r *Revocations) bucket(d uint64) uint64 { return d >> r.shift }

// Len is the number of distinct ids listed (as Key folds them).
func (r *Revocations) Len() int {
	if r == nil {
		return 0
	}
	return len(r.keys.Slice())
}

// Matched is how many of the listed ids matched some row Has was asked
// about.
func (r *Revocations) Matched() int {
	if r == nil {
		return 0
	}
	n := 0
	for i := range r.hits {
		n += bits.OnesCount64(r.hits[i].Load())
	}
	return n
}

// Has reports whether any of keys is listed, compared as Key folds them,
// and notes each listed one as matched. Empty keys never match.
func (r *Revocations) Has(keys ...string) bool {
	if r == nil {
		return false
	}
	found := false
	for _, k := range keys {
		var buf [64]byte
		kb := Key(buf[:0], k)
		if len(kb) == 0 {
			continue
		}
		if i, ok := r.find(maphash.Bytes(revocationSeed, kb)); ok {
			if w := &r.hits[i/64]; w.Load()&(1<<(i%64)) == 0 {
				w.Or(1 << (i % 64))
			}
			found = true
		}
	}
	return found
}

// find returns the position of digest d among the keys.
func (r *Revocations) find(d uint64) (int, bool) {
	s := r.keys.Slice()
	b := r.bucket(d)
	for i := r.index[b]; i < r.index[b+1]; i++ {
		switch k := s[i]; {
		case k == d:
			return int(i), true
		case k > d:
			return 0, false
		}
	}
	return 0, false
}

// Close releases the digests; r must not be used afterwards. A nil
// Revocations may be closed.
func (r *Revocations) Close() {
	if r != nil {
		r.keys.Close()
		r.keys = keyset.NewKeys(0)
		r.hits = nil
		r.index = []uint32{0, 0}
	}
}

// Key appends to buf the id s as a revocations file's ids and an
// export's cells are compared: trimmed of white space and invisible
// characters (celltext.Trim: a zero-width space, a byte-order mark left
// by joining two files), full-width forms folded (NFKC: Ａ１ is A1),
// case-folded, and an all-digit id without its leading zeros (00123 is
// 123, as the ledger remembers a withdrawn patient's key). Folding can
// only make more rows match: a row it withdraws belongs to an id that
// reads as listed. An ASCII id is folded without allocating: it is asked
// for every row's order id, patient key and event ids.
func Key(buf []byte, s string) []byte {
	s = celltext.Trim(s)
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = celltext.Trim(cases.Fold().String(norm.NFKC.String(s)))
			break
		}
	}
	if isDigits(s) {
		if s = strings.TrimLeft(s, "0"); s == "" {
			s = "0"
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf = append(buf, c)
	}
	return buf
}

// lineReader reads a revocations file's decoded text line by line.
type lineReader struct {
	br   *bufio.Reader
	name string
	buf  []byte
	line int
	// written is the last id read as written: trimmed, before NFKC
	// (ReadRevocationsWritten).
	written string
}

// next returns the next line without its end (LF, CRLF or a lone CR),
// valid until the next call; io.EOF after the last. A line longer than
// MaxLineBytes is an error, read no further.
func (lr *lineReader) next() ([]byte, error) {
	lr.buf = lr.buf[:0]
	lr.line++
	for {
		c, err := lr.br.ReadByte()
		if err != nil {
			if errors.Is(err, io.EOF) {
				if len(lr.buf) > 0 {
					return lr.buf, nil // a last line without an end
				}
				return nil, io.EOF
			}
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the system's error repeats the file's name as given, unquoted
			}
			return nil, &ListError{Name: lr.name, Line: lr.line, Column: utf8.RuneCount(lr.buf) + 1,
				Problem: fmt.Sprintf("could not be read: %v", err), Err: err}
		}
		switch c {
		case '\n':
			return lr.buf, nil
		case '\r':
			if b, err := lr.br.Peek(1); err == nil && b[0] == '\n' {
				lr.br.ReadByte()
			}
			return lr.buf, nil
		}
		if len(lr.buf) == MaxLineBytes {
			return nil, lr.fail(utf8.RuneCount(lr.buf)+1, fmt.Sprintf(
				"the line is longer than %d bytes: not a list of ids; list one id per line", MaxLineBytes))
		}
		lr.buf = append(lr.buf, c)
	}
}

func (lr *lineReader) fail(col int, problem string) error {
	return &ListError{Name: lr.name, Line: lr.line, Column: col, Problem: problem}
}

// id returns the id raw holds, trimmed and with full-width forms folded
// (NFKC), "" for a blank or comment line, or why the line is no id.
// Columns count characters from 1, as an editor shows them.
func (lr *lineReader) id(raw []byte) (string, error) {
	line := string(raw)
	lr.written = line
	if plainID(raw) {
		return line, nil
	}
	for col, r := range []rune(line) {
		if r == 0 || r == utf8.RuneError {
			// The decoder made U+FFFD of bytes that are not UTF-8.
			return "", lr.fail(col+1, "not UTF-8 text (save the file as UTF-8, or as Unicode text with its byte-order mark)")
		}
	}
	v := textOf(celltext.Trim(line))
	if lr.written = v; v == "" {
		return "", nil
	}
	lead := utf8.RuneCountInString(line[:len(line)-len(strings.TrimLeftFunc(line, celltext.Invisible))])
	space := 0 // the column of the white space or invisible character just passed
	// A composite order id (input.columns.order_id as a list) is written
	// with its parts joined by "|", and a time part holds a space
	// (A0001|2026-11-02 09:30): such a line keeps its spaces. Refused, a
	// file that withdrew such visits stopped every night after the
	// upgrade, and deleting the line dropped the withdrawal (a review).
	composite := strings.ContainsRune(v, '|')
	for i, r := range []rune(v) {
		col := lead + i + 1
		w := r
		if r >= utf8.RuneSelf {
			if f := []rune(norm.NFKC.String(string(r))); len(f) == 1 {
				w = f[0] // a full-width or compatibility form: ＃ is #, ， is a comma
			}
		}
		switch {
		case i == 0 && w == '#':
			return "", nil // a comment line
		case w == '#' && space > 0:
			// "7001 # re-consented" matched nothing: the whole line was
			// taken as the id (review of 53d8483).
			return "", lr.fail(col, "a comment after the value (\" #\"); comments go on lines of their own, starting with #")
		case w == '#':
			return "", lr.fail(col, "a \"#\" inside the value (a comment after it?); comments go on lines of their own, starting with #")
		case strings.ContainsRune(",;\"、", w):
			return "", lr.fail(col, "more than one value on the line (a comma, semicolon or quote, of any width: a spreadsheet's CSV?); list one id per line")
		case composite && unicode.IsSpace(w) && w != '\t':
			// a space within a composite id's part: kept
		case celltext.Invisible(r):
			if space == 0 {
				space = col
			}
		case space > 0:
			return "", lr.fail(space, "white space or an invisible character inside the value (two ids on one line?); list one id per line")
		}
	}
	return norm.NFKC.String(v), nil
}

// textOf is v's text when v is Excel's text formula, raw (="A0001": ids
// pasted from an export the clinic system wrote so) or quoted as a CSV
// file writes such a cell ("=""A0001"""), as the export's cell reads
// (celltext.TextFormula); else v. Such lines were refused as "more than
// one value on the line" (a review, session 28).
func textOf(v string) string {
	if len(v) > 4 && strings.HasPrefix(v, `"=`) && strings.HasSuffix(v, `"`) {
		if t, ok := celltext.TextFormula(strings.ReplaceAll(v[1:len(v)-1], `""`, `"`)); ok {
			return t
		}
	}
	if t, ok := celltext.TextFormula(v); ok {
		return t
	}
	return v
}

// plainID reports whether line is an id as nearly every line is: printable
// ASCII with no space, separator or "#", which id need not look at again.
func plainID(line []byte) bool {
	for _, c := range line {
		if c <= ' ' || c > '~' || c == ',' || c == ';' || c == '"' || c == '#' {
			return false
		}
	}
	return len(line) > 0
}
