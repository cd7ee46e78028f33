package identifier

import (
	"strings"
	"testing"
)

// FuzzCanonicalEmail: Canonical's address is Normalize(Google, Email) —
// the same address, the same rejection — for every cell, ASCII or not,
// an existing hash or an MD5-looking one included (canonicalEmail's one
// pass is asciiAddress's).
func FuzzCanonicalEmail(f *testing.F) {
	for _, s := range append(emailAddressSeeds, emailRuleSeeds...) {
		f.Add(s)
	}
	for _, s := range []string{
		" " + strings.Repeat("AB", 32) + " ", strings.Repeat("0f", 16), strings.Repeat("g", 64),
		"Amir.Bob+x@Gmail.COM", "amir.bob@gmail.com", "  .a.@googlemail.com", "+@gmail.com", "a@Example.com\t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, gerr := Canonical(Email, raw, Options{Region: "TW"})
		want, werr := Normalize(Google, Email, raw, Options{Region: "TW"})
		if got != want || (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() {
			t.Fatalf("%q: Canonical %q, %v; Normalize(Google, Email) %q, %v", raw, got, gerr, want, werr)
		}
	})
}

// TestCanonicalEmailAllocatesLess: the one pass allocates no more than
// Normalize — nothing for a lower-case address (the trimmed cell itself),
// one copy for an address with capitals, as lower made one, and a Gmail
// address's rewrite in one array, not grown from nothing.
func TestCanonicalEmailAllocatesLess(t *testing.T) {
	for raw, most := range map[string]float64{
		"  amir.bob1@example.com ": 0,
		"  Amir.Bob1@Example.COM ": 1,
		"amir.bob+x@gmail.com":     1,
		"Amir.Bob+x@Gmail.COM":     2,
	} {
		got := testing.AllocsPerRun(100, func() { _, _ = Canonical(Email, raw, Options{}) })
		was := testing.AllocsPerRun(100, func() { _, _ = Normalize(Google, Email, raw, Options{}) })
		if got > most || got > was {
			t.Errorf("%q: %v allocations, want at most %v (Normalize: %v)", raw, got, most, was)
		}
	}
}
