package run

import (
	"context"
	"errors"
	"fmt"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
)

// The guard against event times that moved under ids the ledger holds
// (ledger/movedtimes.go): two exports sharing one ledger and one secret,
// both numbering their appointments from 1, take each other's event ids,
// and the second export's visits were skipped as "already ingested in
// earlier runs", exit 0 (a review of a chain of clinics: two branches, ids
// 1–6 and 1–5, lost the second branch's 5 visits; with restate on, each
// night overwrote the other branch's values at Google). The ledger knows
// the event time it sent each event with; a nightly export brings its
// visits back at those times, another export's colliding ids nearly never.
//
// movedTimesMin is the fewest conversions at another time that stop a
// destination (and more than half of those the ledger recorded a time
// for must have moved): the review's branch had 5 visits. Legitimate
// nights stay far below: a rescheduled visit is one of many a rolling
// export re-sends, a re-saved export's times spelt otherwise are the same
// instants, a DST night changes no instant, and bookings, whose booked_at
// a clinic blanks, are not compared (TestMovedTimesLetOrdinaryNightsThrough).
const movedTimesMin = 5

// armTimeGuard arms the guard on filter: a stop before anything is sent,
// or with --accept-new-ids a warning after the run (movedTimesAccepted).
func armTimeGuard(ctx context.Context, filter *ledger.Filter, accept bool) error {
	if err := filter.SetTimeGuard(ctx, ledger.TimeGuard{Min: movedTimesMin, Sample: newIDsSample, Warn: accept}); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// movedTimesStop turns the guard's verdict into the config error that
// names both causes; other errors pass unchanged.
func movedTimesStop(lpath string, err error) error {
	var me *ledger.MovedTimesError
	if !errors.As(err, &me) {
		return err
	}
	return &config.Error{Key: "ledger.path", Problem: fmt.Sprintf(
		"%d of the %d conversions for %s that the ledger (%s) holds as accepted come back at another event time than the one they were accepted with; nothing was sent. %s "+
			"If the times really moved (a corrected timezone), run `hashgate upload --accept-new-ids` once",
		me.Moved, me.Compared, me.Destination, lpath, movedTimesCauses)}
}

// movedTimesCauses is what the stop and the warnings say can cause it.
const movedTimesCauses = "Either another export whose order ids overlap this one's (another branch numbering its appointments from 1) shares this ledger and secret: " +
	"their visits take each other's event ids, and one export's are skipped as already sent — give each export its own ledger.path " +
	"(configs without one share $XDG_STATE_HOME/hashgate/ledger.db) and its own HASHGATE_SECRET; " +
	"or this export's times moved: check timezone and the appointment-time column's format against the last upload's."

// movedTimesAccepted warns of what the guard found on a run that passed
// --accept-new-ids and, when the run read its export (keep), records that
// the times of the events recorded so far were accepted: later nights
// compare only what is sent from now on.
func movedTimesAccepted(ctx context.Context, env *Env, led *ledger.Ledger, filter *ledger.Filter, runID string, keep bool) {
	found := filter.MovedTimes()
	for _, me := range found {
		env.Logger.Warn("conversions the ledger holds as accepted came back at another event time; sent as --accept-new-ids asked. "+movedTimesCauses,
			"destination", me.Destination, "moved", me.Moved, "compared", me.Compared)
	}
	if len(found) == 0 || !keep {
		return
	}
	if err := led.AcceptMovedTimes(context.WithoutCancel(ctx), runID); err != nil {
		env.Logger.Warn("could not record that the moved event times were accepted; the next upload stops on them again", "error", err)
	}
}
