package pipeline

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/report"
)

// The digests settling ahead compares are 64 bits under a seed made per
// process, so a collision cannot be played end to end; these tests force
// one at the settler, where a review of settling ahead found two that
// settling at the end did not have.

// TestCollidingRefusalStillTouchesTheOrder: order X converted, then order
// Y refused in Google's own consent column, then X refused in the shared
// column (Meta's), where X's key in the shared column equals Y's in
// Google's. X's first row must be settled again at the end, as settling at
// the end withdraws it from Meta; before the fix the refusal was taken for
// Y's and X's Meta conversion was sent.
func TestCollidingRefusalStillTouchesTheOrder(t *testing.T) {
	cfg := aheadConfig(true, false)
	cfg.Input.Columns.Consent, cfg.Input.Columns.ConsentMeta = "consent", "" // Google: cg; Meta: the shared consent
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	s := newSettler(Options{Config: cfg, Key: "k", InputName: "t.csv", Sink: &capture{}}, report.New("t.csv"))
	defer s.close()
	if s.ah == nil {
		t.Fatal("settling ahead is off")
	}
	jG, jS := -1, -1
	for j, c := range s.w.cols {
		switch c {
		case export.ConsentGoogle:
			jG = j
		case export.Consent:
			jS = j
		}
	}
	if jG < 0 || jS < 0 {
		t.Fatalf("withdrawing columns %v: want consent_google and the shared consent", s.w.cols)
	}
	x := uint64(0x1234567890abcdef) | 1
	y := orderKey(orderKey(x, export.Consent), export.ConsentGoogle) // orderKey(y, Google's) == orderKey(x, shared)
	if orderKey(y, export.ConsentGoogle) != orderKey(x, export.Consent) {
		t.Fatal("the forced collision does not collide: orderKey changed")
	}
	n := len(s.platforms)
	row := func(line int, o *outcome) {
		skips := make([]string, n)
		if err := s.w.note(o, s); err != nil {
			t.Fatal(err)
		}
		if err := s.settleAhead(line, o, skips); err != nil {
			t.Fatal(err)
		}
	}
	row(1, &outcome{dup: x, stage: stageShaped, open: 1<<n - 1})             // x converted on both
	row(2, &outcome{dup: y, reason: consent.ReasonDenied, refuses: 1 << jG}) // y refused for Google
	row(3, &outcome{dup: x, reason: consent.ReasonDenied, refuses: 1 << jS}) // x refused for Meta
	touched, err := s.ah.isTouched(x)
	if err != nil {
		t.Fatal(err)
	}
	// What settling at the end makes of line 1.
	skips := make([]string, n)
	if err := s.w.apply(&outcome{dup: x, stage: stageShaped, open: 1<<n - 1}, skips); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(skips, ReasonOrderRefused) {
		t.Fatalf("at the end line 1 skips %q: the test no longer withdraws x", skips)
	}
	if !touched {
		t.Fatalf("x withdrawn at the end (%q) but not touched: its line 1 would be written as settled ahead", skips)
	}
}

// TestTaggedKeysAreNeverOrderDigests: the set of orders converted keeps
// excluded orders and patients under tagged keys, which must never equal
// an order digest (odd). Before the fix a patient's tagged key could, and
// a later order with that digest was settled ahead as duplicate_order.
func TestTaggedKeysAreNeverOrderDigests(t *testing.T) {
	rng := rand.New(rand.NewPCG(26, 29))
	for range 10000 {
		k := rng.Uint64()
		if taggedOrder(k)&1 != 0 || taggedPatient(k)&1 != 0 {
			t.Fatalf("a tagged key of %#x is odd, as order digests are", k)
		}
	}
	if orderDigest("A1")&1 == 0 {
		t.Fatal("an order digest is even: the tagged keys' parity no longer keeps them apart")
	}

	cfg := aheadConfig(false, false)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p := uint64(0x0badc0ffee123457)
	y, z := p^tagPatient, uint64(0x5555555555555555) // y: the patient's key as tagged before the fix
	reasons := map[bool]string{}
	for _, ahead := range []bool{false, true} {
		was := settleAhead
		settleAhead = ahead
		s := newSettler(Options{Config: cfg, Key: "k", InputName: "t.csv", Sink: &capture{}}, report.New("t.csv"))
		settleAhead = was
		n := len(s.platforms)
		var v verdict
		for i, o := range []*outcome{
			{dup: z, stage: stageStatus, open: 1<<n - 1, reason: ReasonNotConverted, hasPatient: true, patient: p},
			{dup: y, stage: stageShaped, open: 1<<n - 1},
		} {
			skips := make([]string, n)
			if err := s.w.note(o, s); err != nil {
				t.Fatal(err)
			}
			var err error
			if ahead {
				err = s.settleAhead(i+1, o, skips)
				v = verdictOf(o)
			} else {
				v, err = s.judgeRow(i+1, o)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		reasons[ahead] = v.reason
		s.close()
	}
	if reasons[true] != reasons[false] {
		t.Fatalf("order y: settled ahead %q, settled at the end %q", reasons[true], reasons[false])
	}
}
