package phi

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestFoldASCIIIsFoldUnicode holds the ASCII fast path to x/text's NFKC
// and case folding: every ASCII byte alone, between letters and at the
// edges, every pair of ASCII bytes, click-id shapes, and the built-in
// terms in several cases. A string with any byte above 0x7F must take the
// general path.
func TestFoldASCIIIsFoldUnicode(t *testing.T) {
	var in []string
	for c := range utf8.RuneSelf {
		b := string(rune(c))
		in = append(in, b, "a"+b+"Z", b+"Gclid", "gclid"+b, " "+b+" ")
		for d := range utf8.RuneSelf {
			in = append(in, b+string(rune(d)))
		}
	}
	for _, term := range builtin {
		in = append(in, term, strings.ToUpper(term), " "+strings.ToUpper(term[:1])+term[1:]+"\t")
	}
	in = append(in, "", " ", "\t\n\v\f\r ", "Cj0KCQjwImPLANTz_BhD-ARIsAF", "EAIaIQobChMI0ivfHIV8gHpA-ImPlAnTs_",
		"fb.1.1700000000000.IwAR0HIVtest", "ＨＩＶ", "İstanbul", "K", "ß", "a\u00a0", "\u0085x", "\xff", "ok\xc3")
	for _, s := range in {
		got, ok := foldASCII(s)
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if ok != ascii {
			t.Fatalf("foldASCII(%q): ok %v for a string that is ASCII: %v", s, ok, ascii)
		}
		if want := foldUnicode(s); ok && got != want {
			t.Fatalf("foldASCII(%q) = %q, x/text folds it to %q", s, got, want)
		}
		if want := foldUnicode(s); fold(s) != want {
			t.Fatalf("fold(%q) = %q, x/text folds it to %q", s, fold(s), want)
		}
	}
}

// FuzzFoldASCII: fold, with its ASCII fast path, gives what x/text's
// general path gives for any string, and FindInToken and Find answer as
// they would with the general path's folding.
func FuzzFoldASCII(f *testing.F) {
	for _, s := range []string{"", "Implant", "Cj0KCQjwIMPLANTz_BhD-ARIsAF", " hiv ", "ＨＩＶ", "\xff", "a\tB\nC ", "STD-2024"} {
		f.Add(s)
	}
	g := New([]string{"Tooth Jewel"}, nil)
	f.Fuzz(func(t *testing.T, s string) {
		want := foldUnicode(s)
		if got := fold(s); got != want {
			t.Fatalf("fold(%q) = %q, x/text folds it to %q", s, got, want)
		}
		if got, ok := foldASCII(s); ok && got != want {
			t.Fatalf("foldASCII(%q) = %q, x/text folds it to %q", s, got, want)
		}
		term, hit := g.FindInToken(s)
		wantTerm, wantHit := findInTokenFolded(g, want)
		if term != wantTerm || hit != wantHit {
			t.Fatalf("FindInToken(%q) = %q, %v; with x/text's folding %q, %v", s, term, hit, wantTerm, wantHit)
		}
	})
}

// findInTokenFolded is FindInToken's loop over an already folded token.
func findInTokenFolded(g *Guard, s string) (string, bool) {
	for _, t := range g.terms {
		if utf8.RuneCountInString(t) >= 6 && glue(t) == t && !slices.Contains(wordOnly, t) && strings.Contains(s, t) || contains(s, t) {
			return t, true
		}
	}
	return "", false
}

// BenchmarkFindInToken: a click id's check, which every row with one takes.
func BenchmarkFindInToken(b *testing.B) {
	g := New(nil, nil)
	const gclid = "Cj0KCQjwzrzABhD8ARIsANlSWNPzkr5qZJ9cQn1x7dYV3oG4uT0sE2bWfHhKaL8mRz_wcB"
	b.ReportAllocs()
	for b.Loop() {
		if _, hit := g.FindInToken(gclid); hit {
			b.Fatal("hit")
		}
	}
}
