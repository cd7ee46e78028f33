package celltext

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestFold: the spellings a full-width keyboard mode, a chat paste or a
// spreadsheet's no-break space make of an id fold to the id; what tells
// two orders apart — case, leading zeros, inner spaces — stays.
func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Ａ１００１":             "A1001",
		"A1001\u200b":       "A1001",
		"\u200bA1001":       "A1001",
		"A10\u200c01":       "A1001",
		"A10\u200d01":       "A1001",
		"A1001\u2060":       "A1001",
		"\ufeffA1001":       "A1001",
		"A1\u00ad001":       "A1001",
		"\u00a0A1001\u00a0": "A1001",
		"\u3000Ａ１００１\u200b": "A1001",
		"ａ１００１":             "a1001", // case kept
		"０１００１":             "01001", // leading zero kept
		"A1 001":            "A1 001",
		"植牙-12":             "植牙-12",
		"A1001":             "A1001",
		"":                  "",
		"\u200b":            "",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFoldASCIIDoesNotAllocate: most ids are ASCII, and Fold runs on every
// row's order id.
func TestFoldASCIIDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("A1001-", 4)
	if n := testing.AllocsPerRun(100, func() { _ = Fold(s) }); n != 0 {
		t.Errorf("Fold of an ASCII id allocates %v times", n)
	}
}

// FuzzFold: Fold is idempotent (a folded id folds to itself, so an id sent
// under its folded spelling is found under it), leaves no format
// character and no edge white space in valid text, and is the identity on
// ASCII.
func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "A1001", "Ａ１００１", "A1001\u200b", "\u00a0x\u00a0", "\u3000植牙\u3000", "e\u200b\u0301", "\u00b4", "ﬁ", "\xff\u200b", "a\u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Fatalf("Fold(%q) = %q, but Fold of that is %q", s, got, again)
		}
		if utf8.ValidString(s) {
			if strings.IndexFunc(got, func(r rune) bool { return unicode.Is(unicode.Cf, r) }) >= 0 {
				t.Fatalf("Fold(%q) = %q keeps a format character", s, got)
			}
		}
		ascii := true
		for i := 0; i < len(s); i++ {
			ascii = ascii && s[i] < utf8.RuneSelf
		}
		if ascii && got != s {
			t.Fatalf("Fold(%q) = %q changed ASCII", s, got)
		}
	})
}
