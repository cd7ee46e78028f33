package export

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/celltext"
)

// TestGetTrimsWhatCannotBeSeen: the characters Windows software and
// copying leave at a cell's edges — zero-width and direction marks, a
// byte-order mark, controls — are not the value: Get reads the cell as it
// looks. The order id and the patient key lose white space only, as they
// always did (trimCell: ids and remembered withdrawals were made of them);
// the order id's key folds the rest (OrderKey: celltext.Fold), Key keeps
// the spelling an older hashgate made ids of, for the dual lookup.
// Ctrl-Z at the end of the file, stuck to the last cell or on a line of
// its own, is no text at all (a review of Windows-saved exports: the last
// row's event id changed, and the line was counted as a malformed row).
func TestGetTrimsWhatCannotBeSeen(t *testing.T) {
	body := "order_id,email,chart,at\n" +
		"\ufeffA1,\u200bq@example.org\u200e,\u200bCH\u00a0,\x002026-11-02\n" +
		"A2,r@example.org,CH-2,2026-11-03\n" +
		"\x1a"
	rows, err := readAll(t, body, spec(0, map[Column][]string{OrderID: {"order_id"}, Email: {"email"}, PatientKey: {"chart"}, AppointmentAt: {"at"}}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, row := range rows {
		key, _ := row.OrderKey(OrderID, nil)
		written, _ := row.Key(OrderID)
		got = append(got, key+"|"+written+"|"+row.Get(Email)+"|"+row.Get(PatientKey)+"|"+row.Get(AppointmentAt))
	}
	want := []string{"A1|\ufeffA1|q@example.org|\u200bCH|2026-11-02", "A2|A2|r@example.org|CH-2|2026-11-03"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("rows read:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// FuzzTrim: Get returns the cell as celltext.Trim gives it, whatever it
// holds (celltext's own tests hold Trim to its reference).
func FuzzTrim(f *testing.F) {
	for _, s := range []string{"", " a ", "a", "\u3000植牙\u3000", "\xa0x", "x\x85", "\t1\n", "~!", "\x7f", "a\x1a", "\ufeffa\u200b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trim(s), celltext.Trim(s); got != want {
			t.Fatalf("trim(%q) = %q, celltext.Trim gives %q", s, got, want)
		}
		if !utf8.ValidString(s) {
			return
		}
		// The same through a reader: the cell as Get returns it.
		cell := strings.NewReplacer(",", "", "\"", "", "\n", "", "\r", "").Replace(s)
		r, err := NewReader(strings.NewReader("order_id,email\nA1,"+cell+"\n"), "x.csv", spec(0, map[Column][]string{OrderID: {"order_id"}, Email: {"email"}}))
		if err != nil {
			t.Skip()
		}
		row, err := r.Next()
		if err != nil {
			return // a blank line or a refused text: no row to compare
		}
		if got, want := row.Get(Email), celltext.Trim(cell); got != want {
			t.Fatalf("Get of %q = %q, celltext.Trim gives %q", cell, got, want)
		}
	})
}

// TestCtrlZEndsTheFile: the DOS end-of-file mark stuck to the last cell
// (no line break before it) is dropped whatever column is last — the
// order id too, whose event id it changed; followed by text it is a byte
// of its cell.
func TestCtrlZEndsTheFile(t *testing.T) {
	s := spec(0, map[Column][]string{OrderID: {"order_id"}, Email: {"email"}})
	for body, want := range map[string]string{
		"email,order_id\nq@example.org,A1\x1a":           "A1",
		"email,order_id\nq@example.org,A1\x1a\r\n":       "A1",
		"email,order_id\nq@example.org,A1\x1a\x1a\n\x1a": "A1",
		"email,order_id\nq@example.org,A1\x1aB\n":        "A1\x1aB",
		// An earlier Ctrl-Z (inside a cell, or ending a first file joined
		// to a second) does not hide the one at the end; nor does
		// padding to a 128-byte block (a review of the fix).
		"email,order_id\nq\x1a@example.org,A1\x1a":                           "A1",
		"email,order_id\nq@example.org,A1\x1a" + strings.Repeat("\x1a", 200): "A1",
	} {
		rows, err := readAll(t, body, s)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, row := range rows {
			got = append(got, row.Get(OrderID))
		}
		if len(got) != 1 || got[0] != want {
			t.Errorf("%q: order ids %q, want [%q]", body, got, want)
		}
	}
}
