package export

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	stdunicode "unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/printable"
)

// Encoding names accepted by input.encoding.
const (
	EncodingAuto    = "auto"
	EncodingUTF8    = "utf-8"
	EncodingUTF16   = "utf-16"
	EncodingBig5    = "big5"
	EncodingGBK     = "gbk"
	EncodingGB18030 = "gb18030"
)

// Encodings lists the values input.encoding takes.
var Encodings = []string{EncodingAuto, EncodingUTF8, EncodingUTF16, EncodingBig5, EncodingGBK, EncodingGB18030}

// sniffBytes is how much of the file detection looks at: enough for a title
// block, the header and a few hundred rows, small enough to keep memory flat.
const sniffBytes = 64 << 10

// maxHeaderLines is how far down the file the header is looked for.
const maxHeaderLines = 50

// Delimiters are the separators detection chooses from, in preference order.
var Delimiters = []rune{',', ';', '\t', '|'}

// legacy returns the decoder for a declared legacy encoding. GBK is read
// as GB18030, its superset: rare name characters (CJK Ext-A, e.g. 䶮) exist
// only there, and every GBK byte sequence means the same in both.
func legacy(name string) encoding.Encoding {
	switch name {
	case EncodingBig5:
		return traditionalchinese.Big5
	case EncodingGBK, EncodingGB18030:
		return simplifiedchinese.GB18030
	}
	return nil
}

// workbook names the spreadsheet format head begins with, or "": a zip
// archive (.xlsx, and Meta's default Ads Manager export) or the OLE
// compound file of the older .xls. Decoded as text, either failed as an
// encoding "undecidable between Big5 and GB18030", whose advice to set
// input.encoding could never help.
func workbook(head []byte) string {
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return ".xlsx"
	case bytes.HasPrefix(head, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return ".xls"
	}
	return ""
}

// decodeInput turns r into UTF-8 text, choosing the encoding from a BOM,
// the declaration, or — for auto — the first sniffBytes. names are the
// header names the caller expects; auto uses them to tell Big5 from GBK.
// It returns the text and the encoding used (for reports and inspect).
func decodeInput(r io.Reader, file, declared, key string, names []string) (io.Reader, string, error) {
	if declared == "" {
		declared = EncodingAuto
	}
	br := bufio.NewReaderSize(r, sniffBytes)
	head, err := br.Peek(sniffBytes)
	if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
		return nil, "", &Error{File: file, Reason: "read failed: " + err.Error(), Err: err}
	}
	bomErr := func(found string) error {
		return &Error{File: file, Line: 1, Setting: key, Reason: fmt.Sprintf(
			"the file starts with a %s byte-order mark but %s is %s (set %[2]s: auto or %[1]s)", found, key, declared)}
	}
	if kind := workbook(head); kind != "" {
		return nil, "", &Error{File: file, Line: 1, Reason: fmt.Sprintf(
			"this is an Excel workbook (%s), not a CSV: save it from Excel as \"CSV UTF-8\", or download the report as CSV", kind)}
	}
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		if declared != EncodingAuto && declared != EncodingUTF8 {
			return nil, "", bomErr(EncodingUTF8)
		}
		_, _ = br.Discard(3) // Excel's "CSV UTF-8"; encoding/csv would keep it in the first header
		return br, EncodingUTF8, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		if declared != EncodingAuto && declared != EncodingUTF16 {
			return nil, "", bomErr(EncodingUTF16)
		}
		// Excel's "Unicode Text": UTF-16 with a BOM, usually tab-separated.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return transform.NewReader(br, dec), EncodingUTF16, nil
	}
	if order, ok := utf16Shape(head); ok {
		// UTF-16 without a BOM (some exporters and `iconv -t UTF-16LE`):
		// read as UTF-8 it is text with a NUL beside every ASCII character.
		if declared != EncodingAuto && declared != EncodingUTF16 {
			return nil, "", &Error{File: file, Line: 1, Setting: key, Reason: fmt.Sprintf(
				"the file looks like UTF-16 without a byte-order mark (a NUL byte beside every ASCII character) but %s is %s: set %[1]s: utf-16 (or auto)", key, declared)}
		}
		dec := unicode.UTF16(order, unicode.IgnoreBOM).NewDecoder()
		return transform.NewReader(br, dec), EncodingUTF16, nil
	}
	switch declared {
	case EncodingUTF8:
		return br, EncodingUTF8, nil
	case EncodingUTF16:
		// No BOM and no NUL pattern to tell: Windows writes little-endian.
		dec := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
		return transform.NewReader(br, dec), EncodingUTF16, nil
	case EncodingBig5, EncodingGBK, EncodingGB18030:
		return transform.NewReader(br, legacy(declared).NewDecoder()), declared, nil
	}
	enc, err := detectLegacy(head, names, key)
	if err != nil {
		line, col := firstNonUTF8(head)
		return nil, "", &Error{File: file, Line: line, Column: col, Setting: key, Reason: err.Error()}
	}
	if enc == EncodingUTF8 {
		return br, enc, nil
	}
	return transform.NewReader(br, legacy(enc).NewDecoder()), enc, nil
}

