package identifier

import "testing"

// TestNormalizePhoneAllocatesOnlyItsResult: normalizePhone returns a copy
// of phoneE164's view of its stack buffer. Assigned back to the same
// variable, the copy made escape analysis (which does not tell one
// assignment from another) move the buffer to the heap too: two
// allocations a number where one is the answer. A platform alone in a
// config prepares every phone number through it.
func TestNormalizePhoneAllocatesOnlyItsResult(t *testing.T) {
	for _, p := range []Platform{Google, Meta} {
		if n := testing.AllocsPerRun(100, func() {
			if _, err := normalizePhone(p, "0912-345-678", "TW"); err != nil {
				t.Fatal(err)
			}
		}); n != 1 {
			t.Errorf("%v: %v allocations per number, want 1 (the copy)", p, n)
		}
	}
}
