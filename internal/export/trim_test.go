package export

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestTrimIsTrimSpace holds trim's shortcut to strings.TrimSpace: every
// byte alone, at either edge of a cell and at both, Unicode's white space
// (U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F,
// U+3000) at the edges, and invalid UTF-8.
func TestTrimIsTrimSpace(t *testing.T) {
	var in []string
	for c := range 256 {
		b := string([]byte{byte(c)})
		in = append(in, b, b+"x", "x"+b, b+"abc"+b, "a"+b+"b", b+b)
	}
	for _, r := range []rune{0x85, 0xA0, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000, 0xFEFF, 0x200B, 'é', '植'} {
		w := string(r)
		in = append(in, w, w+"A1", "A1"+w, w+"A1"+w, "A"+w+"1")
	}
	in = append(in, "", "A00000001", "  Amir.Bob1@Example.COM ", "0985-532-132", "\xff", "a\xc2", "\xa0a")
	for _, s := range in {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Errorf("trim(%q) = %q, TrimSpace gives %q", s, got, want)
		}
	}
}

// FuzzTrim: trim is strings.TrimSpace for any cell, and so Get, All, Key
// and OrderKey read the cells they read before.
func FuzzTrim(f *testing.F) {
	for _, s := range []string{"", " a ", "a", "\u3000植牙\u3000", "\xa0x", "x\x85", "\t1\n", "~!", "\x7f"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := trim(s), strings.TrimSpace(s); got != want {
			t.Fatalf("trim(%q) = %q, TrimSpace gives %q", s, got, want)
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
		if got, want := row.Get(Email), strings.TrimSpace(cell); got != want {
			t.Fatalf("Get of %q = %q, TrimSpace gives %q", cell, got, want)
		}
	})
}
