package identifier

import (
	"testing"
	"unicode"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/width"
)

// TestUnicodeVersionIsChosen pins the Unicode version normalisation runs
// under. x/text picks its tables by the Go toolchain (Unicode 15.0.0 under
// Go 1.26; 17.0.0 from Go 1.27, with x/text v0.44), so a toolchain bump
// would change NFKC, case folding and widths — and with them the hash of
// any name or e-mail holding a character the new tables treat otherwise —
// with no dependency line moving and the 80 hash vectors still green (a
// review of the dependency update, 2026-12-07). Moving it is a decision:
// diff the tables' behaviour over every code point between the versions
// (as that review did for x/text v0.43 → v0.44), compare the platforms'
// own normalisers (Google's and Meta's SDKs use their runtime's Unicode),
// then update this test and say so in README's release notes.
func TestUnicodeVersionIsChosen(t *testing.T) {
	const want = "15.0.0"
	for name, got := range map[string]string{"x/text/unicode/norm": norm.Version, "x/text/cases": cases.UnicodeVersion, "x/text/width": width.UnicodeVersion, "unicode (Go)": unicode.Version} {
		if got != want {
			t.Errorf("%s runs Unicode %s, not %s: normalisation and hashes may change — see this test's comment", name, got, want)
		}
	}
}
