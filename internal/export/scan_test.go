package export

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
)

// scanAll reads every record with the scanner, as encoding/csv would give
// them (empty lines skipped), with the position of each field.
func scanAll(in string, comma byte) (recs [][]string, pos [][]fieldPos, err error) {
	sc := newScanner(bufio.NewReaderSize(newCRToLF(strings.NewReader(in)), 16), comma, 1<<20, 1)
	for {
		rec, err := sc.read()
		if errors.Is(err, io.EOF) {
			return recs, pos, nil
		}
		if err != nil {
			return recs, pos, err
		}
		if len(rec) == 1 && rec[0] == "" && !sc.quoted(0) {
			continue // an empty line: encoding/csv skips it
		}
		recs = append(recs, slices.Clone(rec))
		var ps []fieldPos
		for i := range rec {
			l, c := sc.fieldPos(i)
			ps = append(ps, fieldPos{line: l, col: c})
		}
		pos = append(pos, ps)
	}
}

// csvAll is the oracle: encoding/csv's records and field positions.
func csvAll(in string, comma byte) (recs [][]string, pos [][]fieldPos, err error) {
	cr := csv.NewReader(strings.NewReader(in))
	cr.Comma = rune(comma)
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return recs, pos, nil
		}
		if err != nil {
			return recs, pos, err
		}
		recs = append(recs, rec)
		var ps []fieldPos
		for i := range rec {
			l, c := cr.FieldPos(i)
			ps = append(ps, fieldPos{line: l, col: c})
		}
		pos = append(pos, ps)
	}
}

// TestScannerMatchesEncodingCSV: on every input encoding/csv reads
// strictly, the scanner gives the same records at the same positions (a
// 16-byte buffer makes every line arrive in pieces).
func TestScannerMatchesEncodingCSV(t *testing.T) {
	for _, in := range []string{
		"a,b,c\n1,2,3\n", "a,b,c\r\n1,2,3\r\n", "a,b,c\n1,2,3", "a,,\n,,\n", "a,b,\n",
		"\"q\",\"w\"\"x\",\"multi\nline, cell\"\n2,\"\",z\n", "a\n\nb\n\n\n", "\"\"\n", "x,\"y\"",
		"long,line," + strings.Repeat("0123456789", 20) + ",\"" + strings.Repeat("q\"\"", 30) + "\"\n",
		"\"a\r\nb\",c\r\n", "é,中文,\"名字\"\n", "a;b;c\n",
	} {
		comma := byte(',')
		if strings.Contains(in, ";") {
			comma = ';'
		}
		want, wantPos, werr := csvAll(in, comma)
		if werr != nil {
			t.Fatalf("%q: oracle: %v", in, werr)
		}
		got, gotPos, err := scanAll(in, comma)
		if err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotPos) != fmt.Sprint(wantPos) {
			t.Errorf("%q:\n got %q %v\nwant %q %v", in, got, gotPos, want, wantPos)
		}
	}
}

