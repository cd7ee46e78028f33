package cli

import (
	"strings"
	"testing"
	"time"
)

// TestForgetKeepsWhatAPlatformCouldStillTake: after five nights to Meta,
// `ledger forget --before` two days ago forgot what Meta had accepted,
// and the next upload sent it all again — Meta deduplicates only within 7
// days, so a later export counts it twice (a review: 99 of 108 counted
// twice). A date inside Meta's 62-day window is refused (exit 2, naming
// --before and the override), and forgets nothing; with --allow-resend
// forget says how many of the events it forgot Meta could still take,
// and the next upload sends exactly those.
func TestForgetKeepsWhatAPlatformCouldStillTake(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)
	for d := 1; d <= 5; d++ {
		growingExport(t, export, day0, d, "")
		if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", d, r.code, r.stderr)
		}
		clock.Advance(24 * time.Hour)
	}
	requests := g.Requests()
	before := clock.Now().AddDate(0, 0, -2).Format(time.DateOnly)
	f := runAt(t, clock, env, "ledger", "forget", "--before", before, "--config", cfg)
	if f.code != ExitUsage || !strings.Contains(f.stderr, "--before") || !strings.Contains(f.stderr, "--allow-resend") ||
		!strings.Contains(f.stderr, "meta takes an event up to 62 days old") || strings.Contains(f.stderr, "ledger: forgot") {
		t.Fatalf("forget --before %s: exit %d\n%s", before, f.code, f.stderr)
	}
	if r := runAt(t, clock, env, "upload", "--config", cfg, export); r.code != ExitOK || g.Requests() != requests {
		t.Fatalf("the upload after a refused forget sent %d requests (exit %d)\n%s", g.Requests()-requests, r.code, r.stderr)
	}
	// A date past every window of the ledger's destinations passes.
	if r := runAt(t, clock, env, "ledger", "forget", "--before", "2026-09-01", "--config", cfg); r.code != ExitOK || strings.Contains(r.stderr, "could still take") {
		t.Fatalf("forget --before a date past Meta's window: exit %d\n%s", r.code, r.stderr)
	}
	o := runAt(t, clock, env, "ledger", "forget", "--before", before, "--allow-resend", "--config", cfg)
	if o.code != ExitOK || !strings.Contains(o.stderr, "forgot 6 events") || !strings.Contains(o.stderr, "6 of the events forgotten were delivered") ||
		!strings.Contains(o.stderr, "meta:998877 6") {
		t.Fatalf("forget --allow-resend: exit %d\n%s", o.code, o.stderr)
	}
	// The 2 forgotten events dated before the ledger's first delivery
	// and 6 days old now are history a lost ledger may have sent: kept
	// back until --backfill (horizon27), the other 4 resent.
	r := runAt(t, clock, env, "upload", "--config", cfg, export)
	if r.code != ExitOK || !strings.Contains(r.stderr, "4 of 4 conversions ingested") || !strings.Contains(r.stderr, "kept back 2 conversions") {
		t.Fatalf("the upload after forget --allow-resend: exit %d\n%s", r.code, r.stderr)
	}
	if r := runAt(t, clock, env, "upload", "--backfill", "--config", cfg, export); r.code != ExitOK || !strings.Contains(r.stderr, "2 of 2 conversions ingested") {
		t.Fatalf("the backfill after forget --allow-resend: exit %d\n%s", r.code, r.stderr)
	}
}
