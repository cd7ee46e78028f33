package export

import (
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzReader: any bytes give rows or a positioned *Error, never a panic,
// and no error message quotes the input's cells.
func FuzzReader(f *testing.F) {
	f.Add("id,mail,mail2,ok\n1,a@example.com,,yes\n")
	f.Add("\xef\xbb\xbfid,mail,mail2,ok\n\"1\n2\",x,,\"\"\"\"\n")
	f.Add("title\nid,mail,mail2,ok\n1,\xff,,\n")
	f.Add("id,mail,mail2,ok\n1,a\"b,,\n")
	f.Add("\xff\xfei\x00d\x00\t\x00m\x00a\x00i\x00l\x00\n\x00")
	f.Add("\xb3\x5c|id|mail|mail2|ok\n1|\xb3\x5c||\n")
	f.Add("id;mail;mail2;ok\n1;\xa4\xa4;;\n\xa6X\xadp;;;\n")
	f.Add("id,mail,mail2,ok\n1,\"stray,,yes\n2,\"b@example.com\",,yes\n")                            // stray quote
	f.Add("id,mail,mail2,ok\r1,a@example.com,,yes\r\r2,\"x\ry\",,\r")                                // lone CR
	f.Add("id,mail,mail2,ok\n1," + strings.Repeat("huge", 300) + ",,yes\n2,a,,\n")                   // huge field
	f.Add("i\x00d\x00,\x00m\x00a\x00i\x00l\x00,\x00m\x00a\x00i\x00l\x002\x00,\x00o\x00k\x00\n\x00")  // UTF-16LE, no BOM
	f.Add("\ufeffid,mail,mail2,ok\r\n1,=\"0912345678\",,是\r\n2,\"a@example.com\r\nb\",,yes\r\n\x1a") // Excel CSV UTF-8, CRLF
	f.Add("id\tmail\tmail2\tok\r\n1\t王小明\t\t同意\r\n")                                                 // tab-separated, CRLF
	f.Fuzz(func(t *testing.T, in string) {
		sp := spec(0, basic)
		sp.SkipFooter = len(in) % 3
		if len(in)%2 == 0 {
			sp.MaxRecordBytes = 16 + len(in)%200 // small enough that rows get refused
		}
		if len(in) > 0 {
			sp.Encoding = Encodings[int(in[0])%len(Encodings)]
		}
		if len(in)%5 == 1 {
			sp.HeaderRow = 2 // perhaps a row of data: the header moved
		}
		r, err := NewReader(strings.NewReader(in), "f.csv", sp)
		if err != nil {
			checkErr(t, err)
			checkSuggestion(t, in, sp, err)
			return
		}
		for i := 0; i < 10000; i++ {
			row, err := r.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				checkErr(t, err)
				return
			}
			if e := row.Refused(); e != nil {
				checkErr(t, e)
				if e.Line != row.Line || e.Line == 0 {
					t.Fatalf("refused row at line %d, error at %d", row.Line, e.Line)
				}
			}
			_ = row.Get(Email)
			_, _ = row.Key(OrderID)
			_ = row.All(Email, nil)
		}
	})
}

// checkSuggestion: the reason's prefix is fixed text, and checkErr stops
// there; a "did you mean" after it names a cell of the header line, which
// must be a header — hold one of the configured names — or the cell is a
// patient's. Checked where the line can be read back plainly: ASCII text,
// no CR or NUL, not read as UTF-16. Any delimiter splits (and a quote is
// dropped): the check errs towards finding a name.
func checkSuggestion(t *testing.T, in string, sp Spec, err error) {
	t.Helper()
	var xe *Error
	if !errors.As(err, &xe) || !strings.Contains(xe.Reason, "(did you mean ") || sp.Encoding == EncodingUTF16 ||
		strings.ContainsAny(in, "\r\x00") || strings.IndexFunc(in, func(r rune) bool { return r >= 0x80 }) >= 0 {
		return
	}
	lines := strings.Split(in, "\n")
	if xe.Line < 1 || xe.Line > len(lines) {
		t.Fatalf("suggestion from line %d of %d: %v", xe.Line, len(lines), err)
	}
	for _, c := range strings.FieldsFunc(lines[xe.Line-1], func(r rune) bool { return strings.ContainsRune(",;\t|", r) }) {
		c = strings.ToLower(strings.TrimSpace(strings.ReplaceAll(c, "\"", "")))
		for _, hs := range sp.Headers {
			for _, h := range hs {
				if c == h {
					return
				}
			}
		}
	}
	t.Fatalf("line %d holds no configured column name, yet a cell of it is suggested: %v", xe.Line, err)
}

func checkErr(t *testing.T, err error) {
	t.Helper()
	var xe *Error
	if !errors.As(err, &xe) {
		t.Fatalf("error %v is not an *export.Error", err)
	}
	// The reason is built from fixed text and config header names only:
	// anything else could be a cell value.
	for _, known := range []string{
		`column "mail2" (input.columns.email) is not in the header`,
		`column "mail" (input.columns.email) is not in the header`,
		`column "id" (input.columns.order_id) is not in the header`,
		`column "ok" (input.columns.consent) is not in the header`,
		"bytes that are not valid ", "no header at line ", "header not found: ",
		"the file is not UTF-8 and its encoding cannot be decided", "the file starts with a ",
		"a quoted field opens here and never closes", "the quoted field that opens here is closed by a quote",
		"the header line is larger than input.max_record_bytes", "the file looks like UTF-16",
		"record larger than input.max_record_bytes",
		// Fixed text added since the list was written (the fuzz campaign
		// of 2026-12-07 found the first on the empty input).
		"the file is empty (0 bytes)", "this is an Excel workbook (", "the export ends inside this record",
		"record of ", "the header line has ",
	} {
		if strings.HasPrefix(xe.Reason, known) {
			return
		}
	}
	if strings.HasPrefix(xe.Reason, "header ") && strings.HasSuffix(xe.Reason, "appears more than once") {
		return
	}
	t.Fatalf("unexpected error reason %q: it may carry input", xe.Reason)
}

// FuzzGoodText: goodText, which reads a record once, says a record is
// good exactly when badText finds nothing in any of its cells, for any
// bytes cut at any places (inside a character too), in UTF-8 and legacy
// mode.
func FuzzGoodText(f *testing.F) {
	for _, s := range []string{"", "a@example.com", "王小明", "\xff", "a\xc3", "\xef\xbf\xbd", "ok\uFFFDok", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", strings.Repeat("abcdefgh", 9) + "\x80"} {
		f.Add(s, []byte{1, 3})
	}
	f.Add("王小明,陳", []byte{1, 2, 4})
	f.Add("x\uFFFDy", []byte{2})
	f.Fuzz(func(t *testing.T, whole string, cuts []byte) {
		var rec []string
		prev := 0
		for _, c := range cuts {
			if end := prev + int(c)%8; end <= len(whole) {
				rec = append(rec, whole[prev:end])
				prev = end
			}
		}
		rec = append(rec, whole[prev:])
		for _, legacy := range []bool{false, true} {
			bad := false
			for _, cell := range rec {
				if badText(cell, legacy) >= 0 {
					bad = true
				}
			}
			if good := goodText(whole, rec, legacy); good == bad {
				t.Fatalf("%q cut %q legacy %v: goodText %v, a bad cell %v", whole, rec, legacy, good, bad)
			}
		}
	})
}