// detectLegacy decides the encoding of a file without a BOM. Valid UTF-8 is
// UTF-8 (a legacy Chinese file is almost never valid UTF-8 beyond ASCII).
// Otherwise Big5 and GB18030 both decode nearly any byte string, so the
// choice rests on evidence: the expected header names found in one decoding
// but not the other, then characters that exist in only one script
// (電話/电话, 預約/预约). Without a clear winner it refuses to guess.
func detectLegacy(head []byte, names []string, key string) (string, error) {
	if utf8.Valid(trimPartialRune(head)) {
		return EncodingUTF8, nil
	}
	type cand struct {
		name          string
		text          string
		bad, hdr, hit int
	}
	cands := []*cand{{name: EncodingBig5}, {name: EncodingGB18030}}
	for _, c := range cands {
		out, _, _ := transform.Bytes(legacy(c.name).NewDecoder(), head)
		c.text = norm.NFKC.String(string(out))
		c.bad = strings.Count(c.text, "\uFFFD")
		for _, n := range names {
			if n = strings.TrimSpace(n); n != "" && !isASCIIString(n) && strings.Contains(c.text, norm.NFKC.String(n)) {
				c.hdr++
			}
		}
		set := traditionalOnly
		if c.name == EncodingGB18030 {
			set = simplifiedOnly
		}
		for _, r := range c.text {
			if strings.ContainsRune(set, r) {
				c.hit++
			}
		}
	}
	b, g := cands[0], cands[1]
	// better: x is clearly the right code page. Header names found decide
	// first; then far fewer invalid sequences (one or two can be the cut at
	// the sniff limit, many mean the wrong code page); then script-only
	// characters, by a wide margin.
	better := func(x, y *cand) bool {
		if x.hdr != y.hdr {
			return x.hdr > y.hdr
		}
		if y.bad >= 3 && x.bad*4 < y.bad {
			return true
		}
		if x.bad > y.bad+2 {
			return false
		}
		return x.hit >= 3 && x.hit >= 4*y.hit+1
	}
	switch {
	case better(b, g):
		return b.name, nil
	case better(g, b):
		return g.name, nil
	}
	return "", fmt.Errorf("the file is not UTF-8 and its encoding cannot be decided between big5 and gb18030 from the first %d KiB: set %s (big5 for Taiwan exports, gbk for mainland ones); an export that is not Chinese was saved in a Windows code page (Excel's \"CSV (Comma delimited)\"), which hashgate does not read: save it as \"CSV UTF-8\"", sniffBytes>>10, key)
}

// utf16Shape reports whether head is UTF-16 text without a BOM, and its
// byte order: mostly-ASCII text (delimiters, line breaks, digits, header
// names) puts a NUL in the high byte of most code units, on one side only.
// UTF-8 and the legacy code pages never contain NUL.
func utf16Shape(head []byte) (unicode.Endianness, bool) {
	n := len(head) &^ 1
	if n < 4 {
		return unicode.LittleEndian, false
	}
	even, odd := 0, 0
	for i := 0; i < n; i += 2 {
		if head[i] == 0 {
			even++
		}
		if head[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	switch {
	case odd >= max(2, pairs/8) && even*20 <= odd:
		return unicode.LittleEndian, true
	case even >= max(2, pairs/8) && odd*20 <= even:
		return unicode.BigEndian, true
	}
	return unicode.LittleEndian, false
}

// firstNonUTF8 returns the line and byte column of the first byte of head
// that is not UTF-8, so that an encoding error points somewhere.
func firstNonUTF8(head []byte) (line, col int) {
	line, start := 1, 0
	for i := 0; i < len(head); {
		c := head[i]
		if c == '\n' {
			line, start = line+1, i+1
		}
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(head[i:])
		if r == utf8.RuneError && size == 1 {
			if !utf8.FullRune(head[i:]) { // cut by the sniff limit
				break
			}
			return line, i - start + 1
		}
		i += size
	}
	return 0, 0
}

// Characters common in clinic exports that exist in one script only. A
// Big5 file decoded as GB18030 (or the reverse) produces them only by
// chance, so their count tells the two apart.
const (
	traditionalOnly = "電話號碼預約診療醫師們個這來時為說國會與聯絡態狀別歲費轉機單據資訊項簡訊撤確認報齡備註結帳收據齒"
	simplifiedOnly  = "电话号码预约诊疗医师们个这来时为说国会与联络态状别岁费转机单据资讯项简讯撤确认报龄备注结帐收据齿"
)

// trimPartialRune drops an incomplete UTF-8 sequence cut by the sniff limit.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		c := b[len(b)-i]
		if c < 0x80 {
			return b
		}
		if c >= 0xC0 { // a start byte: is its sequence complete?
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			return b
		}
	}
	return b
}

