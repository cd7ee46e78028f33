package identifier

import (
	"crypto/sha256"
	"strings"
	"testing"
)

// TestHasherIsSum256: one Hasher reused for values of every length (the
// buffer grows past emailMax once) gives sha256.Sum256 of each, whatever
// it hashed before.
func TestHasherIsSum256(t *testing.T) {
	var h Hasher
	for _, s := range []string{"", "a@example.com", strings.Repeat("x", 200), "+886912345678", strings.Repeat("é", 70), "b"} {
		if got, want := sum(&h, s), Hashed(sha256.Sum256([]byte(s))); got != want {
			t.Errorf("%d bytes: %x, want %x", len(s), got, want)
		}
	}
}

// TestHasherPrepareEachDoesNotAllocate: a worker's Hasher prepares a row's
// clean e-mail address and phone number for Google and Meta without an
// allocation (names, normalised per platform into new strings, are not
// held to it), once it has
// hashed one value (its state and buffer are made on first use). This is
// the -pgo=off build; that no profile can change it is what
// testdata/bench/pgocheck.sh checks (docs/performance.md).
func TestHasherPrepareEachDoesNotAllocate(t *testing.T) {
	ps := []Platform{Google, Meta}
	res := make([]Result, len(ps))
	opt := Options{Region: "TW"}
	var h Hasher
	PrepareEach(&h, ps, Email, "warm@example.com", opt, res)
	if n := testing.AllocsPerRun(100, func() {
		PrepareEach(&h, ps, Email, " Some.One+x@GMail.com ", opt, res)
		PrepareEach(&h, ps, Email, "someone@example.com", opt, res)
		PrepareEach(&h, ps, Phone, "0912-345-678", opt, res)
	}); n != 0 {
		t.Errorf("%v allocations per row", n)
	}
	for i, r := range res {
		if r.Err != nil || !r.Sent.IsHashed() {
			t.Fatalf("%v: %+v", ps[i], r)
		}
	}
}
