package pipeline

import (
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
)

// TestKeyShapeKindsAndText: keys are kinds by leading letters and what
// follows, as they compare (an all-digit key without its zeros); the
// ledger's text reads back the same shape and holds no key.
func TestKeyShapeKindsAndText(t *testing.T) {
	var s KeyShape
	for _, k := range []string{"00511", "512", "M70003", "m70004", "AB-12", "ＭＭＭ9"} {
		kind, n := keyKind(consent.Key(nil, k))
		s.add(kind, n)
	}
	if s.Kinds[0] != (KindShape{N: 2, MinLen: 3, MaxLen: 3}) || s.Kinds[3] != (KindShape{N: 2, MinLen: 6, MaxLen: 6}) ||
		s.Kinds[2*3+2].N != 1 || s.Kinds[3*3].N != 1 {
		t.Fatalf("kinds %+v", s.Kinds)
	}
	b, _ := s.MarshalText()
	var back KeyShape
	if err := back.UnmarshalText(b); err != nil || back != s {
		t.Fatalf("%q read back as %+v (%v)", b, back, err)
	}
	if !s.strange(3, 8) || s.strange(0, 4) || !s.strange(1, 3) {
		t.Error("strange: a length two away, or a kind never held, departs; one away does not")
	}
	if err := back.UnmarshalText([]byte("12:1,1,1")); err == nil {
		t.Error("a kind out of range was read")
	}
}
