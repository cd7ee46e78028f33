package ledger

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
)

// year is how fast the fast night's clock ran.
const year = 365 * 24 * time.Hour

// nightly starts a run at the clock's time (*now = at), sends it n events
// to d, accepted, and returns its id.
func nightly(t *testing.T, l *Ledger, now *time.Time, at time.Time, d Destination, prefix string) string {
	t.Helper()
	*now = at
	id, err := l.StartRun(context.Background(), RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	send(t, l, id, d, evIDs(prefix, 2), StateAccepted, "")
	return id
}

// TestAFastNightIsNotTakenForTheLatestRun: a night whose clock ran a year
// fast recorded its run a year ahead. Ordered by that time, `ledger list`
// put it first for a year (with --limit 1, tonight's run was hidden behind
// it), `ledger stats` named it the last run, and the setting stop counted
// it among the last three runs, so three failing nights after it did not
// stop. Runs go in the order they were recorded, and the fast one says so.
func TestAFastNightIsNotTakenForTheLatestRun(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	a := nightly(t, l, &now, t0, meta, "A")
	f := nightly(t, l, &now, t0.Add(24*time.Hour+year), meta, "F")
	b := nightly(t, l, &now, t0.Add(2*24*time.Hour), meta, "B")
	c := nightly(t, l, &now, t0.Add(3*24*time.Hour), meta, "C")

	runs, err := l.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range runs {
		got = append(got, r.ID)
		if r.Ahead != (r.ID == f) {
			t.Errorf("run %s: Ahead %v, want %v", r.ID, r.Ahead, r.ID == f)
		}
	}
	if want := []string{c, b, f, a}; !slices.Equal(got, want) {
		t.Errorf("ledger list (newest first) gives %v; want %v, the order they were recorded", got, want)
	}
	if one, err := l.Runs(ctx, 1); err != nil || len(one) != 1 || one[0].ID != c {
		t.Errorf("--limit 1 gives %+v %v, want tonight's run %s", one, err, c)
	}
	if st, err := l.Stats(ctx); err != nil || st.FirstRun != a || st.LastRun != c {
		t.Errorf("stats: first %s, last %s (%v); want %s, %s", st.FirstRun, st.LastRun, err, a, c)
	}
}

// TestTheSettingStopIsNotHeldOffByAFastNight: the three runs in a row that
// stop Google are the last three recorded. The fast night, processed ok,
// sorted by its time as the newest forever, and three failing nights after
// it never stopped Google.
func TestTheSettingStopIsNotHeldOffByAFastNight(t *testing.T) {
	const setting = "PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED"
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	for i, at := range []time.Time{t0.Add(year), t0.Add(24 * time.Hour), t0.Add(48 * time.Hour), t0.Add(72 * time.Hour)} {
		run := nightly(t, l, &now, at, google, string(rune('A'+i)))
		un, err := l.Unpolled(ctx, "google", time.Time{})
		if err != nil || len(un) != 1 || un[0].RunID != run {
			t.Fatalf("unpolled %+v %v", un, err)
		}
		v := destination.Processing{Status: "SUCCESS", Final: true, Records: 2}
		if i > 0 {
			v = destination.Processing{Status: "FAILURE", Final: true, Records: 2, Errors: []destination.ReasonCount{{Reason: setting, Records: 2}}}
		}
		if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := l.RecentErrorReasons(ctx, google.Key, 3)
	if err != nil || len(runs) != 3 {
		t.Fatalf("%v %v", runs, err)
	}
	for i, r := range runs {
		if !r[setting] {
			t.Errorf("run %d of the last three recorded: %v, want the setting's failure (the fast night was taken for one of them)", i, r)
		}
	}
}

// TestAFastNightLeavesTheStatusWindow: the status window (RunsSince) held
// every run with a request dated within it, and a request dated a year
// ahead stays within it for a year: every morning's status showed the fast
// night. It shows the morning after, said to be ahead of the clock, and
// leaves the window as the nights after it, dated right, leave it.
func TestAFastNightLeavesTheStatusWindow(t *testing.T) {
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	a := nightly(t, l, &now, t0, meta, "A")
	f := nightly(t, l, &now, t0.Add(24*time.Hour+year), meta, "F")

	now = t0.Add(26 * time.Hour) // the clock set right, the morning after
	w, err := runsSince(t, l, now.Add(-48*time.Hour))
	if want := []WindowRun{{ID: a}, {ID: f, Ahead: true}}; err != nil || !slices.Equal(w, want) {
		t.Errorf("the morning after: window %+v %v; want %+v", w, err, want)
	}

	b := nightly(t, l, &now, t0.Add(2*24*time.Hour), meta, "B")
	c := nightly(t, l, &now, t0.Add(5*24*time.Hour), meta, "C")
	now = t0.Add(5*24*time.Hour + time.Hour)
	w, err = runsSince(t, l, now.Add(-48*time.Hour))
	if want := []WindowRun{{ID: c}}; err != nil || !slices.Equal(w, want) {
		t.Errorf("four days on: window %+v %v; want %+v (not %s, nor %s)", w, err, want, f, b)
	}
}

// TestForgetReachesWhatAFastClockDated: a night whose clock ran a year fast
// dated its requests and its run a year ahead, and `ledger forget
// --before` (and retention, which calls it) compared that date alone: no
// past date reached them, so the fast night outlived every night around
// it. It counts as dated as the first night recorded after it: forgotten
// with the nights before that one, never earlier, and kept while no night
// follows it.
func TestForgetReachesWhatAFastClockDated(t *testing.T) {
	ctx := context.Background()
	day := 24 * time.Hour
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	a := nightly(t, l, &now, t0.Add(-300*day), meta, "A")
	f := nightly(t, l, &now, t0.Add(-200*day+year), meta, "F")
	b := nightly(t, l, &now, t0.Add(-100*day), meta, "B")
	c := nightly(t, l, &now, t0.Add(-day), meta, "C")
	last := nightly(t, l, &now, t0.Add(year), meta, "L") // tonight's clock a year fast too
	now = t0
	has := func(run string) bool {
		t.Helper()
		ok, err := l.HasRun(ctx, run)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}

	// Before B: F may be as late as B, so it stays.
	if n, err := l.Forget(ctx, t0.Add(-150*day)); err != nil || n != 2 || has(a) || !has(f) {
		t.Fatalf("forget before day -150: %d records (%v), A kept %v, F kept %v; want 2 (A's), F kept", n, err, has(a), has(f))
	}
	// After B: F was recorded before B, so it goes with it.
	if n, err := l.Forget(ctx, t0.Add(-50*day)); err != nil || n != 4 || has(f) || has(b) || !has(c) {
		t.Fatalf("forget before day -50: %d records (%v), F kept %v, B kept %v, C kept %v; want 4 (F's and B's), C kept", n, err, has(f), has(b), has(c))
	}
	// Tonight's, dated ahead with nothing after it, stays whatever the date.
	if _, err := l.Forget(ctx, t0); err != nil || !has(last) || has(c) {
		t.Fatalf("forget before today: %v; tonight's kept %v, C kept %v", err, has(last), has(c))
	}
	if st, err := l.Stats(ctx); err != nil || st.Runs != 1 || st.FirstRun != last {
		t.Errorf("runs left: %d, first %s (%v); want tonight's %s alone", st.Runs, st.FirstRun, err, last)
	}
}

// TestASlowClockBoundsTheStatusWindow: with this clock a year behind the
// nights the ledger recorded, every run was dated ahead of it and stayed
// in the window (nothing after them dated before it), each listed as a
// night whose clock ran fast: 1,853 lines of one upload's summary. The
// window is bounded above, and ClockBehind names the newest run once;
// one run ahead alone (the morning after a fast night) is not called a
// slow clock.
func TestASlowClockBoundsTheStatusWindow(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	a := nightly(t, l, &now, t0, meta, "A")
	now = t0.Add(-year)
	if cb, err := l.ClockBehind(ctx); err != nil || cb.Behind {
		t.Errorf("one run ahead: %+v %v, want not behind (a fast night looks the same)", cb, err)
	}
	var last string
	for i := 1; i <= 5; i++ {
		last = nightly(t, l, &now, t0.Add(time.Duration(i)*24*time.Hour), meta, string(rune('A'+i)))
	}
	now = t0.Add(6*24*time.Hour - year) // this night's clock, a year slow
	w, err := runsSince(t, l, now.Add(-48*time.Hour))
	if err != nil || len(w) != 0 {
		t.Errorf("a clock a year slow: window %+v %v; want none (not %s…%s, each called fast)", w, err, a, last)
	}
	cb, err := l.ClockBehind(ctx)
	if err != nil || !cb.Behind || cb.RunID != last || !cb.Newest.Equal(t0.Add(5*24*time.Hour)) {
		t.Errorf("ClockBehind %+v %v; want behind, run %s at %s", cb, err, last, t0.Add(5*24*time.Hour))
	}
	now = t0.Add(6 * 24 * time.Hour) // set right
	if cb, err := l.ClockBehind(ctx); err != nil || cb.Behind {
		t.Errorf("the clock set right: %+v %v", cb, err)
	}
	if w, err := runsSince(t, l, now.Add(-48*time.Hour)); err != nil || len(w) != 2 {
		t.Errorf("the clock set right: window %+v %v, want the last two nights", w, err)
	}
}

// runsSince is the status window as status reads it: ClockBehind's
// verdict, then RunsSince with it.
func runsSince(t *testing.T, l *Ledger, since time.Time) ([]WindowRun, error) {
	t.Helper()
	cb, err := l.ClockBehind(context.Background())
	if err != nil {
		return nil, err
	}
	return l.RunsSince(context.Background(), since, cb.Behind)
}

// TestRunsSinceTakesTheCallersClockVerdict (a review, 2026-12-07):
// RunsSince asked ClockBehind itself, and status asked it again for its
// note — every request grouped by run twice in one reconcile. The caller
// gives the verdict: a slow clock's bounds the window whatever one run
// ahead alone would say, and not behind leaves the fast night in it.
func TestRunsSinceTakesTheCallersClockVerdict(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	a := nightly(t, l, &now, t0, meta, "A")
	f := nightly(t, l, &now, t0.Add(24*time.Hour+year), meta, "F")
	now = t0.Add(26 * time.Hour)
	if w, err := l.RunsSince(ctx, now.Add(-48*time.Hour), true); err != nil || !slices.Equal(w, []WindowRun{{ID: a}}) {
		t.Errorf("told behind: window %+v %v; want %s alone, bounded above", w, err, a)
	}
	if w, err := l.RunsSince(ctx, now.Add(-48*time.Hour), false); err != nil || !slices.Equal(w, []WindowRun{{ID: a}, {ID: f, Ahead: true}}) {
		t.Errorf("told not behind: window %+v %v; want %s and %s ahead", w, err, a, f)
	}
}
