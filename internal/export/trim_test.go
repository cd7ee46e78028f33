package export

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/celltext"
)

// TestGetTrimsWhatCannotBeSeen: the characters Windows software and
// copying leave at a cell's edges — Ctrl-Z stuck to the file's last cell,
// a byte-order mark where two files were joined, zero-width and direction
// marks — are not the value: Get, Key and OrderKey read the cell as it
// looks, and a line holding only a Ctrl-Z is blank (a review of
// Windows-saved exports: the last row's event id changed, and the line
// was counted as a malformed row).
func TestGetTrimsWhatCannotBeSeen(t *testing.T) {
	body := "order_id,email,chart,at\n" +
		"\ufeffA1,\u200bq@example.org\u200e,CH\u00a0,2026-11-02\n" +
		"A2,r@example.org,CH-2,2026-11-03\x1a\n" +
		"\x1a"
	r, err := NewReader(strings.NewReader(body), "x.csv", spec(0, map[Column][]string{OrderID: {"order_id"}, Email: {"email"}, PatientKey: {"chart"}, AppointmentAt: {"at"}}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		row, err := r.Next()
		if err != nil {
			break
		}
		key, _ := row.OrderKey(OrderID, nil)
		got = append(got, key+"|"+row.Get(Email)+"|"+row.Get(PatientKey)+"|"+row.Get(AppointmentAt))
	}
	want := []string{"A1|q@example.org|CH|2026-11-02", "A2|r@example.org|CH-2|2026-11-03"}
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
