package cli

import (
	"strings"
	"testing"
	"time"
)

// TestRequeueByReasonUnknown: Google fails an event with a processing
// reason hashgate does not know (one Google added later): status counts
// it under unknown, final, and the next upload leaves it alone. `ledger
// requeue --run R --reason unknown` selects it as it selects any reason —
// the never-twice guarantees are the same: requeued once, sent once more
// by the next upload (under its transactionId: an adjustment if Google
// holds it after all), a second requeue changes nothing.
func TestRequeueByReasonUnknown(t *testing.T) {
	f := failOneEvent(t, "PROCESSING_ERROR_REASON_ADDED_LATER_BY_GOOGLE", 2, 5)
	clk, dm, env, cfg, export, run, id, fixed := f.clk, f.dm, f.env, f.cfg, f.export, f.run, f.id, &f.fixed
	if !strings.Contains(f.status, `"unknown"`) || strings.Contains(f.status, "ADDED_LATER") {
		t.Fatalf("status does not count the reason under unknown:\n%s", f.status)
	}

	clk.Advance(24 * time.Hour)
	runAt(t, clk, env, "upload", "--config", cfg, export)
	if dm.Accepted()[id] != 1 {
		t.Fatalf("a failure under an unknown reason was resent without a requeue (%d ingests)", dm.Accepted()[id])
	}

	fixed.Store(true)
	rq := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "unknown")
	if rq.code != 0 || !strings.Contains(rq.stderr, "requeued 1 events that google:1234567890/555000111 failed with unknown") {
		t.Fatalf("requeue --reason unknown: exit %d\n%s", rq.code, rq.stderr)
	}
	again := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "unknown")
	if again.code != 0 || !strings.Contains(again.stderr, "were requeued before") {
		t.Errorf("second requeue: exit %d\n%s", again.code, again.stderr)
	}
	clk.Advance(time.Hour)
	next := runAt(t, clk, env, "upload", "--config", cfg, export)
	if next.code != 0 || !strings.Contains(next.stderr, "google: 1 of 1 conversions ingested") || dm.Accepted()[id] != 2 {
		t.Fatalf("after the requeue: exit %d, %d ingests\n%s", next.code, dm.Accepted()[id], next.stderr)
	}
	clk.Advance(time.Hour)
	runAt(t, clk, env, "upload", "--config", cfg, export)
	if dm.Accepted()[id] != 2 {
		t.Errorf("the requeued event went out a third time (%d ingests)", dm.Accepted()[id])
	}
	// UNKNOWN in capitals is no reason Google reports: a typo, exit 2.
	if r := runAt(t, clk, env, "ledger", "requeue", "--config", cfg, "--run", run, "--reason", "UNKNOWN"); r.code != ExitUsage {
		t.Errorf("--reason UNKNOWN: exit %d\n%s", r.code, r.stderr)
	}
}