// FuzzScanner: wherever encoding/csv reads an input, the scanner reads the
// same — encoding/csv given the input as the scanner's reader hands it on
// (asRead): without a DOS end-of-file mark that ends it, and with a lone
// "\r" as a line break. "\r\n" goes through as it is: encoding/csv reads
// it as the scanner does, the line break of Windows exports.
func FuzzScanner(f *testing.F) {
	f.Add("a,b\n\"c\"\"d\",\"e\nf\"\n")
	f.Add("x,\"y\"\n,\n")
	f.Add("\"open\n,never\n")
	f.Add("a,b\n1,2\x1a")
	f.Add("a,\x1ab\n\x1a\r\n\x1a")
	f.Add("id,mail\r\n1,\"a\r\nb\"\r\n\r\n2,=\"0912345678\"\r\n")
	f.Add("id,mail\r1,a\r\r2,\"x\ry\"\r")
	f.Fuzz(func(t *testing.T, in string) {
		read, ok := asRead(in)
		if !ok {
			return
		}
		want, wantPos, werr := csvAll(read, ',')
		got, gotPos, err := scanAll(in, ',')
		if werr != nil {
			return // the scanner may be kinder (a bare quote), or refuse too
		}
		if err != nil {
			t.Fatalf("encoding/csv reads %q, the scanner fails: %v", in, err)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(gotPos) != fmt.Sprint(wantPos) {
			t.Fatalf("%q:\n got %q %v\nwant %q %v", in, got, gotPos, want, wantPos)
		}
	})
}

// TestStrayQuoteStopsWhereItOpened: one stray opening quote on line 11 of
// a long export is reported at line 11 and the column of the quote — not
// at the end of the file, as encoding/csv did — and stops the read.
func TestStrayQuoteStopsWhereItOpened(t *testing.T) {
	var b strings.Builder
	b.WriteString("id,mail,mail2,ok\n")
	for i := 2; i <= 5000; i++ {
		switch {
		case i == 11:
			fmt.Fprintf(&b, "%d,\"secret@example.com,,yes\n", i)
		case i%100 == 0:
			fmt.Fprintf(&b, "%d,\"q%d@example.com\",,yes\n", i, i)
		default:
			fmt.Fprintf(&b, "%d,p%d@example.com,,yes\n", i, i)
		}
	}
	for name, in := range map[string]string{
		"closed later by another field's quote": b.String(),
		"never closed":                          strings.NewReplacer("\"q", "q", "com\"", "com").Replace(b.String()),
	} {
		t.Run(name, func(t *testing.T) {
			rows, err := readAll(t, in, spec(1, basic))
			var xe *Error
			if !errors.As(err, &xe) || xe.Line != 11 || xe.Column != 4 {
				t.Fatalf("got %v, want an error at x.csv:11:4", err)
			}
			if len(rows) != 9 {
				t.Errorf("%d rows before the error, want 9", len(rows))
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error quotes the cell: %v", err)
			}
		})
	}
}

// TestOversizedRecordIsRefusedAtItsLine: a record over the limit comes
// back as a refused row at the line where it began (a quoted cell that
// spans lines included); the rows after it are read, at their lines.
func TestOversizedRecordIsRefusedAtItsLine(t *testing.T) {
	big := strings.Repeat("x", 5000)
	in := "id,mail,mail2,ok\n" +
		"1,a@example.com,,yes\n" +
		"2," + big + ",,yes\n" +
		"3,\"" + big + "\n" + big + "\n\"\"" + big + "\",,yes\n" +
		"4,d@example.com,,yes\n" +
		strings.Repeat(",", 5000) + "\n" + // empty fields cost a byte each
		"6,f@example.com,,yes"
	sp := spec(1, basic)
	sp.MaxRecordBytes = 4096
	rows, err := readAll(t, in, sp)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		if e := r.Refused(); e != nil {
			got = append(got, fmt.Sprintf("%d refused: %v", r.Line, e))
			if !r.Short() {
				t.Error("a refused row must have no cells")
			}
			continue
		}
		got = append(got, fmt.Sprintf("%d %s", r.Line, r.Get(Email)))
	}
	want := []string{
		"2 a@example.com",
		"3 refused: x.csv:3: record larger than input.max_record_bytes (4096 bytes): row refused",
		"4 refused: x.csv:4: record larger than input.max_record_bytes (4096 bytes): row refused",
		"7 d@example.com",
		"8 refused: x.csv:8: record larger than input.max_record_bytes (4096 bytes): row refused",
		"9 f@example.com",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoneCRLineEndings: an old-Mac file (lone "\r") is read row by row,
// and "\r\n" files are unchanged.
func TestLoneCRLineEndings(t *testing.T) {
	for name, nl := range map[string]string{"cr": "\r", "crlf": "\r\n", "lf": "\n"} {
		t.Run(name, func(t *testing.T) {
			in := strings.Join([]string{"id,mail,mail2,ok", "1,a@example.com,,yes", "2,\"b@example.com\",,yes", "", "4,\"multi" + nl + "line\",,yes", "6,f@example.com,,yes"}, nl) + nl
			rows, err := readAll(t, in, spec(0, basic))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, fmt.Sprintf("%d:%s", r.Line, r.Get(Email)))
			}
			want := []string{"2:a@example.com", "3:b@example.com", "5:multi\nline", "7:f@example.com"}
			if !slices.Equal(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
		})
	}
}

// TestCRToLFAcrossReads: a "\r\n" split between two reads stays one line
// break.
func TestCRToLFAcrossReads(t *testing.T) {
	in := "a\r\nb\rc\r\r\nd\r"
	for size := 2; size < 8; size++ {
		r := bufio.NewReaderSize(newCRToLF(&oneByteReader{s: in}), 16)
		out, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != "a\r\nb\nc\n\r\nd\n" {
			t.Errorf("got %q", out)
		}
	}
}

type oneByteReader struct{ s string }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if o.s == "" {
		return 0, io.EOF
	}
	p[0] = o.s[0]
	o.s = o.s[1:]
	return 1, nil
}

