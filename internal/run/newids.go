package run

import (
	"errors"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
)

// The safety net against event ids that changed by mistake (issue 21): a
// changed input.columns.order_id, a changed secret, or an order-id column
// whose values changed meaning make every conversion of a nightly export
// an event no platform has seen, and each platform would count every
// visit again. A nightly export overlaps the nights before, so its
// conversions are mostly ones the ledger knows; a run where more than half
// of a destination's conversions (at least newIDsMin) are dated on or
// before the newest event already delivered there and carry ids the
// ledger has never seen stops before anything is sent (exit 2, naming
// input.columns.order_id). `upload --accept-new-ids` proceeds, for a run a
// person has checked.
const (
	newIDsMin = 20
	// newIDsSample is how many conversions the net judges before it lets
	// any through: a run's first ones (exports run in date order, and the
	// oldest are the ones a ledger knows). The filter holds at most this
	// many until then.
	newIDsSample = 10000
)

// newIDsStop turns the net's verdict into the config error that names
// what to check; other errors pass unchanged.
func newIDsStop(cfg *config.Config, err error) error {
	var ne *ledger.NewIDsError
	if !errors.As(err, &ne) {
		return err
	}
	return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
		"%d of the %d conversions for %s are dated on or before %s, the newest event already delivered there, yet carry event ids the ledger has never seen; nothing was sent. "+
			"The order id no longer makes the ids it made: check input.columns.order_id and the secret (HASHGATE_SECRET) against the config of the last upload, "+
			"and that the export's order-id column still holds the same values. If these really are new conversions (visits entered late, a restored or new ledger), "+
			"run `hashgate upload --accept-new-ids` once",
		ne.Unseen, ne.Conversions, ne.Destination, newestIn(cfg, ne.Newest))}
}

// newestIn spells t in the clinic's zone (UTC without one).
func newestIn(cfg *config.Config, t time.Time) string {
	loc := cfg.Location()
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 -07:00")
}
