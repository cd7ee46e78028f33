package reviewcsv

import (
	"bytes"
	"encoding/csv"
	"testing"
)

// TestQuotingMatchesEncodingCSV: the hand-written row encoder quotes exactly
// as encoding/csv does, for fields that need it and fields that do not.
func TestQuotingMatchesEncodingCSV(t *testing.T) {
	for _, f := range []string{"", "Purchase", "a,b", `say "hi"`, " lead", "\tx", "line\nbreak", "cr\r", `\.`, "植牙,", "ok."} {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write([]string{f})
		w.Flush()
		if got := string(appendField(nil, f)) + "\n"; got != want.String() {
			t.Errorf("%q: got %q, encoding/csv %q", f, got, want.String())
		}
	}
}

func FuzzQuoting(f *testing.F) {
	f.Add("a,b")
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write([]string{s, "x"})
		w.Flush()
		if got := string(appendField(nil, s)) + ",x\n"; got != want.String() {
			t.Fatalf("%q: got %q, encoding/csv %q", s, got, want.String())
		}
	})
}
