package pipeline

import (
	"strings"
	"testing"
)

// judgeNight is the stop's verdict on tonight's keys against prior, with
// the earlier nights (most recent first), as the gate gives it.
func judgeNight(prior KeyShape, earlier KeyNights, tonight KeyShape) error {
	g := keyShapeGate{col: "pid", prior: &prior, nights: earlier, changed: prior.departing(&tonight), first: [2]int{2, 9}}
	return g.err("t.csv", &tonight)
}

// nights is the nights of shapes ss, most recent first, of no export known.
func nights(ss ...KeyShape) KeyNights {
	var w KeyNights
	for _, s := range ss {
		w = append(w, KeyNight{KeyShape: s})
	}
	return w
}

// TestSmallNightsAreJudgedTogether: a night of fewer than keyEvidence
// keys was never judged, so a small clinic's renumbering went on night
// after night. Now tonight's keys are counted with the last nights' (at
// most keyEvidence in all): a renumbering at 6 keys a night stops its
// second night, one odd small night stops nothing, a night of 11 keys of
// a new kind stops by itself, and a night of keyEvidence keys is judged
// as before.
func TestSmallNightsAreJudgedTogether(t *testing.T) {
	prior := keysShape(nKeys("%d", 500, 30)...)
	old := func(from int) KeyShape { return keysShape(nKeys("%d", from, 6)...) }
	newer := func(from int) KeyShape { return keysShape(nKeys("M7%04d", from, 6)...) }
	earlier := nights(old(600), old(700), old(800), old(900), old(1000))
	if err := judgeNight(prior, earlier, newer(0)); err != nil {
		t.Fatalf("the first small night of a new numbering stopped (too few keys to tell it from a day's oddity): %v", err)
	}
	earlier = earlier.Next(newer(0), "")
	err := judgeNight(prior, earlier, newer(10))
	if err == nil {
		t.Fatal("the second small night of a new numbering went on")
	}
	for _, want := range []string{"6 of this export's 6 are unlike them", "12 of the 18 keys of the last 3 uploads", "fewer than 20 keys", "--accept-new-ids", "t.csv:2:9"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the stop does not say %q: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "M7") {
		t.Errorf("the stop names a key: %v", err)
	}
	// One odd night: 3 test patients of 5, between ordinary nights.
	odd := keysShape("T1", "T2", "T3", "501", "502")
	earlier = nights(old(600), old(700), old(800))
	if err := judgeNight(prior, earlier, odd); err != nil {
		t.Errorf("one odd small night stopped: %v", err)
	}
	if err := judgeNight(prior, earlier.Next(odd, ""), old(1100)); err != nil {
		t.Errorf("the ordinary night after an odd one stopped: %v", err)
	}
	// 11 keys of a new kind, by themselves, are what a night of 20 stops at.
	if err := judgeNight(prior, nil, keysShape(nKeys("M7%04d", 0, 11)...)); err == nil {
		t.Error("a night of 11 keys, all of a new kind, went on")
	}
	if err := judgeNight(prior, nil, keysShape(nKeys("M7%04d", 0, 10)...)); err != nil {
		t.Errorf("a night of 10 keys stopped by itself: %v", err)
	}
	// A night of keyEvidence keys is judged alone, as before.
	big := keysShape(append(nKeys("M7%04d", 0, 11), nKeys("%d", 600, 9)...)...)
	if err := judgeNight(prior, nights(newer(50)), big); err == nil || strings.Contains(err.Error(), "keys of the last") {
		t.Errorf("a night of 20 keys, 11 of a new kind: %v", err)
	}
	// Most of the nights' keys depart, but not most of tonight's.
	if err := judgeNight(prior, nights(newer(20), newer(30)), old(1200)); err != nil {
		t.Errorf("a night mostly of the clinic's keys stopped: %v", err)
	}
}

