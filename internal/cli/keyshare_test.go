package cli

import (
	"strings"
	"testing"
)

// The patient keys' shape judged by the shares its kinds and lengths
// carry (a review of its limits): a lone mistyped key widened what passed
// for good, and a kind the clinic uses some days (walk-ins) stopped the
// night it was the most of.

// keyNights runs upload nights on one ledger, each checked for its exit
// code and how many conversions Google took; it returns the last stderr.
type keyNights struct {
	t        *testing.T
	env      map[string]string
	cfg      string
	accepted func() int
}

func newKeyNights(t *testing.T) *keyNights {
	dm, gURL := googleFake(t, nil)
	_, mURL := metaFake(t, nil)
	return &keyNights{t: t, env: uploadEnv(t), cfg: migConfig(t, gURL, mURL), accepted: func() int { return len(dm.Accepted()) }}
}

func (k *keyNights) night(who, export string, code, google int, args ...string) string {
	k.t.Helper()
	before := k.accepted()
	r := runGoogle(k.t, k.env, "", true, append(append([]string{"upload"}, args...), "--config", k.cfg, export)...)
	if r.code != code || k.accepted()-before != google {
		k.t.Fatalf("%s: exit %d (want %d), google %d new, want %d\n%s", who, r.code, code, k.accepted()-before, google, r.stderr)
	}
	return r.stderr
}

// TestALoneMistypedKeyHidesNoRenumbering: one key typed a digit long
// (A123456 among A12345s), or with two letters (AB1234), widened its kind's
// kept lengths for good: a new system's keys a length further (P1234567)
// or of the outlier's kind (PT12345) passed, exit 0, all sent. Now a lone
// outlier carries no share of the keys, and both stop.
func TestALoneMistypedKeyHidesNoRenumbering(t *testing.T) {
	for _, c := range []struct{ name, outlier, format string }{
		{"a digit too many", "A123456", "P%07d"},
		{"two letters", "AB1234", "PT%05d"},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := newKeyNights(t)
			// The first night's keys teach the kept shape all they hold.
			typo := append(keysFrom("A%05d", 10000, 23), c.outlier)
			k.night("one mistyped, the first night", keyNight(t, "S1N", 2, 100, typo), 0, 24)
			k.night("the clinic's keys", keyNight(t, "S2N", 4, 200, keysFrom("A%05d", 10100, 24)), 0, 24)
			k.night("an ordinary night", keyNight(t, "S3N", 6, 300, keysFrom("A%05d", 10200, 24)), 0, 24)
			out := k.night("a new numbering", keyNight(t, "S4N", 8, 400, keysFrom(c.format, 1000, 24)), ExitUsage, 0)
			for _, want := range []string{"changed shape", "1 letter then digits, 6 long", "24 of this export's 24 are unlike them", "--accept-new-ids", "nothing was sent"} {
				if !strings.Contains(out, want) {
					t.Errorf("the stop does not say %q:\n%s", want, out)
				}
			}
			if strings.Contains(out, c.outlier) {
				t.Errorf("the stop prints a key:\n%s", out)
			}
		})
	}
}

// TestAWalkInDayGoesThrough: walk-ins numbered W001… are a sixth of most
// nights' keys; one day they are the most of the export. Before, the
// kind, first seen after the first night, was never kept (a kind joined
// only with --accept-new-ids), and the walk-in day stopped (exit 2). Now
// a kind that carried a real share of the earlier nights passes; a kind
// seen once as a few keys still stops the night it is the most of.
func TestAWalkInDayGoesThrough(t *testing.T) {
	k := newKeyNights(t)
	k.night("charts only", keyNight(t, "W1N", 2, 100, keysFrom("%d", 5000, 24)), 0, 24)
	for i, day := range []int{4, 6, 8} {
		keys := append(keysFrom("%d", 5100+100*i, 20), keysFrom("W%03d", 10*i, 4)...)
		k.night("walk-ins a sixth", keyNight(t, "W"+string(rune('2'+i))+"N", day, 200+100*i, keys), 0, 24)
	}
	walkIns := append(keysFrom("W%03d", 100, 16), keysFrom("%d", 5500, 8)...)
	k.night("a walk-in day", keyNight(t, "W5N", 10, 600, walkIns), 0, 24)
	// A kind seen on one night as a few keys is no share yet.
	few := append(keysFrom("%d", 5600, 22), keysFrom("X7%04d", 0, 2)...)
	k.night("two keys of a new kind", keyNight(t, "W6N", 12, 700, few), 0, 24)
	out := k.night("most of that kind", keyNight(t, "W7N", 14, 800, keysFrom("X7%04d", 10, 24)), ExitUsage, 0)
	if !strings.Contains(out, "changed shape") {
		t.Errorf("the stop does not say what changed:\n%s", out)
	}
}
