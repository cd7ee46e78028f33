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
			sp := spec(0, basic)
			sp.SkipFooter = len(in) % 3
			if len(in)%2 == 0 {
				sp.MaxRecordBytes = 16 + len(in)%200
			}
			if len(in) > 0 {
				sp.Encoding = Encodings[int(in[0])%len(Encodings)]
			}
			r, err := NewReader(strings.NewReader(in), "f.csv", sp)
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
