package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination/destinationtest"
)

// TestAClockAYearFastPrunesNothingStillNeeded (review of OS failures): 60
// nights to Meta, then one night on a clock a year fast, then the clock
// set right. Retention measured from the clock deleted the acceptances of
// the last weeks on the fast night, and the corrected night sent those
// visits again, past Meta's 7-day deduplication: 67 counted twice. It is
// measured from the newest event Meta accepted instead, and the fast
// night's summary says so; the nights after it send nothing twice.
func TestAClockAYearFastPrunesNothingStillNeeded(t *testing.T) {
	clock := &simClock{t: time.Date(2026, 11, 23, 18, 30, 0, 0, time.UTC)}
	g, cfg, env, export := metaNights(t, clock)
	day0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	days := 0
	night := func(advance time.Duration) result {
		t.Helper()
		clock.Advance(advance)
		days++
		growingExport(t, export, day0, days, "")
		return runAt(t, clock, env, "upload", "--config", cfg, export)
	}
	for n := range 60 {
		var advance time.Duration
		if n > 0 {
			advance = 24 * time.Hour
		}
		if r := night(advance); r.code != ExitOK {
			t.Fatalf("night %d: exit %d\n%s", n, r.code, r.stderr)
		}
	}
	fast := night(366 * 24 * time.Hour)
	if fast.code != ExitFailure || !strings.Contains(fast.stderr, "ledger retention: ledger.retention_days (400) measured from") {
		t.Errorf("the fast night: exit %d, want 1 (every visit too old to its clock), and the summary saying what retention was measured from\n%s", fast.code, fast.stderr)
	}
	for n, advance := range []time.Duration{-364 * 24 * time.Hour, 24 * time.Hour} {
		if r := night(advance); r.code != ExitOK {
			t.Errorf("night %d after the fast one: exit %d\n%s", n+1, r.code, r.stderr)
		}
	}
	destinationtest.ExactlyOnce(t, g.Accepted(), 0)
}

// TestALedgerDeletedMidRunStopsTheRun (review of OS failures): the state
// directory removed while an upload waits for its first answer went
// unnoticed — exit 0, and the next night a new ledger resent everything
// and forgot the withdrawals. The run stops sending at its next batch and,
// when there is none, before it reports success: exit 1 naming the
// ledger, whole, and what happened.
func TestALedgerDeletedMidRunStopsTheRun(t *testing.T) {
	for name, rows := range map[string]int{"at the first of three requests": 2500, "at its only request": 20} {
		t.Run(name, func(t *testing.T) {
			env := uploadEnv(t)
			state := filepath.Join(env["XDG_STATE_HOME"], "hashgate")
			g, url := metaFake(t, func(n int, _ http.ResponseWriter, _ *http.Request) bool {
				if n == 1 {
					if err := os.RemoveAll(state); err != nil {
						t.Error(err)
					}
				}
				return false
			})
			r := runWithHTTP(t, http.DefaultClient, env, "upload", "--config", metaConfig(t, url, ""), exportFile(t, rows, ""))
			// The whole path: a stop that crossed the destination went
			// through Scrub, whose "…" took t.TempDir's random number
			// (8 digits or more) or, 0.2% of runs (fewer), the whole path
			// and the tail asserted here with it (session 23's flake).
			ledger := filepath.Join(state, "ledger.db")
			if r.code != ExitFailure || !strings.Contains(r.stderr, "ledger "+ledger+" was deleted while this run had it open") || !strings.Contains(r.stderr, "forgets the withdrawals") {
				t.Fatalf("exit %d, want 1 naming %s and what happened\n%s", r.code, ledger, r.stderr)
			}
			if n := len(g.Accepted()); n > 1000 {
				t.Errorf("Meta took %d events: the run went on sending after its ledger was gone", n)
			}
		})
	}
}
