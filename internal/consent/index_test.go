package consent

import (
	"strings"
	"testing"
)

// FuzzIndex holds classify's index to strings.Index, which it replaces so
// that a stack-folded value is handed to no callee whose escape summary a
// profile can change (docs/performance.md).
func FuzzIndex(f *testing.F) {
	for _, c := range [][2]string{{"", ""}, {"a", ""}, {"", "a"}, {"line only", "line"}, {"online", "line"}, {"僅限本院", "本院"}, {"aab", "ab"}, {"ab", "abc"}} {
		f.Add(c[0], c[1])
	}
	f.Fuzz(func(t *testing.T, s, sub string) {
		if got, want := index(s, sub), strings.Index(s, sub); got != want {
			t.Errorf("index(%q, %q) = %d, strings.Index says %d", s, sub, got, want)
		}
	})
}