func isASCIIString(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// layout is where the header is and what separates fields.
type layout struct {
	line  int  // 1-based physical line of the header in the decoded text
	delim rune // field separator
	skip  int  // bytes before the header line
	score int  // header names matched exactly
	found bool // a line was considered (false: the file ends above header_row)
	// changes counts the columns whose value shape changes below the line
	// (a name above dates, numbers or addresses): evidence that the line
	// is a header and not a row of data.
	changes int
	// dataCells counts the line's cells shaped like data no header has: an
	// address, a run of four digits.
	dataCells int
}

// dataCells counts the cells shaped like an identifier (an "@", a run of
// four or more digits): column names have none, rows of data have them.
func dataCells(cells []string) int {
	n := 0
	for _, c := range cells {
		if printable.IdentifierShaped(c) {
			n++
		}
	}
	return n
}

// findHeader looks through the first lines of text for the header line,
// under each candidate delimiter (only delim when it is set, only line
// headerRow when that is set). Title lines above the header ("○○牙醫美學診所
// 預約明細表") and blank lines are skipped this way.
//
// With known nil (a configured mapping) the line holding the most of names
// wins. With known set (inspect, config init: header names are guessed),
// a cell counts when it is one of names or known says it is a header word,
// and the change of value shapes below the line counts too: a header with
// clinical or vendor columns hashgate does not know is still found, and a
// line of data that happens to hold a header word is not preferred to the
// line whose columns turn into dates and numbers below it.
func findHeader(head []byte, names []string, delim rune, headerRow int, known func(string) bool) layout {
	delims := Delimiters
	if delim != 0 {
		delims = []rune{delim}
	}
	want := map[string]bool{}
	for _, n := range names {
		if n = foldHeader(n); n != "" {
			want[n] = true
		}
	}
	lines := splitLines(head, max(maxHeaderLines, headerRow)+shapeLines)
	// Each line split under each delimiter once: the shape comparison reads
	// the lines below every candidate.
	split := map[rune][][]string{}
	if known != nil {
		for _, d := range delims {
			for _, ln := range lines {
				split[d] = append(split[d], splitLine(ln.text, d))
			}
		}
	}
	best := layout{line: max(headerRow, 1), delim: delims[0], score: -1}
	// bestCells is how many cells best's line splits into under its
	// delimiter, worked out once (-1: not yet), not again per candidate:
	// a line of 64K commas was split again for every one of them.
	bestRank, bestCells := -1, -1
	for li, ln := range lines {
		line := li + 1
		if line > max(maxHeaderLines, headerRow) {
			break
		}
		if headerRow != 0 && line != headerRow {
			continue
		}
		for _, d := range delims {
			var cells []string
			if known != nil {
				cells = split[d][li] // split above already
			} else {
				cells = splitLine(ln.text, d)
			}
			score, hits := 0, 0
			for _, c := range cells {
				switch {
				case want[foldHeader(c)]:
					score++
					hits++
				case known != nil && strings.TrimSpace(c) != "" && known(c):
					hits++
				}
			}
			cand := layout{line: line, delim: d, skip: ln.off, score: score, found: true}
			rank := score
			if known != nil {
				cand.changes = shapeChanges(cells, split[d][li+1:])
				cand.dataCells = dataCells(cells)
				// A line holding a phone number or an address is a row of
				// data, whatever header words sit beside them: term counts
				// alone never make it the header.
				rank = hits*4 + min(cand.changes, 3) - 8*cand.dataCells
			}
			// Ties go to the earlier line, then to the delimiter that
			// splits the line into more cells.
			if rank == bestRank && line == best.line && bestCells < 0 {
				bestCells = len(splitLine(lines[best.line-1].text, best.delim))
			}
			if rank > bestRank || rank == bestRank && line == best.line && len(cells) > bestCells {
				best, bestRank, bestCells = cand, rank, len(cells)
			}
		}
	}
	if best.score < 0 {
		best.score = 0
	}
	if !best.found && known != nil && best.line <= len(lines) {
		// No line ranked as a header: the first one stands in for it, and
		// says what it holds like any candidate. A headerless export's
		// first row full of dates, e-mails and phones ranked below every
		// threshold, and left its data cells uncounted: inspect then showed
		// a cell of it ("Chart ZZCANARY", near a header word) as a name.
		cells := splitLine(lines[best.line-1].text, best.delim)
		best.dataCells = dataCells(cells)
		best.changes = shapeChanges(cells, split[best.delim][best.line:])
	}

	return best
}

// shapeLines is how many lines below a candidate header line its value
// shapes are compared with.
const shapeLines = 20

type textLine struct {
	text string
	off  int // byte offset of the line in head
}

// splitLines cuts head into at most n lines.
func splitLines(head []byte, n int) []textLine {
	var out []textLine
	off := 0
	for len(out) < n && off < len(head) {
		end := bytes.IndexByte(head[off:], '\n')
		if end < 0 {
			end = len(head) - off
		}
		out = append(out, textLine{text: strings.TrimRight(string(head[off:off+end]), "\r"), off: off})
		off += end + 1
	}
	return out
}

// Shapes of a cell, for telling a header line from data.
const (
	shapeEmpty = iota
	shapeText  // letters only: a header name, a status, a name
	shapeDigit // digits and punctuation: numbers, dates, phones, times
	shapeMixed // letters and digits: codes, 年月日 dates, 上午 09:00
	shapeEmail
)

func cellShape(c string) int {
	c = strings.TrimSpace(c)
	if c == "" {
		return shapeEmpty
	}
	letters, digits := false, false
	for _, r := range c {
		switch {
		case r == '@':
			return shapeEmail
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			digits = true
		case stdunicode.IsLetter(r):
			letters = true
		}
	}
	switch {
	case digits && letters:
		return shapeMixed
	case digits:
		return shapeDigit
	}
	return shapeText
}

// shapeChanges counts the columns where cells is a word of letters and the
// filled cells of the lines below (those with as many fields) are, at
// least four in five, something else: digits, codes, addresses.
func shapeChanges(cells []string, below [][]string) int {
	type tally struct{ filled, other int }
	t := make([]tally, len(cells))
	rows := 0
	for _, bc := range below {
		if rows == shapeLines {
			break
		}
		if len(bc) != len(cells) {
			continue
		}
		rows++
		for i, c := range bc {
			switch cellShape(c) {
			case shapeEmpty:
			case shapeText:
				t[i].filled++
			default:
				t[i].filled++
				t[i].other++
			}
		}
	}
	n := 0
	for i, c := range cells {
		if cellShape(c) == shapeText && t[i].filled >= 2 && t[i].other*5 >= t[i].filled*4 {
			n++
		}
	}
	return n
}

// foldHeader is how header cells compare: trimmed, folded as an order id
// is (celltext.Fold: NFKC for full-width letters, and the format
// characters — a byte-order mark, a zero-width space or word joiner copied
// from a web page or a chat, a soft hyphen — removed wherever they
// stand), case-folded. Trimming the byte-order mark alone left a header
// with a hidden zero-width space "not in the header" when it visibly was,
// exit 1, and no "did you mean" (a review of invisible characters).
func foldHeader(s string) string {
	return strings.ToLower(celltext.Fold(strings.TrimSpace(s)))
}

// SameHeader reports whether two header names name one column, as the
// reader matches the config's names to the file's (foldHeader): config
// checks that ask whether two keys map the same column compare so.
func SameHeader(a, b string) bool { return foldHeader(a) == foldHeader(b) }

// splitLine splits one physical line on d as the reader splits a record
// (scanner.read): a field that opens with a quote is quoted, "" in it is
// one quote; a quote inside an unquoted field is kept. It is only for
// finding the header; rows are read by the reader. A cell that is an Excel
// text formula (="id", raw or RFC-quoted) is its text, by the rule the
// reader reads it by (celltext.TextFormula, scanner.textFormulas), so a
// header, or a row below it, is seen as what Excel shows, and a formula
// (="09"&"12") as the formula the reader calls it. A quote that closes a
// field before more text, which the reader refuses, is kept with that
// text: the line is still judged.
func splitLine(s string, d rune) []string {
	var cells []string
	var b strings.Builder
	const (
		start = iota
		unquoted
		quoted
		quoteSeen
	)
	state := start
	cell := func() string {
		c := b.String()
		if t, ok := celltext.TextFormula(c); ok {
			c = t
		}
		b.Reset()
		state = start
		return c
	}
	for _, r := range s {
		switch {
		case r == d && state != quoted:
			cells = append(cells, cell())
		case r == '"' && state == start:
			state = quoted
		case r == '"' && state == quoted:
			state = quoteSeen
		case r == '"' && state == quoteSeen:
			b.WriteByte('"')
			state = quoted
		default:
			if state == quoteSeen {
				b.WriteByte('"')
			}
			if state != quoted {
				state = unquoted
			}
			b.WriteRune(r)
		}
	}
	return append(cells, cell())
}
