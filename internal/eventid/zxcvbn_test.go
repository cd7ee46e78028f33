package eventid

import (
	"bufio"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/hashgate/hashgate/third_party/zxcvbn"
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

// TestZxcvbnDictionariesFreedAfterEstimate: the patched copy builds its
// ranked dictionaries (about 6 MB live) for an estimate and lets the
// garbage collector take them back once no estimate holds them, so a run
// that checked its secret at the start does not carry them beside its rows
// (issue 29: peak RSS). Kept for the life of the process, as upstream and
// the first patch did, the live heap after a collection stays about 6 MB
// higher than before the estimate. A second estimate must rebuild them and
// answer the same.
func TestZxcvbnDictionariesFreedAfterEstimate(t *testing.T) {
	live := func() int64 {
		runtime.GC()
		runtime.GC() // the first clears the weak pointer, the second sweeps
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return int64(ms.HeapAlloc)
	}
	const key = "correcthorsebatterystaple-correcthorse"
	before := live()
	first := EstimatedBits(key)
	grew := live() - before
	if grew > 2<<20 {
		t.Errorf("the live heap is %.1f MB larger after an estimate than before it: the dictionaries are kept", float64(grew)/(1<<20))
	}
	if again := EstimatedBits(key); again != first {
		t.Errorf("estimate after the dictionaries were collected: %v bits, first %v", again, first)
	}
}
