package pipeline

import "fmt"

// verdict is what settling decides of a row beyond its outcome, from the
// sets of orders converted and bookings sent: among rows that would
// become conversions, the first of an order is the conversion and later
// ones are duplicate_order. reason is the row's final reason.
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
// the sets. It consults them in this order: the order, the booking, then
// (a refusing row) the order again.
func (s *settler) judgeRow(line int, o *outcome) (verdict, error) {
	v := verdict{reason: o.reason}
	if o.reason == "" && s.orders.disagree(o.dup) {
		// Its order's rows disagree on what they send: every one is
		// held, in any row order (orderrows.go).
		// Like a duplicate's, its drops and notes are not counted: the
		// rows are one visit, listed again, and none of it is sent.
		v.reason, v.dup = ReasonOrderRowsDisagree, true
		s.orders.held(o.dup)
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
	if v.reason != "" && refuses(v.reason) && o.dup != 0 {
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
