package ledger

import (
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
)

// sameSecondRuns starts two runs in the second of base, the first on it
// and the second at +500ms, whose ids sort against that order: the
// second's random suffix sorts before the first's. Their started_at sort
// against it too, as text ("…:00Z" after "…:00.5Z"): only the time they
// stand for orders them. A second run whose id sorts after is dropped (it
// recorded nothing) and started again, and after 8 tries the first is
// too: a first whose suffix is near the smallest leaves each try little
// chance (with one first and 64 tries the test failed about once in 65).
func sameSecondRuns(t *testing.T, l *Ledger, now *time.Time, base time.Time) (first, second string) {
	t.Helper()
	ctx := context.Background()
	drop := func(id string) {
		if _, err := l.DropRunIfEmpty(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	for range 64 {
		*now = base
		first, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
		if err != nil {
			t.Fatal(err)
		}
		*now = base.Add(500 * time.Millisecond)
		for range 8 {
			id, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			if err != nil {
				t.Fatal(err)
			}
			if id < first {
				return first, id
			}
			drop(id)
		}
		drop(first)
	}
	t.Fatal("no second run whose id sorts before the first's")
	return "", ""
}

// TestRunsStartedInTheSameSecondKeepTheirOrder: run ids have one-second
// resolution and a random suffix, so two runs started in the same second
// sorted by id came out in either order — `ledger list` put the older
// first, `ledger stats` swapped first_run and last_run, and status listed
// them backwards. They sort by start time, then by insertion.
func TestRunsStartedInTheSameSecondKeepTheirOrder(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	first, second := sameSecondRuns(t, l, &now, t0)
	send(t, l, first, meta, evIDs("F", 2), StateAccepted, "")
	send(t, l, second, meta, evIDs("S", 3), StateAccepted, "")

	runs, err := l.Runs(ctx, 10)
	if err != nil || len(runs) != 2 {
		t.Fatal(runs, err)
	}
	if runs[0].ID != second || runs[1].ID != first {
		t.Errorf("ledger list (newest first) gives %s, %s; want %s (started second), %s", runs[0].ID, runs[1].ID, second, first)
	}
	if runs[0].Events[StateAccepted] != 3 || runs[1].Events[StateAccepted] != 2 {
		t.Errorf("counts went to the wrong run: %+v, %+v", runs[0].Events, runs[1].Events)
	}
	if one, err := l.Runs(ctx, 1); err != nil || len(one) != 1 || one[0].ID != second {
		t.Errorf("--limit 1 gives %+v %v, want the newest run %s", one, err, second)
	}
	st, err := l.Stats(ctx)
	if err != nil || st.Runs != 2 || st.FirstRun != first || st.LastRun != second {
		t.Errorf("stats: %d runs, first %s, last %s (%v); want first %s, last %s", st.Runs, st.FirstRun, st.LastRun, err, first, second)
	}
	since, err := runsSince(t, l, t0.Add(-time.Hour))
	if err != nil || !slices.Equal(since, []WindowRun{{ID: first}, {ID: second}}) {
		t.Errorf("RunsSince (oldest first) gives %v %v; want [%s %s]", since, err, first, second)
	}
}

// TestTheSettingStopCountsTheLastRunsByStartTime: the "same setting
// failed three runs in a row" stop (RecentErrorReasons) takes the last
// three runs with verdicts. Of two runs started in the same second, the
// one started second is the newer: sorted by id, the older was taken in
// its place — a stop missed when only the newer failed, a stop made when
// only the older did.
func TestTheSettingStopCountsTheLastRunsByStartTime(t *testing.T) {
	const setting = "PROCESSING_ERROR_REASON_DESTINATION_ACCOUNT_ENHANCED_CONVERSIONS_TERMS_NOT_SIGNED"
	for _, c := range []struct {
		name                   string
		firstFails, secondFail bool
		stop                   bool
	}{
		{"the newer of the two failed", false, true, true},
		{"only the older of the two failed", true, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			now := t0
			l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
			verdict := func(run, prefix string, fails bool) {
				t.Helper()
				send(t, l, run, google, evIDs(prefix, 2), StateAccepted, "")
				un, err := l.Unpolled(ctx, "google", time.Time{})
				if err != nil || len(un) != 1 || un[0].RunID != run {
					t.Fatalf("unpolled %+v %v", un, err)
				}
				v := destination.Processing{Status: "SUCCESS", Final: true, Records: 2}
				if fails {
					v = destination.Processing{Status: "FAILURE", Final: true, Records: 2, Errors: []destination.ReasonCount{{Reason: setting, Records: 2}}}
				}
				if err := l.RecordPoll(ctx, Poll{Request: un[0].ID, At: now, Verdict: v}); err != nil {
					t.Fatal(err)
				}
			}
			first, second := sameSecondRuns(t, l, &now, t0)
			verdict(first, "A", c.firstFails)
			verdict(second, "B", c.secondFail)
			for i, p := range []string{"C", "D"} {
				now = t0.Add(time.Duration(i+1) * time.Hour)
				run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
				verdict(run, p, true)
			}
			runs, err := l.RecentErrorReasons(ctx, google.Key, 3)
			if err != nil || len(runs) != 3 {
				t.Fatalf("%v %v", runs, err)
			}
			every := true
			for _, r := range runs {
				every = every && r[setting]
			}
			if every != c.stop {
				t.Errorf("the last three runs all failed with the setting: %v, want %v (%v)", every, c.stop, runs)
			}
		})
	}
}
