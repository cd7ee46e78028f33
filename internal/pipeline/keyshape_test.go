package pipeline

import (
	"fmt"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
)

// keysShape is the shape of keys, as the gate notes them.
func keysShape(keys ...string) KeyShape {
	var s KeyShape
	for _, k := range keys {
		kind, n := keyKind(consent.Key(nil, k))
		s.add(kind, n)
	}
	return s
}

// nKeys is n keys: format applied to from, from+1, …
func nKeys(format string, from, n int) []string {
	var out []string
	for i := range n {
		out = append(out, fmt.Sprintf(format, from+i))
	}
	return out
}

// TestKeyShapeKindsAndText: keys are kinds by leading letters and what
// follows, as they compare (an all-digit key without its zeros); the
// ledger's text reads back the same shape and holds no key, and the
// form of 2026-12-06's ledgers reads too.
func TestKeyShapeKindsAndText(t *testing.T) {
	s := keysShape("00511", "512", "M70003", "m70004", "AB-12", "ＭＭＭ9")
	if s.Lens[0][3] != 2 || s.Lens[3][6] != 2 || s.kindN(2*3+2) != 1 || s.kindN(3*3) != 1 || s.Total() != 6 {
		t.Fatalf("kinds %+v", s.Lens)
	}
	b, _ := s.MarshalText()
	var back KeyShape
	if err := back.UnmarshalText(b); err != nil || back != s {
		t.Fatalf("%q read back as %+v (%v)", b, back, err)
	}
	if !s.strange(3, 8) || s.strange(3, 7) || !s.strange(1, 3) {
		t.Error("strange: a length two away, or a kind never held, departs; one away does not")
	}
	if s.strange(0, 9) || s.strange(0, 1) {
		t.Error("strange: an all-digit key's length is judged (87 after 13011 is no new numbering)")
	}
	for _, bad := range []string{"12:1,1,1", "0:40=1", "0:3=x", "0:1,5,2"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
	if err := back.UnmarshalText([]byte("0:26,3,4;3:24,6,7")); err != nil || back.Lens[0][3] != 13 || back.Lens[0][4] != 13 || back.Lens[3][6] != 12 || back.Lens[3][7] != 12 {
		t.Errorf("the 2026-12-06 form read as %+v (%v)", back.Lens, err)
	}
}

// TestALoneOutlierWidensNothing: one A12345 typed A123456, or one AB1234
// among A12345s, is no share of the keys: a later renumbering at the
// next length (A1234567), or in the outlier's kind, departs. Before, the
// kept range of the kind widened to 6–7 for good and a key of 8 passed.
func TestALoneOutlierWidensNothing(t *testing.T) {
	keys := append(nKeys("A%05d", 10000, 30), "A123456", "AB1234")
	s := keysShape(keys...)
	if !s.strange(3, 8) || !s.strange(6, 6) || !s.strange(6, 7) {
		t.Errorf("a lone outlier widened the kept shape: %+v", s.Lens)
	}
	if s.strange(3, 6) || s.strange(3, 7) {
		t.Error("the clinic's own length, or one away, departs")
	}
}

// TestKeyShapeKeptIsTheNightsUnion: the kept shape adds the nights up;
// past keyEvidence, a new kind joins from a night it was a minority of as
// the share it is, from a night mostly of it (a small one, let through
// for want of evidence) not at all, and with --accept-new-ids weighing as
// the kept one. Past keyMemory it fades.
func TestKeyShapeKeptIsTheNightsUnion(t *testing.T) {
	prior := keysShape(nKeys("%d", 12345, keyEvidence)...)
	kept := keysShape("87", "512", "M70001", "M70002", "M70003").Kept(prior, false)
	if kept.kindN(0) != keyEvidence+2 || kept.Lens[0][2] != 1 || kept.kindN(3) != 0 {
		t.Errorf("kept %+v: want the digits added, the new kind of a small night mostly of it left out", kept.Lens)
	}
	judged := keysShape(append(nKeys("%d", 500, 21), nKeys("M7%04d", 0, 3)...)...)
	if kept = judged.Kept(prior, false); kept.kindN(3) != 3 || !kept.strange(3, 6) {
		t.Errorf("a judged night's minority: kept %+v, want it counted and still no share", kept.Lens)
	}
	if kept = keysShape("M70001").Kept(prior, true); kept.strange(3, 6) || kept.kindN(0) != keyEvidence {
		t.Errorf("accepted: kept %+v", kept.Lens)
	}
	if kept = keysShape("M70001").Kept(keysShape("500"), false); kept.kindN(3) != 1 {
		t.Errorf("a shape still learnt: kept %+v", kept.Lens)
	}
	big := keysShape(append(nKeys("A%05d", 10000, keyMemory), "A123456")...)
	if kept = big.Kept(KeyShape{}, false); kept.Total() > keyMemory || kept.Lens[3][7] != 0 {
		t.Errorf("past keyMemory: total %d, the outlier %d", kept.Total(), kept.Lens[3][7])
	}
}
