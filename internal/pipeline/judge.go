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
	// bookDup: the row's booking was sent by an earlier row of the order
	// (bookHeld: held, order_rows_disagree, where it would go), though
	// its conversions for destinations no earlier row reached go
	// (bookSends); bookSent: the order's booking went where this row's
	// would (ordercount.go).
	bookDup, bookHeld, bookSends, bookSent bool
	// quiet: a row held at every destination it reaches: nothing of it is
	// sent anywhere, and its drops and notes are not counted, wherever it
	// stands (ordercount.go); with the first row winning, any duplicate,
	// as before.
	quiet bool
	// sends: a duplicate_order whose conversions for destinations no
	// earlier row of its order reached go, as the order's (ordercount.go).
	sends bool
	// Of the first row of its order to send, by enabled index: the skips
	// counted once every row is settled (later), and those of a
	// destination its order is held at (heldSkips: order_rows_disagree).
	later, heldSkips uint32
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
		// Every destination it reaches sent by an earlier row of its
		// order, or held there (orderrows.go), it is a duplicate; so is
		// a later row of an order used, whatever it sends (ordercount.go).
		if err := s.sendsPerDestination(o, skips, &v); err != nil {
			return v, err
		}
	} else if o.reason == "" || o.late && firstRowWins.Load() {
		// A row of no identifier keeps its reason wherever it stands
		// (ordercount.go); as before, with the first row winning.
		dup, err := s.seen.Seen(o.dup, o.reason == "")
		if err != nil {
			return v, err
		}
		if dup {
			v.reason, v.dup, v.quiet = ReasonDuplicate, true, true
		}
	}
	if b := &o.booking; s.bseen != nil && b.considered && !b.waiting && b.reason == "" && !single {
		// Per destination, as a visit (ordercount.go); an order of one
		// row sends its booking, nobody's duplicate.
		if firstRowWins.Load() {
			dup, err := s.bseen.Seen(b.dup, true)
			if err != nil {
				return v, fmt.Errorf("write booking from line %d: %w", line, err)
			}
			v.bookDup = dup
		} else if err := s.bookingsPerDestination(o, &v); err != nil {
			return v, fmt.Errorf("write booking from line %d: %w", line, err)
		}
	}
	if v.reason != "" && refuses(v.reason) && o.dup != 0 && !single {
		// A row refuses an order another row converted: the refusal did
		// not withdraw it (NoteRefusedAfterSent), whichever came first.
		if firstRowWins.Load() {
			sent, err := s.seen.Has(o.dup)
			if err != nil {
				return v, err
			}
			v.ras = sent
		} else if err := s.refusedAfterSent(o, &v); err != nil {
			return v, err
		}
	}
	return v, s.w.fan.settled(o, v.reason, line) // the fan-out alarm (fanout.go)
}

// sendsPerDestination keeps, of a usable row's visit conversions, those
// for the destinations its order has not reached yet and whose rows agree
// (orderrows.go): an order's conversion for a destination is its first
// row there, so the order reaches every destination one of its rows
// reaches, in any row order. A destination dropped is the row's skip
// (duplicate_order, order_rows_disagree). When none is left, the row's
// skips are put back and it is a duplicate (dupReason: order_rows_disagree
// when its order is held somewhere, else duplicate_order) — counted once,
// as a duplicate always was. A row that sends is its order's used row
// when it is the first to (firstSender), else a duplicate whose
// conversions go (ordercount.go). Whatever it is, its dropped identifiers for a
// destination its order is held at are forgotten.
func (s *settler) sendsPerDestination(o *outcome, skips []string, v *verdict) error {
	var gone, heldAt uint32 // by enabled index
	visits, sends := 0, 0
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
			return err
		}
		if disagree {
			skips[i], gone, heldAt = ReasonOrderRowsDisagree, gone|1<<i, heldAt|1<<i
			continue
		}
		sent, err := s.seen.Seen(orderOn(o.dup, cv.Platform), true)
		if err != nil {
			return err
		}
		if sent {
			skips[i], gone = ReasonDuplicate, gone|1<<i
			continue
		}
		kept = append(kept, cv)
		sends++
	}
	o.convs = kept
	if heldAt != 0 {
		if err := s.orders.held(o.dup); err != nil { // once per order: orders_differing_in_fee_only
			return err
		}
	}
	o.t.withdraw(heldAt)
	if visits == 0 || sends > 0 {
		// The order, whatever the destination: a refusing row finds it
		// sent (verdict.ras), a later row that sends is its duplicate.
		dup, err := s.seen.Seen(o.dup, true)
		if err != nil {
			return err
		}
		switch {
		case dup: // no visit to send, or a later row that sends
			v.dup, v.sends = true, visits > 0
			v.reason, err = s.dupReason(o.dup, 0)
			return err
		case visits > 0:
			return s.firstSender(o, skips, v)
		}
		return nil
	}
	for i := range skips {
		if gone&(1<<i) != 0 {
			skips[i] = "" // counted as a duplicate always was
		}
	}
	v.dup, v.quiet = true, gone == heldAt
	var err error
	v.reason, err = s.dupReason(o.dup, 0)
	return err
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
