package pipeline

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestRecorderNameIsOneNumberAString: name's cache of recent answers never
// answers for another string — strings of one length and last byte share
// its slots — and a string keeps its number, which nameAt reads back.
func TestRecorderNameIsOneNumberAString(t *testing.T) {
	var r recorder
	rng := rand.New(rand.NewPCG(24, 29))
	// Same length, same last byte: every one in the same slot.
	words := []string{"consent_denied", "consent_revoked", "consent_missing", "status_not_converted"}
	for i := range 40 {
		words = append(words, fmt.Sprintf("reason%02dx", i), fmt.Sprintf("google gclid click_id_invalid\x1fcol%d", i))
	}
	first := map[string]uint64{}
	seen := map[uint64]string{}
	for range 20000 {
		w := words[rng.IntN(len(words))]
		n := r.name(w)
		if want, ok := first[w]; ok && n != want {
			t.Fatalf("name(%q) = %d, before %d", w, n, want)
		}
		if other, ok := seen[n]; ok && other != w {
			t.Fatalf("name(%q) = %d, the number of %q", w, n, other)
		}
		first[w], seen[n] = n, w
		if got, ok := r.nameAt(byte(n)); n < 256 && (!ok || got != w) {
			t.Fatalf("nameAt(%d) = %q, %v; want %q", n, got, ok, w)
		}
	}
	if r.name("") != 0 {
		t.Error(`name("") is not 0`)
	}
}

// TestDropKeysAreTheKeys: a worker's kept drop keys are the keys building
// them gives, for any of more kinds than it keeps, in any order.
func TestDropKeysAreTheKeys(t *testing.T) {
	var k dropKeys
	rng := rand.New(rand.NewPCG(29, 24))
	parts := []string{"google", "meta", "gclid", "phone", "email", "click_id_invalid", "invalid", "", "Mobile", "E-mail"}
	for range 20000 {
		p, f, reason, col := parts[rng.IntN(len(parts))], parts[rng.IntN(len(parts))], parts[rng.IntN(len(parts))], parts[rng.IntN(len(parts))]
		if got, want := k.key(p, f, reason, col), p+" "+f+" "+reason+columnSep+col; got != want {
			t.Fatalf("key(%q, %q, %q, %q) = %q, want %q", p, f, reason, col, got, want)
		}
	}
}
