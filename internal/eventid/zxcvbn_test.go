package eventid

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/trustelem/zxcvbn"
)

// TestPatchedZxcvbnMatchesUpstream holds the strength estimator hashgate
// links — github.com/trustelem/zxcvbn v1.0.1, patched in third_party/zxcvbn
// to build its dictionaries on first use rather than at every start — to
// the unpatched module's answers, recorded from the module proxy's copy
// before the replacement (testdata/zxcvbn-upstream.tsv): dictionary words,
// leet, keyboard walks, dates, repeats, sequences, non-ASCII and random
// URL-safe strings. A patch that changed a verdict would change which
// secrets hashgate refuses.
func TestPatchedZxcvbnMatchesUpstream(t *testing.T) {
	f, err := os.Open("testdata/zxcvbn-upstream.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		quoted, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("bad line %q", line)
		}
		s, err := strconv.Unquote(quoted)
		if err != nil {
			t.Fatal(err)
		}
		w, err := strconv.ParseFloat(want, 64)
		if err != nil {
			t.Fatal(err)
		}
		if got := zxcvbn.PasswordStrength(s, nil).Guesses; got != w {
			t.Errorf("Guesses(%s) = %v, upstream %v", quoted, got, w)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 150 {
		t.Fatalf("%d strings checked, want the recorded 150", n)
	}
}
