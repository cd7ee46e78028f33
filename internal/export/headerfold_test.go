package export

import "testing"

// TestHeaderWithInvisibleCharactersIsFound: a header cell copied from a
// web page or a chat carries a zero-width space, a word joiner or a soft
// hyphen nobody can see; the column it names is found. It stopped the run
// (exit 1) saying "ok" was not in the header when it visibly was, without
// a "did you mean" (an edit distance of 1 is within the hint's reach, but
// the hint compared the unfolded cell).
func TestHeaderWithInvisibleCharactersIsFound(t *testing.T) {
	for _, h := range []string{"ok\u200b", "\u200bok", "o\u2060k", "o\u00adk", "ok\ufeff", "\u00a0ok\u200d", "ｏｋ"} {
		in := "id,mail,mail2," + h + "\n1,a@example.com,,yes\n"
		rows, err := readAll(t, in, spec(1, basic))
		if err != nil {
			t.Errorf("header %q: %v", h, err)
			continue
		}
		if len(rows) != 1 || rows[0].Get(Consent) != "yes" {
			t.Errorf("header %q: consent column not read", h)
		}
	}
	if !SameHeader("marketing_consent\u200b", "marketing_consent") {
		t.Error("SameHeader does not fold a zero-width space")
	}
}
