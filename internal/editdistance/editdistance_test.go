package editdistance

import "testing"

func TestDistances(t *testing.T) {
	for _, c := range []struct {
		a, b     string
		lev, osa int
	}{
		{"", "", 0, 0},
		{"consent", "consent", 0, 0},
		{"", "abc", 3, 3},
		{"kitten", "sitting", 3, 3},
		{"consent", "cosnent", 2, 1}, // a transposition
		{"同意", "同億", 1, 1},           // one rune, not three bytes
		{"ab", "ba", 2, 1},
		{"ca", "abc", 3, 3}, // OSA, not full Damerau: 3 here
	} {
		if got := Levenshtein(c.a, c.b); got != c.lev {
			t.Errorf("Levenshtein(%q, %q) = %d, want %d", c.a, c.b, got, c.lev)
		}
		if got := OSA(c.a, c.b); got != c.osa {
			t.Errorf("OSA(%q, %q) = %d, want %d", c.a, c.b, got, c.osa)
		}
		if Levenshtein(c.a, c.b) != Levenshtein(c.b, c.a) || OSA(c.a, c.b) != OSA(c.b, c.a) {
			t.Errorf("%q, %q: not symmetric", c.a, c.b)
		}
	}
}
