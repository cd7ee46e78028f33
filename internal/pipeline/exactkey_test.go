package pipeline

import "testing"

// TestExactKeyKeepsCaseAndZeros: an access request's key as written is
// trimmed and read in ASCII for full-width forms, nothing else: case,
// leading zeros and other compatibility forms (①, ²) may name another
// patient in a clinic system.
func TestExactKeyKeepsCaseAndZeros(t *testing.T) {
	for in, want := range map[string]string{
		"123":         "123",
		"0123":        "0123",
		" AB1\u200b":  "AB1",
		"ab1":         "ab1",
		"ＡＢ１２３":       "AB123",
		"\u3000９８７６５": "98765",
		"①2":          "①2",
		"x²":          "x²",
	} {
		if got := exactKey(in); got != want {
			t.Errorf("exactKey(%q) = %q, want %q", in, got, want)
		}
	}
}