// TestBareQuoteKeptAsText: a quote inside an unquoted cell (5'10", a
// nickname) does not stop the run: the record's bounds are clear.
func TestBareQuoteKeptAsText(t *testing.T) {
	rows, err := readAll(t, "id,mail,mail2,ok\n1,a\"b@example.com,,yes\n2,c@example.com,,yes\n", spec(1, basic))
	if err != nil || len(rows) != 2 || rows[0].Get(Email) != "a\"b@example.com" {
		t.Fatalf("rows %v, err %v", rows, err)
	}
}

// cellReader streams a file whose line 2 holds one huge cell, without ever
// holding it: the test measures the reader, not the input.
type cellReader struct {
	parts []string
	fill  int64 // bytes of 'x' after parts[0]
	done  int
}

func (c *cellReader) Read(p []byte) (int, error) {
	switch {
	case c.done == 0 && len(c.parts[0]) > 0:
		n := copy(p, c.parts[0])
		c.parts[0] = c.parts[0][n:]
		return n, nil
	case c.fill > 0:
		n := min(int64(len(p)), c.fill)
		for i := range p[:n] {
			p[i] = 'x'
		}
		c.fill -= n
		return int(n), nil
	case len(c.parts[1]) > 0:
		c.done = 1
		n := copy(p, c.parts[1])
		c.parts[1] = c.parts[1][n:]
		return n, nil
	}
	return 0, io.EOF
}

// TestHugeCellKeepsMemoryFlat: a 100 MB cell (quoted, so it could hold
// anything) is skipped with a few MB of allocation, where encoding/csv
// held it several times over (issue 14: ~530 MB RSS). TotalAlloc bounds the
// peak heap from above, whatever the collector does.
func TestHugeCellKeepsMemoryFlat(t *testing.T) {
	const cell = 100 << 20
	for _, quoted := range []bool{false, true} {
		q := ""
		if quoted {
			q = "\""
		}
		in := &cellReader{parts: []string{"id,mail,mail2,ok\n1,a@example.com,,yes\n2," + q, q + ",,yes\n3,c@example.com,,yes\n"}, fill: cell}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r, err := NewReader(in, "x.csv", spec(1, basic))
		if err != nil {
			t.Fatal(err)
		}
		var lines []int
		refused := 0
		for {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			if row.Refused() != nil {
				refused++
			}
			lines = append(lines, row.Line)
		}
		runtime.ReadMemStats(&after)
		if got := after.TotalAlloc - before.TotalAlloc; got > 16<<20 {
			t.Errorf("quoted=%v: reading a %d MB cell allocated %d MB; want under 16 MB", quoted, cell>>20, got>>20)
		}
		if !slices.Equal(lines, []int{2, 3, 4}) || refused != 1 {
			t.Errorf("quoted=%v: lines %v, %d refused; want [2 3 4] with line 3 refused", quoted, lines, refused)
		}
	}
}

// BenchmarkReader is the reader alone over typical rows.
func BenchmarkReader(b *testing.B) {
	benchReader(b, "id,mail,mail2,ok,name,phone,date,note\n",
		"A%06d,p%d@example.com,,yes,王小明,0912-345-678,2024-05-27 10:30,\"first visit, cleaning\"\n")
}

