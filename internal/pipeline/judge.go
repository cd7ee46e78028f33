package pipeline

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/platform"
)

// verdict is what settling decides of a row beyond its outcome, from the
// sets of orders converted and bookings sent: among rows that would
// become conversions, the first of an order to reach a destination is
// the order's conversion there, and a row whose every destination an
// earlier row reached is duplicate_order (sendsPerDestination). reason is
// the row's final reason.
type verdict struct {
	reason string
	dup    bool // a duplicate_order or order_rows_disagree (its drops and notes are not counted)
	// ras: a row refusing an order already converted, whose refusal did
	// not withdraw the earlier row (NoteRefusedAfterSent).
	ras bool
	// bookDup: the row's booking was sent by an earlier row of the order.
	bookDup bool
}

// judgeRow decides o's verdict, adding its order (and its booking's) to
// the sets, and leaves in o.convs the conversions the row sends (skips
// saying why a destination it reached is not sent). It consults the sets
// in this order: the order per destination, the order, the booking, then
// (a refusing row) the order again.
func (s *settler) judgeRow(line int, o *outcome, skips []string) (verdict, error) {
	v := verdict{reason: o.reason}
	// An order of one row in the whole export (orderRows.single) meets no
	// other row of it here: the set of orders sent keeps no key for it,
	// and it is nobody's duplicate (issue 29: on the bench export, all of
	// whose orders are single, that set was a third of the settling).
	single, err := s.orders.single(o.dup)
	if err != nil {
		return v, err
	}
	if single {
		// Nothing to look up: a usable row's conversions all go (it is
		// its order's first row everywhere); an excluded one keeps its
		// own reason, and no earlier row was sent for it to refuse.
	} else if o.reason == "" && o.dup != 0 && !firstRowWins.Load() {
		reason, err := s.sendsPerDestination(o, skips)
		if err != nil {
			return v, err
		}
		if reason != "" {
			// Every destination it reaches was sent by an earlier row of
			// its order, or is held there (orderrows.go). Like a
			// duplicate's, its drops and notes are not counted: the rows
			// are one visit, listed again, and none of it is sent.
			v.reason, v.dup = reason, true
		}
	} else if o.reason == "" || o.late {
		dup, err := s.seen.Seen(o.dup, o.reason == "")
		if err != nil {
			return v, err
		}
		if dup {
			v.reason, v.dup = ReasonDuplicate, true
		}
	}
	if b := &o.booking; s.bseen != nil && b.considered && !b.waiting && b.reason == "" {
		dup, err := s.bseen.Seen(b.dup, true)
		if err != nil {
			return v, fmt.Errorf("write booking from line %d: %w", line, err)
		}
		v.bookDup = dup
	}
	if v.reason != "" && refuses(v.reason) && o.dup != 0 && !single {
		// A row refuses an order already converted: the refusal did
		// not withdraw the earlier row (NoteRefusedAfterSent).
		sent, err := s.seen.Has(o.dup)
		if err != nil {
			return v, err
		}
		v.ras = sent
	}
	return v, s.w.fan.settled(o, v.reason, line) // the fan-out alarm (fanout.go)
}

// sendsPerDestination keeps, of a usable row's visit conversions, those
// for the destinations its order has not reached yet and whose rows agree
// (orderrows.go): an order's conversion for a destination is its first
// row there, so the order reaches every destination one of its rows
// reaches, in any row order. A destination dropped is the row's skip
// (duplicate_order, order_rows_disagree), under "not sent to" when the
// row went elsewhere, its dropped identifiers there forgotten (a
// withdrawn destination's are: tally.withdraw). When none is left, the
// row's skips are put back and the reason is returned: order_rows_disagree
// if a destination held it, else duplicate_order — counted once, as a
// duplicate always was.
func (s *settler) sendsPerDestination(o *outcome, skips []string) (string, error) {
	var gone uint32 // by enabled index
	visits, sends, held := 0, 0, false
	kept := o.convs[:0]
	for _, cv := range o.convs {
		if cv.Booking {
			kept = append(kept, cv) // the booking's own rule (bseen)
			continue
		}
		visits++
		i := s.enabledIndex(cv.Platform)
		disagree, err := s.orders.disagree(o.dup, cv.Platform)
		if err != nil {
			return "", err
		}
		if disagree {
			skips[i], gone, held = ReasonOrderRowsDisagree, gone|1<<i, true
			continue
		}
		sent, err := s.seen.Seen(orderOn(o.dup, cv.Platform), true)
		if err != nil {
			return "", err
		}
		if sent {
			skips[i], gone = ReasonDuplicate, gone|1<<i
			continue
		}
		kept = append(kept, cv)
		sends++
	}
	o.convs = kept
	if held {
		if err := s.orders.held(o.dup); err != nil { // once per order: orders_differing_in_fee_only
			return "", err
		}
	}
	if visits == 0 || sends > 0 {
		// The order, whatever the destination: a later row with no
		// identifier is its duplicate (o.late), a refusing one found it
		// sent (verdict.ras).
		dup, err := s.seen.Seen(o.dup, true)
		if visits == 0 && dup {
			return ReasonDuplicate, err // no visit to send: as before
		}
		o.t.withdraw(gone)
		return "", err
	}
	for i := range skips {
		if gone&(1<<i) != 0 {
			skips[i] = "" // counted as a duplicate always was
		}
	}
	if held {
		return ReasonOrderRowsDisagree, nil
	}
	return ReasonDuplicate, nil
}

// enabledIndex is p's index among the enabled platforms (skips).
func (s *settler) enabledIndex(p platform.Platform) int {
	for i, q := range s.platforms {
		if q == p {
			return i
		}
	}
	return 0
}
