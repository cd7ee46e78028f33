package run

import (
	"context"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
)

// sayNewIDs warns, in a dry-run, where an upload with this config would
// stop on the safety net against changed ids (newids.go), judged as the
// upload's net judges (ledger.HeldPeek.NewIDs). A clinic's history
// re-exported under a new system's ids (C-1…C-18 for 48000–48017) stopped
// the upload, and its dry-run gave no hint (a review, session 23); the
// stop's way on, --accept-new-ids, would send that history again as new
// conversions, so the warning says what to export instead: only the visits
// after the last delivery, named by its day (never a patient's data).
func sayNewIDs(ctx context.Context, env *Env, cfg *config.Config, peek *ledger.HeldPeek) {
	found, err := peek.NewIDs(ctx)
	if err != nil {
		env.Logger.Warn("could not judge the conversions as the safety net would", "error", err)
		return
	}
	for _, ne := range found {
		env.Logger.Warn(newIDsDryRun(cfg, ne))
	}
}

// newIDsDryRun is the dry-run's warning for ne.
func newIDsDryRun(cfg *config.Config, ne *ledger.NewIDsError) string {
	return fmt.Sprintf("%d of the %d conversions for %s are dated on or before %s, the newest event already delivered there, yet carry event ids the ledger has never seen: an upload would stop (safety net, exit 2) before sending. "+
		"If the order ids changed (input.columns.order_id, the secret), restore them. %s",
		ne.Unseen, ne.Conversions, ne.Destination, newestIn(cfg, ne.Newest), migratedHistory(cfg, ne))
}

// migratedHistory is what the net's stop and its dry-run say of a new
// clinic system's export: its migrated history carries the new system's
// ids, and --accept-new-ids, the stop's way on, sent it all again as new
// conversions (a review: 18 visits counted twice on each platform).
func migratedHistory(cfg *config.Config, ne *ledger.NewIDsError) string {
	return fmt.Sprintf("If this is a new clinic system's export whose migrated history carries new ids, "+
		"`hashgate upload --accept-new-ids` would send all %d as new conversions, counted twice on each platform: export instead only the visits after %s, the day of the newest delivered event (that day's own visits: check them by hand)",
		ne.Unseen, dayIn(cfg, ne.Newest))
}

// dayIn is t's day in the clinic's zone (UTC without one): a day names no
// visit.
func dayIn(cfg *config.Config, t time.Time) string {
	loc := cfg.Location()
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02")
}