// benchReader reads header and 2000 rows of row (a format given the
// row's number twice) whole, b.N times.
func benchReader(b *testing.B, header, row string) {
	var sb strings.Builder
	sb.WriteString(header)
	for i := range 2000 {
		fmt.Fprintf(&sb, row, i, i)
	}
	in := sb.String()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		r, err := NewReader(strings.NewReader(in), "b.csv", spec(1, basic))
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := r.Next(); err != nil {
				break
			}
		}
	}
}

// BenchmarkReaderPlainLines is the reader over rows without a quote,
// shaped as shared/bench/gen.py writes them (readLine's fast path).
func BenchmarkReaderPlainLines(b *testing.B) {
	benchReader(b, "id,mail,mail2,ok,name,phone,date,note,status,fee,currency,gclid\n",
		"A%08d,  Amir.Bob%d@Example.COM ,,Y,Amir Bob,0985-532-132,2026-11-02 10:01,,completed,29157,TWD,\n")
}

// TestUTF16WithoutBOM: UTF-16 without a byte-order mark is read (auto or
// utf-16) in either byte order, and a file declared UTF-8 is refused with
// the cause instead of being read as text full of NULs.
func TestUTF16WithoutBOM(t *testing.T) {
	text := "id,mail,mail2,ok\n1,王@example.com,,yes\n"
	for _, order := range []string{"le", "be"} {
		var b []byte
		for _, u := range utf16.Encode([]rune(text)) {
			if order == "le" {
				b = append(b, byte(u), byte(u>>8))
			} else {
				b = append(b, byte(u>>8), byte(u))
			}
		}
		for _, enc := range []string{EncodingAuto, EncodingUTF16} {
			sp := spec(1, basic)
			sp.Encoding = enc
			rows, err := readAll(t, string(b), sp)
			if err != nil || len(rows) != 1 || rows[0].Get(Email) != "王@example.com" {
				t.Errorf("%s/%s: rows %v, err %v", order, enc, rows, err)
			}
		}
		sp := spec(1, basic)
		sp.Encoding = EncodingUTF8
		if _, err := readAll(t, string(b), sp); err == nil || !strings.Contains(err.Error(), "looks like UTF-16 without a byte-order mark") {
			t.Errorf("%s declared utf-8: got %v", order, err)
		}
	}
}

// TestUndecidableEncodingNamesAPosition: a file that is neither UTF-8 nor
// clearly Big5 or GB18030 is refused at the first byte that is not UTF-8.
func TestUndecidableEncodingNamesAPosition(t *testing.T) {
	_, err := readAll(t, "id,mail,mail2,ok\n1,ab\xa4\xa4,,yes\n", spec(1, basic))
	var xe *Error
	if !errors.As(err, &xe) || xe.Line != 2 || xe.Column != 5 {
		t.Fatalf("got %v, want an error at x.csv:2:5", err)
	}
}

// asRead is in as crToLF hands it on, written independently of it: the
// Ctrl-Z run that ends in (from the first Ctrl-Z of the run of Ctrl-Z and
// line breaks in ends with) dropped, then each "\r" not followed by "\n"
// made a "\n". The reader looks as far ahead as its buffer (16 bytes in
// scanAll), or further when a read brings more, to know the run ends the
// input: for a run longer than that, whether the mark is dropped depends
// on how the reads fall, and ok is false.
func asRead(in string) (string, bool) {
	t := len(in)
	for t > 0 && (in[t-1] == 0x1a || in[t-1] == '\r' || in[t-1] == '\n') {
		t--
	}
	ok := true
	if k := strings.IndexByte(in[t:], 0x1a); k >= 0 {
		ok = len(in)-(t+k) <= 16
		in = in[:t+k]
	}
	b := []byte(in)
	for i := range b {
		if b[i] == '\r' && (i+1 == len(b) || b[i+1] != '\n') {
			b[i] = '\n'
		}
	}
	return string(b), ok
}
