package export

import (
	"strings"
	"testing"
	"unsafe"
)

// positioned maps four of detachedPositions' columns, the order id not
// first and the consent time last, beside an unmapped one
// (AppointmentDate, BookedAt, ConsentGoogle, ConsentMeta).
var positioned = map[Column][]string{OrderID: {"id"}, Email: {"mail"}, Consent: {"ok"}, AppointmentAt: {"at"}, ConsentAt: {"okat"}}

// checkPositions reads in twice, by Next and by NextTo, and fails unless
// every row's detached positions (positionsTo, through Detach and
// NextTo) are those Position answers for the row before it is detached
// (the scanner's own field positions).
func checkPositions(t *testing.T, in string, sp Spec) (read int) {
	t.Helper()
	r1, err1 := NewReader(strings.NewReader(in), "f.csv", sp)
	r2, err2 := NewReader(strings.NewReader(in), "f.csv", sp)
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("open: %v / %v", err1, err2)
	}
	if err1 != nil {
		return 0
	}
	var store []string
	var text []byte
	for range 10000 {
		row, err := r1.Next()
		var got Row
		got, store, text, err2 = r2.NextTo(store, text)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("Next: %v, NextTo: %v", err, err2)
		}
		if err != nil {
			return read
		}
		read++
		detached := row.Detach()
		for _, c := range detachedPositions {
			wl, wc := row.Position(c)
			if row.detached { // a footer's held row: detached already
				continue
			}
			if l, col := detached.Position(c); l != wl || col != wc {
				t.Fatalf("line %d, %s: Detach %d:%d, Position %d:%d", row.Line, c.Key(), l, col, wl, wc)
			}
			if l, col := got.Position(c); l != wl || col != wc {
				t.Fatalf("line %d, %s: NextTo %d:%d, Position %d:%d", row.Line, c.Key(), l, col, wl, wc)
			}
		}
		store, text = store[:0], text[:0]
	}
	return read
}

// TestPositionsToIsPosition: rows split on the fast path and by the
// state machine (quotes, a cell over two lines), short and long rows, a
// header below a title line, a refused record.
func TestPositionsToIsPosition(t *testing.T) {
	for _, tc := range []struct {
		header int
		in     string
	}{
		{0, "mail,id,at,ok,okat\na@x.com,1,2026-11-01 09:00,yes,2026-10-01\n\"b@x.com\",2,\"2026-11-01\n09:00\",\"y\",x\n,3\n4,5,6,7,8,9\n"},
		{2, "Export of the clinic\nmail;id;at;ok;okat\n;\"7\";;yes;\nm;8;;;\n9;10\n"},
		{0, "okat,ok,at,id,mail\n1,2,3,4,5\n" + strings.Repeat("z", 300) + ",1,2,3,4\n5,6,7,8,9\n\"q\",6,7,8,9\n" + strings.Repeat("y", 300) + "\n"},
	} {
		sp := spec(tc.header, positioned)
		sp.MaxRecordBytes = 200
		if checkPositions(t, tc.in, sp) < 3 {
			t.Fatalf("%q: fewer than three rows read", tc.in)
		}
		sp.SkipFooter = 1
		checkPositions(t, tc.in, sp)
	}
}

// FuzzPositionsToIsPosition: whatever the export, a detached row's
// positions are what Position answered before it was detached.
func FuzzPositionsToIsPosition(f *testing.F) {
	f.Add("mail,id,at,ok,okat\na@x.com,1,2026-11-01 09:00,yes,2026-10-01\n\"b@x.com\",2,\"a\nb\",\"y\",x\n,3\n")
	f.Add("mail;id;at;ok;okat\n;\"7\";;yes;\n\xe7\x8e;8;;;\n")
	f.Add("id,mail,mail2,ok\n1,a@example.com,,yes\n2,\"b@example.com\",,\"y\"\n3,,,\n")
	f.Fuzz(func(t *testing.T, in string) {
		sp := fuzzSpec(in)
		for c, h := range positioned {
			sp.Headers[c] = h
		}
		checkPositions(t, in, sp)
		checkPositions(t, in, fuzzSpec(in))
	})
}

// TestEveryMappableColumnKeepsItsPosition: a config maps at most nine
// of detachedPositions' columns at once (appointment_at or
// appointment_date), and with all nine mapped — the birth date and the
// expiry among them — a detached row answers each one's true position,
// never column 0, on the fast path and across a quoted two-line cell.
func TestEveryMappableColumnKeepsItsPosition(t *testing.T) {
	nine := map[Column][]string{AppointmentAt: {"at"}, ConsentAt: {"okat"}, BookedAt: {"booked"}, OrderID: {"id"},
		Consent: {"ok"}, ConsentGoogle: {"okg"}, ConsentMeta: {"okm"}, BirthDate: {"dob"}, ConsentExpiresAt: {"exp"}}
	in := "mail,dob,id,at,ok,okg,okm,okat,booked,exp\n" +
		"a@x.com,1990-05-08,1,2026-11-01 09:00,yes,y,y,2026-10-01,2026-09-01,2027-01-01\n" +
		"\"b@x.com\",\"1990\n05-08\",2,x,y,y,y,a,b,2027-01-01\n"
	if checkPositions(t, in, spec(0, nine)) != 2 {
		t.Fatal("two rows not read")
	}
	r, err := NewReader(strings.NewReader(in), "f.csv", spec(0, nine))
	if err != nil {
		t.Fatal(err)
	}
	var store []string
	var text []byte
	for _, want := range []map[Column][2]int{
		{BirthDate: {2, 9}, ConsentExpiresAt: {2, 69}},
		// A quoted cell's column is its opening quote's; the expiry is
		// on the cell's second line, after `05-08",2,x,y,y,y,a,b,`.
		{BirthDate: {3, 11}, ConsentExpiresAt: {4, 22}},
	} {
		var row Row
		if row, store, text, err = r.NextTo(store, text); err != nil {
			t.Fatal(err)
		}
		for c, w := range want {
			if l, col := row.Position(c); l != w[0] || col != w[1] {
				t.Errorf("line %d, %s: %d:%d, want %d:%d", row.Line, c.Key(), l, col, w[0], w[1])
			}
		}
	}
}

// TestRowSize: every detached row carries a slot per mappable position
// (positionSlots) and is copied by value several times a row: growing
// it is a choice to make in the open, not by adding a column to
// detachedPositions.
func TestRowSize(t *testing.T) {
	if n := unsafe.Sizeof(Row{}); n > 128 {
		t.Fatalf("a Row is %d bytes, over 128", n)
	}
}
