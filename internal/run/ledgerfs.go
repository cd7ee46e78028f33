package run

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/report"
)

// aheadToSay is how far the clock may run ahead of the newest event a
// platform accepted before the summary says retention was measured from
// that event: a night's visits are a day behind the clock, a week off is
// a holiday, a stopped destination or a clock set wrong.
const aheadToSay = 8 * 24 * time.Hour

// applyRetention deletes what is older than ledger.retention_days,
// measured never from a clock ahead of what the platforms accepted
// (ledger.Retain), and says in the summary when it was not the clock.
//
// behind is the state directory's record of a run the ledger lacks (a
// restored ledger passed by --accept-restored-ledger), nil otherwise: the
// newest accepted event is then the backup's, and the clock may be right.
func applyRetention(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config, sum *report.Summary, behind *LedgerRecord) error {
	days := cfg.Ledger.RetentionDays
	r, err := led.Retain(ctx, days)
	if err != nil {
		return fmt.Errorf("ledger retention: %w", err)
	}
	if r.Forgotten > 0 {
		env.Logger.Info("ledger retention applied", "events_forgotten", r.Forgotten, "retention_days", days, "from", r.From.UTC().Format(time.DateOnly))
	}
	if !r.NoAnchor {
		// The run reports go by the same cut (reportsretention.go); with
		// no anchor the ledger pruned nothing, and neither do they.
		if dir, err := env.StateDir(); err == nil {
			n, err := pruneReports(filepath.Join(dir, "reports"), r.From.AddDate(0, 0, -days))
			if err != nil {
				env.Logger.Warn("could not delete every run report older than ledger.retention_days", "error", err)
			}
			if n > 0 {
				env.Logger.Info("run reports older than ledger.retention_days deleted", "reports", n, "retention_days", days)
			}
		}
	}
	switch {
	case r.NoAnchor && r.Held > 0:
		sum.LedgerRetention = fmt.Sprintf("nothing pruned: no event a platform accepted tells the time to measure ledger.retention_days (%d) from, and this machine's clock alone could be wrong (%d events older than that by the clock kept)", days, r.Held)
	case r.Ahead > aheadToSay && behind != nil:
		sum.LedgerRetention = fmt.Sprintf("ledger.retention_days (%d) measured from %s, the newest event a platform accepted, not from this machine's clock, %d days ahead of it: "+
			"the ledger lacks run %s of %s, which this state directory recorded, so it is likely a restored backup whose newest event is that old, not a clock set ahead",
			days, r.From.UTC().Format(time.DateOnly), int(r.Ahead/(24*time.Hour)), behind.RunID, behind.Time.UTC().Format(time.DateOnly))
	case r.Ahead > aheadToSay:
		sum.LedgerRetention = fmt.Sprintf("ledger.retention_days (%d) measured from %s, the newest event a platform accepted, not from this machine's clock, %d days ahead of it: check the clock if this night's visits are not that late (a clock set ahead must not prune what the platforms hold)",
			days, r.From.UTC().Format(time.DateOnly), int(r.Ahead/(24*time.Hour)))
	}
	return nil
}

// ledgerStillThere checks, before the run reports its outcome, that the
// ledger it recorded in is still the file at its path (ledger.Gone): a
// ledger deleted after the last batch, or in a run that sent nothing, is
// an error the next night would not see, and it exits 1 saying so.
func ledgerStillThere(led *ledger.Ledger, err error) error {
	gone := led.Gone()
	if gone == nil || errors.Is(err, ledger.ErrLedgerGone) || err != nil && strings.Contains(err.Error(), ledger.StoppedSending) {
		return err
	}
	if err != nil {
		gone = fmt.Errorf("%w (and: %v)", gone, err)
	}
	return &ExitError{Code: ExitFailure, Err: gone}
}