// TestKeyNightsKeepAtMostEvidence: the nights kept hold at most
// keyEvidence keys, tonight first, a night without keys left out; the
// text reads back, and holds no key.
func TestKeyNightsKeepAtMostEvidence(t *testing.T) {
	six := keysShape(nKeys("%d", 500, 6)...)
	var w KeyNights
	for range 5 {
		w = w.Next(six, "")
	}
	if len(w) != 3 {
		t.Errorf("%d nights of 6 kept, want 3 (18 keys)", len(w))
	}
	w = w.Next(KeyShape{}, "")
	if len(w) != 3 {
		t.Errorf("a night without keys changed the nights: %d", len(w))
	}
	tonight := keysShape(append(nKeys("M7%04d", 0, 2), "AB-12")...)
	w = w.Next(tonight, "")
	if len(w) != 3 || w[0].KeyShape != tonight {
		t.Errorf("tonight is not kept first: %+v", w)
	}
	if w = w.Next(keysShape(nKeys("%d", 500, keyEvidence+1)...), ""); len(w) != 0 {
		t.Errorf("a night of more than keyEvidence keys kept %d nights", len(w))
	}
	w = nights(tonight, six)
	b, err := w.MarshalText()
	if err != nil || strings.Contains(string(b), "M7") || strings.Contains(string(b), "AB") {
		t.Fatalf("text %q (%v)", b, err)
	}
	var back KeyNights
	if err := back.UnmarshalText(b); err != nil || len(back) != 2 || back[0].KeyShape != tonight || back[1].KeyShape != six {
		t.Errorf("%q read back as %+v (%v)", b, back, err)
	}
	for _, bad := range []string{"|", "0:3=1|", "0:3=x", strings.Repeat("0:3=1|", keyEvidence) + "0:3=1"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}

// TestASmallNightMostlyNewTeachesNothing: a small night let through for
// want of evidence, most of whose keys are of a new kind, must not teach
// it: 6 keys joining a kept shape of 24 would be a share of it, and the
// second night of a new numbering pass. A minority of a small night (a
// walk-in among 6) joins as the share it is, as a judged night's does.
func TestASmallNightMostlyNewTeachesNothing(t *testing.T) {
	prior := keysShape(nKeys("%d", 500, 24)...)
	if kept := keysShape(nKeys("M7%04d", 0, 6)...).Kept(prior, false); kept.kindN(3) != 0 || !kept.strange(3, 6) {
		t.Errorf("a small night mostly of a new kind taught it: %+v", kept.Lens[3])
	}
	walkIn := keysShape(append(nKeys("%d", 600, 5), "W001")...)
	if kept := walkIn.Kept(prior, false); kept.kindN(3) != 1 || kept.kindN(0) != 29 {
		t.Errorf("a small night's walk-in: kept %+v", kept.Lens)
	}
}

// TestANightIsKnownByItsExport: a night read from an export the nights
// hold already (a re-run) replaces that night where it is, and is not
// counted with it; another export is another night, and a night kept
// without a digest (the first form) is no export's. The text keeps the
// digest's first 16 hex digits, and reads the first form back.
func TestANightIsKnownByItsExport(t *testing.T) {
	prior := keysShape(nKeys("%d", 500, 30)...)
	four := func(from int) KeyShape { return keysShape(nKeys("%d", from, 4)...) }
	walkIns := keysShape(append(nKeys("W%03d", 0, 6), "5100")...)
	const a, b = "aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000aaaa0000", "bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000bbbb0000"
	w := nights(four(600), four(700), four(800), four(900), four(1000))
	judge := func(w KeyNights, input string) (keys, departing, n int) {
		return counted(&prior, w, input, walkIns.Total(), prior.departing(&walkIns))
	}
	if k, d, n := judge(w, a); k != 19 || d != 6 || n != 4 {
		t.Fatalf("the walk-in night counts %d keys, %d departing, %d nights; want 19, 6, 4", k, d, n)
	}
	w = w.Next(walkIns, a)
	if k, d, n := judge(w, a); k != 19 || d != 6 || n != 4 {
		t.Errorf("the same export again counts %d keys, %d departing, %d nights; want 19, 6, 4 as the first time", k, d, n)
	}
	if again := w.Next(walkIns, a); len(again) != len(w) || again[0] != w[0] || again[1] != w[1] {
		t.Errorf("the same export again changed the nights: %+v, was %+v", again, w)
	}
	if k, _, n := judge(w, b); k != 18 || n != 3 {
		t.Errorf("another export counts %d keys of %d nights; want 18, 3", k, n)
	}
	if k, _, _ := judge(w, ""); k != 18 {
		t.Errorf("an export of no digest counts %d keys; want 18", k)
	}
	// Run again after another night: replaced where it was.
	w = nights(four(600), walkIns, four(700))
	w[1].Input = nightInput(a)
	if got := w.Next(walkIns, a); len(got) != 3 || got[0].KeyShape != four(600) || got[1].Input != a[:16] {
		t.Errorf("an older night's export run again: %+v", got)
	}
	w = w.Next(four(900), b)
	text, err := w.MarshalText()
	if err != nil || !strings.HasPrefix(string(text), "0:3=4@"+b[:16]+"|") || strings.Count(string(text), "@") != 2 || strings.Contains(string(text), a[:17]) {
		t.Fatalf("text %q (%v)", text, err)
	}
	var back KeyNights
	if err := back.UnmarshalText(text); err != nil || len(back) != len(w) {
		t.Fatalf("%q read back as %d nights (%v)", text, len(back), err)
	}
	for i := range w {
		if back[i] != w[i] {
			t.Errorf("%q: night %d read back as another (digest %q, was %q)", text, i, back[i].Input, w[i].Input)
		}
	}
	for _, bad := range []string{"0:3=4@", "0:3=4@XYZ", "0:3=4@" + a[:17], "0:3=4@ab@cd"} {
		if err := back.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q was read", bad)
		}
	}
}
