package identifier

import (
	"strings"
	"testing"
	"unicode"
)

var asciiSeeds = []string{"", "a@example.com", "Amir.Bob1@Example.COM", "  a b ", "a\tb", "x\u00a0y", "x\u0085y", "a\u3000b",
	"ÀB@x.com", "\xff\xfe", "a\vb\fc\rd\ne", "a;b", "a，b", "a、b", "名@例.com", "A" + strings.Repeat("Z", 40)}

// FuzzHasSpace: hasSpace is strings.IndexFunc(s, unicode.IsSpace) >= 0,
// the code it replaced, for any bytes.
func FuzzHasSpace(f *testing.F) {
	for _, s := range asciiSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasSpace(s), strings.IndexFunc(s, unicode.IsSpace) >= 0; got != want {
			t.Fatalf("%q: hasSpace %v, IndexFunc says %v", s, got, want)
		}
	})
}

// FuzzIndexEmailSeparator: indexEmailSeparator is
// strings.IndexFunc(s, emailSeparator), for any bytes.
func FuzzIndexEmailSeparator(f *testing.F) {
	for _, s := range asciiSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := indexEmailSeparator(s), strings.IndexFunc(s, emailSeparator); got != want {
			t.Fatalf("%q: %d, IndexFunc says %d", s, got, want)
		}
	})
}

// FuzzLowerASCII: lower is what it was — strings.ToLower for ASCII, the
// Unicode path otherwise — for any bytes.
func FuzzLowerASCII(f *testing.F) {
	for _, s := range asciiSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !isASCII(s) {
			return // lower's Unicode path is unchanged
		}
		if got, want := lower(s), strings.ToLower(s); got != want {
			t.Fatalf("%q: lower %q, strings.ToLower %q", s, got, want)
		}
	})
}

// FuzzPlaceholder: placeholder is placeholders[lower(foldKey(s))], what it
// was before its ASCII path, for any bytes.
func FuzzPlaceholder(f *testing.F) {
	for _, s := range append(asciiSeeds, "N/A", " None ", "NO EMAIL", "-", "無", "Ｎ／Ａ", "TBD\t", "12345", "+886") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := false
		if len(s) <= 12 && (s == "" || !('0' <= s[0] && s[0] <= '9' || s[0] == '+' || s[0] == '(')) {
			want = placeholders[lower(foldKey(s))]
		}
		if got := placeholder(s); got != want {
			t.Fatalf("%q: placeholder %v, want %v", s, got, want)
		}
	})
}
