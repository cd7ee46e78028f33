package pipeline

import (
	"fmt"
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
	if s.strange(0, 9) || s.strange(0, 1) {
		t.Error("strange: an all-digit key's length is judged (87 after 13011 is no new numbering)")
	}
	if err := back.UnmarshalText([]byte("12:1,1,1")); err == nil {
		t.Error("a kind out of range was read")
	}
}

// TestKeyShapeKeptIsTheNightsUnion: the kept shape adds the nights up,
// lengths widened; past keyEvidence, a kind it never held joins only with
// --accept-new-ids.
func TestKeyShapeKeptIsTheNightsUnion(t *testing.T) {
	shape := func(keys ...string) KeyShape {
		var s KeyShape
		for _, k := range keys {
			kind, n := keyKind(consent.Key(nil, k))
			s.add(kind, n)
		}
		return s
	}
	var long []string
	for i := range keyEvidence {
		long = append(long, fmt.Sprint(12345+i))
	}
	prior := shape(long...)
	kept := shape("87", "512", "M70001").Kept(prior, false)
	if kept.Kinds[0] != (KindShape{N: keyEvidence + 2, MinLen: 2, MaxLen: 5}) || kept.Kinds[3].N != 0 {
		t.Errorf("kept %+v: want the digits widened, the new kind left out", kept.Kinds)
	}
	if kept = shape("M70001").Kept(prior, true); kept.Kinds[3].N != 1 || kept.Kinds[0].N != keyEvidence {
		t.Errorf("accepted: kept %+v", kept.Kinds)
	}
	if kept = shape("M70001").Kept(shape("500"), false); kept.Kinds[3].N != 1 {
		t.Errorf("a shape still learnt: kept %+v", kept.Kinds)
	}
}
