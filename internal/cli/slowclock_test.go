package cli

import (
	"strings"
	"testing"
	"time"
)

// TestAYearSlowClockIsSaidOnce: with the clock 8,760 h behind, an upload
// listed every run of the year in its "processing of earlier runs", each
// "recorded with a time ahead of this clock: that night's clock ran
// fast" — it was this night's clock that was slow — and quarantined the
// night's visits as event_in_future without a word about the clock;
// status listed them all too. One line says this clock looks behind,
// naming the newest run, and no run is listed as ahead.
func TestAYearSlowClockIsSaidOnce(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 10, 24, 18, 30, 0, 0, time.UTC)}
	_, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 10, 24, 1, 0, 0, 0, time.UTC)
	const nights = 5
	for night := range nights {
		if night > 0 {
			clock.Advance(24 * time.Hour)
		}
		growingExport(t, export, day0, night+1, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", night, r.code, r.stderr)
		}
	}
	newest := clock.Now()
	clock.Advance(24*time.Hour - 8760*time.Hour)
	growingExport(t, export, day0, nights+1, "")
	const said = "this machine's clock looks behind"
	r := runAt(t, clock, env, "upload", "--config", cfg, export)
	if r.code == ExitOK || strings.Count(r.stderr, said) != 1 || !strings.Contains(r.stderr, newest.Format(time.RFC3339)) {
		t.Errorf("upload on a clock a year slow: exit %d, want a failure saying once %q and naming %s:\n%s", r.code, said, newest.Format(time.RFC3339), r.stderr)
	}
	if strings.Contains(r.stderr, "that night's clock ran fast") {
		t.Errorf("upload on a slow clock lists runs as fast nights:\n%s", r.stderr)
	}
	st := runAt(t, clock, env, "status", "--budget", "0", "--config", cfg)
	if strings.Count(st.stdout+st.stderr, said) != 1 || strings.Contains(st.stdout, "that night's clock ran fast") {
		t.Errorf("status on a clock a year slow: exit %d\n%s%s", st.code, st.stdout, st.stderr)
	}
}
