package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
)

// scanTrace reads in with the scanner, the fast path on or off, and
// spells everything a caller can observe: each record's cells, every
// field's position and quoting, what goodText says of it, and the error
// that ends the read, with its position.
func scanTrace(in string, comma byte, limit, bufSize int, general bool) string {
	sc := newScanner(bufio.NewReaderSize(newCRToLF(strings.NewReader(in)), bufSize), comma, limit, 1)
	sc.general = sc.general || general
	var b strings.Builder
	for n := 0; n < 1000; n++ {
		rec, err := sc.read()
		if err != nil {
			var se *scanError
			switch {
			case errors.As(err, &se):
				fmt.Fprintf(&b, "scan error %d:%d %s\n", se.line, se.col, se.reason)
			case errors.Is(err, errTooLarge):
				fmt.Fprintf(&b, "too large at %d\n", sc.start)
				continue
			default:
				fmt.Fprintf(&b, "%v\n", err)
			}
			return b.String()
		}
		fmt.Fprintf(&b, "%q good=%v/%v", rec, goodText(sc.whole, rec, false), goodText(sc.whole, rec, true))
		for i := -1; i <= len(rec); i++ {
			l, c := sc.fieldPos(i)
			fmt.Fprintf(&b, " %d:%d:%v", l, c, sc.quoted(i))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// FuzzFastLine: the scanner's fast path for a whole line without a quote
// (readLine) gives the same records, positions, quoting, text verdicts,
// refusals and errors as the state machine, for any bytes, separators,
// limits and buffer sizes (a small buffer cuts lines into pieces, which
// the fast path leaves to the state machine).
func FuzzFastLine(f *testing.F) {
	f.Add("a,b,c\n1,2,3\n", byte(','), uint16(100), byte(0))
	f.Add("a,b,c\r\n1,,3\r\n\n,\n", byte(','), uint16(6), byte(0))
	f.Add("id;mail\n1;a@example.com\n2;\"q;x\"\n3;o\"k\n", byte(';'), uint16(1000), byte(3))
	f.Add("x\ty\n\xff\tz\n王,小\n\xe7\x8e,\x8b\n", byte('\t'), uint16(1000), byte(0))
	f.Add("a,b\rc,d\r\"e\r\nf\",g", byte(','), uint16(9), byte(1))
	f.Add("12345678,1\n1234567,1\n123456,1\n", byte(','), uint16(9), byte(0))
	f.Add("\xef\xbf\xbd,a\nb,\xef\xbf,\xbd\n", byte(','), uint16(50), byte(0))
	f.Fuzz(func(t *testing.T, in string, comma byte, limit uint16, small byte) {
		if comma == '"' || comma == '\n' || comma == '\r' {
			return
		}
		size := 4096
		if small%4 == 1 {
			size = 16 // bufio's smallest: lines arrive in pieces
		}
		lim := 1 + int(limit)%2000
		fast := scanTrace(in, comma, lim, size, false)
		slow := scanTrace(in, comma, lim, size, true)
		if fast != slow {
			t.Fatalf("%q sep %q limit %d buffer %d:\nfast path:\n%s\nstate machine:\n%s", in, comma, lim, size, fast, slow)
		}
	})
}

// TestFastLineTaken: the fast path is what reads an ordinary export — a
// line without a quote — and a quote anywhere in a line, or a line longer
// than the buffer, leaves it to the state machine.
func TestFastLineTaken(t *testing.T) {
	for _, c := range []struct {
		in   string
		size int
		fast bool
	}{
		{"A1,2026-11-01 09:00,completed,a@example.com,Y\n", 4096, true},
		{"A1,\"2026-11-01 09:00\",completed\n", 4096, false},
		{"A1,5'10\",completed\n", 4096, false},
		{"A1,2026-11-01 09:00,completed,a@example.com,Y\n", 16, false},
		{"no line break at the end", 4096, false},
	} {
		sc := newScanner(bufio.NewReaderSize(newCRToLF(strings.NewReader(c.in)), c.size), ',', 1<<20, 1)
		if _, err := sc.read(); err != nil && !errors.Is(err, io.EOF) {
			t.Fatal(err)
		}
		if sc.fast != c.fast {
			t.Errorf("%q (buffer %d): fast path %v, want %v", c.in, c.size, sc.fast, c.fast)
		}
	}
}

// FuzzReaderFastLine: through the whole reader (header, encodings, text
// checks, footers, refused rows), the fast path gives the same rows and
// the same errors, file:line:column included, as the state machine.
func FuzzReaderFastLine(f *testing.F) {
	f.Add("id,mail,mail2,ok\n1,a@example.com,,yes\n2,\xff,,no\n")
	f.Add("id,mail,mail2,ok\n1,a\"b,,\n2,b@example.com,,\"y\"\n")
	f.Add("id;mail;mail2;ok\n1;\xa4\xa4;;\n\xa6X\xadp;;;\n")
	f.Add("id,mail,mail2,ok\n1," + strings.Repeat("huge", 300) + ",,yes\n2,a,,\n")
	f.Add("id,mail,mail2,ok\n1,\xe7\x8e,\x8b,yes\n")
	f.Fuzz(func(t *testing.T, in string) {
		read := func(general bool) string {
			r, err := NewReader(strings.NewReader(in), "f.csv", fuzzSpec(in))
			if err != nil {
				return fmt.Sprintf("open: %v", err)
			}
			r.sc.general = r.sc.general || general
			var b strings.Builder
			for range 10000 {
				row, err := r.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					fmt.Fprintf(&b, "error: %v %#v\n", err, err)
					break
				}
				l, c := row.Position(Email)
				fmt.Fprintf(&b, "%d %v %q %q %v %d:%d\n", row.Line, row.Refused(), row.Cells(), row.Get(Email), row.Short(), l, c)
			}
			return b.String()
		}
		if fast, slow := read(false), read(true); fast != slow {
			t.Fatalf("%q:\nfast path:\n%s\nstate machine:\n%s", in, fast, slow)
		}
	})
}

// FuzzNextTo: rows read with NextTo into reused storage are Next's rows —
// cells, line, positions, refusals, errors — and each stays intact until
// its storage is reused: every row of a "chunk" is checked again at the
// chunk's end, after later records were appended to the same text.
func FuzzNextTo(f *testing.F) {
	f.Add("id,mail,mail2,ok\n1,a@example.com,,yes\n2,\"b@example.com\",,\"y\"\n3,,,\n", byte(2))
	f.Add("id,mail,mail2,ok\n1,\xe7\x8e,\x8b,yes\n", byte(1))
	f.Add("id;mail;mail2;ok\n1;\xa4\xa4;;\n\xa6X\xadp;;;\n", byte(3))
	f.Add("id,mail,mail2,ok\n1,"+strings.Repeat("huge", 300)+",,yes\n2,a,,\n\n,,,\n", byte(0))
	f.Fuzz(func(t *testing.T, in string, per byte) {
		open := func() (*Reader, error) {
			return NewReader(strings.NewReader(in), "f.csv", fuzzSpec(in))
		}
		spell := func(row Row) string {
			var b strings.Builder
			fmt.Fprintf(&b, "%d %v %q %v", row.Line, row.Refused(), row.Cells(), row.Short())
			for c := range numColumns {
				l, col := row.Position(c)
				fmt.Fprintf(&b, " %d:%d", l, col)
			}
			return b.String()
		}
		r1, err1 := open()
		r2, err2 := open()
		if (err1 == nil) != (err2 == nil) {
			t.Fatalf("open: %v / %v", err1, err2)
		}
		if err1 != nil {
			return
		}
		chunk := 1 + int(per)%5
		var store []string
		var text []byte
		var held []Row
		var want []string
		for range 10000 {
			row, err := r1.Next()
			var got Row
			var err2 error
			got, store, text, err2 = r2.NextTo(store, text)
			if fmt.Sprint(err) != fmt.Sprint(err2) {
				t.Fatalf("Next: %v, NextTo: %v", err, err2)
			}
			if err != nil {
				return
			}
			w := spell(row.Detach())
			if g := spell(got); g != w {
				t.Fatalf("NextTo:\n%s\nNext:\n%s", g, w)
			}
			held, want = append(held, got), append(want, w)
			if len(held) == chunk {
				for i, h := range held {
					if g := spell(h); g != want[i] {
						t.Fatalf("row %d of the chunk changed before its storage was reused:\n%s\nwas\n%s", i, g, want[i])
					}
				}
				held, want, store, text = held[:0], want[:0], store[:0], text[:0]
			}
		}
	})
}

// fuzzSpec derives from the fuzzer's input the reader settings both
// fuzz targets vary — footer rows to skip, a record limit, the encoding —
// so that one input explores them together, the same way in each target.
func fuzzSpec(in string) Spec {
	sp := spec(0, basic)
	sp.SkipFooter = len(in) % 3
	if len(in)%2 == 0 {
		sp.MaxRecordBytes = 16 + len(in)%200
	}
	if len(in) > 0 {
		sp.Encoding = Encodings[int(in[0])%len(Encodings)]
	}
	return sp
}

// TestNextToRowsOutliveTheReadBuffer: rows read by NextTo stay what Next
// reads while many more lines pass through the reader's buffer after
// them — a line without a quote is split in the caller's text itself
// (readLine's into), never left a view of the buffer being refilled.
func TestNextToRowsOutliveTheReadBuffer(t *testing.T) {
	var in strings.Builder
	in.WriteString("id,mail,mail2,ok\n")
	for i := range 20000 {
		if i%7 == 0 {
			fmt.Fprintf(&in, "%d,\"q%d@example.com\",,yes\n", i, i) // the state machine's path
		} else {
			fmt.Fprintf(&in, "%d,a%d@example.com,b%d@example.org,yes\n", i, i, i)
		}
	}
	open := func() *Reader {
		r, err := NewReader(strings.NewReader(in.String()), "f.csv", spec(0, basic))
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r1, r2 := open(), open()
	var store []string
	var text []byte
	var got []Row
	var want []string
	for {
		row, err := r1.Next()
		var g Row
		var err2 error
		g, store, text, err2 = r2.NextTo(store, text)
		if errors.Is(err, io.EOF) && errors.Is(err2, io.EOF) {
			break
		}
		if err != nil || err2 != nil {
			t.Fatalf("Next: %v, NextTo: %v", err, err2)
		}
		got, want = append(got, g), append(want, fmt.Sprintf("%d %q", row.Line, row.Cells()))
	}
	if len(got) != 20000 {
		t.Fatalf("%d rows, want 20000", len(got))
	}
	for i, g := range got {
		if s := fmt.Sprintf("%d %q", g.Line, g.Cells()); s != want[i] {
			t.Fatalf("row %d changed as the reader read on:\n%s\nwas\n%s", i, s, want[i])
		}
	}
}
