package celltext

import (
	"strings"
	"testing"
	"unicode"
)

// reference is Trim without its shortcut.
func reference(s string) string { return strings.TrimFunc(s, Invisible) }

// TestTrim: the characters Windows software and copying leave at a cell's
// edges go; what a reader sees stays, inside the value too; white space
// goes as strings.TrimSpace takes it.
func TestTrim(t *testing.T) {
	for in, want := range map[string]string{
		"A0019\x1a":                "A0019",
		"\ufeffA0019":              "A0019",
		"quinn@example.org\u200b":  "quinn@example.org",
		"\u200e0912-345-678\u200f": "0912-345-678",
		"\u2060\u00ad\x00yes\x7f":  "yes",
		"\u3000植牙\u00a0":           "植牙",
		" a\u200bb ":               "a\u200bb", // inside: left to the identifier rules
		"\u0085x\x1b":              "x",
		"\xffA":                    "\xffA", // invalid UTF-8 is kept, as TrimSpace keeps it
		"\u200b":                   "",
		"":                         "",
		"A1":                       "A1",
	} {
		if got := Trim(in); got != want {
			t.Errorf("Trim(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestTrimCoversTrimSpace: Trim removes all that strings.TrimSpace removes
// — every byte and Unicode's white space at an edge — and Invisible holds
// every control and format character of the Unicode tables Go ships.
func TestTrimCoversTrimSpace(t *testing.T) {
	var in []string
	for c := range 256 {
		b := string([]byte{byte(c)})
		in = append(in, b, b+"x", "x"+b, b+"abc"+b, "a"+b+"b", b+b)
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) || unicode.IsControl(r) {
			w := string(r)
			in = append(in, w+"A1"+w)
			if !Invisible(r) {
				t.Errorf("Invisible(%U) = false", r)
			}
		}
	}
	for _, s := range in {
		got := Trim(s)
		if got != reference(s) {
			t.Errorf("Trim(%q) = %q, its reference %q", s, got, reference(s))
		}
		if strings.TrimSpace(got) != got {
			t.Errorf("Trim(%q) = %q, which TrimSpace would trim further", s, got)
		}
	}
}

// FuzzTrim holds the shortcut to its reference, and Trim to TrimSpace's
// removals, for any text.
func FuzzTrim(f *testing.F) {
	for _, s := range []string{"", " a ", "a\x1a", "\ufeffa", "a\u200b", "\u3000植牙\u3000", "\xa0x", "x\x85", "~!", "\x7f", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Trim(s)
		if got != reference(s) {
			t.Fatalf("Trim(%q) = %q, its reference %q", s, got, reference(s))
		}
		if strings.TrimSpace(got) != got {
			t.Fatalf("Trim(%q) = %q, which TrimSpace would trim further", s, got)
		}
	})
}
