package identifier

import (
	"strings"
	"testing"
)

// FuzzHasDoubleDot holds metaEmail's hasDoubleDot to strings.Contains.
func FuzzHasDoubleDot(f *testing.F) {
	for _, s := range []string{"", ".", "..", "a..b", "a.b.c", "...", "a."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasDoubleDot(s), strings.Contains(s, ".."); got != want {
			t.Errorf("hasDoubleDot(%q) = %v, strings.Contains says %v", s, got, want)
		}
	})
}
