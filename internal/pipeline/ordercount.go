package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/spool"
)

// How the rows of an order of more than one row are counted (issue 29's
// rowcount review). What an order sends no longer follows its rows' order
// (orderrows.go, judge.go), and neither do its counts:
//
//   - a row excluded for a reason of its own (no identifier, a refusing
//     consent, a status) is counted by it, wherever it stands: before, a
//     row without identifiers was duplicate_order after its order's sent
//     row and no_identifier before it;
//   - an order sent is one used row: the first of its rows to send; every
//     other usable row is duplicate_order, even one whose conversion for a
//     destination no earlier row reached goes (as its order's) — before, a
//     row reaching Meta alone was used after a row reaching Google alone,
//     and a duplicate before it;
//   - what the used row was not sent to is counted once the export is
//     settled, and only for a destination no row of its order reached:
//     order_rows_disagree where the order is held there, else the row's
//     own reason;
//   - drops and notes are counted on every row that reached them, a
//     duplicate's too — but for the destinations its order is held at
//     (judge.go) — since which of an order's agreeing rows is "used"
//     followed their order;
//   - a refusal of an order that another row sent (one that cannot
//     withdraw it) is noted consent_refused_after_sent, before the sent
//     row or after it;
//   - a booking is judged per destination as a visit is: each platform
//     gets the order's booking from its rows that reach it, held as
//     order_rows_disagree when they would send different bookings there
//     (another booked_at, identifier, click id) — before, the first row's
//     booking went, with its booked_at, and only to its destinations.
//
// An order of one row (orderRows.single) pays for none of this. What is
// counted after the settling waits in a spool of its own, so memory
// stays flat.

// bookingSlot marks a booking's digest among a row's in orderRows: its
// platform byte with this bit set, so an order's bookings are compared
// apart from its visits.
const bookingSlot platform.Platform = 0x80

// noteBookingSends fills o.bsends, the digest of the booking the row
// would send to each platform, as noteSends fills o.sends: the booking's
// time is its own row's booked_at, which a visit's digest does not hold.
//
// o.blegacy is the booking's legacy id, when it has one (bspelled): its
// order's rows are compared by it as by their visits' (spellings.go).
func (r *runner) noteBookingSends(o *outcome) {
	o.bsends = [platform.Count]uint64{}
	o.bspelled, o.bprior = false, false
	if b := &o.booking; !b.considered || b.waiting || b.reason != "" {
		return
	}
	for _, cv := range o.convs {
		if cv.Booking && int(cv.Platform) < len(o.bsends) {
			if cv.LegacyID != "" && !o.bspelled {
				o.bspelled = noteLegacy(&o.blegacy, cv.LegacyID) // a row's bookings share one
				o.bprior = o.bspelled && r.bookingPrior
			}
			o.bsends[cv.Platform] = r.bodyDigest(cv) | 1
		}
	}
}

// appendBookingSends appends o's booking digests to its orderRows record,
// each under its platform's booking slot (it has no fee: its digest is
// its body).
func appendBookingSends(rec []byte, o *outcome) []byte {
	for p, d := range o.bsends {
		if d != 0 {
			rec = append(rec, byte(platform.Platform(p)|bookingSlot))
			rec = binary.BigEndian.AppendUint64(rec, d)
			rec = binary.BigEndian.AppendUint64(rec, d)
		}
	}
	return rec
}

// The kinds of what is counted once the export is settled (later).
const (
	laterSkip        byte = iota // a used row's skip, unless its order reached the destination
	laterBookingSkip             // the same of a booking
	laterRefusal                 // consent_refused_after_sent, if its order was sent
)

// laterCounts holds what the rows of orders of more than one row count
// once every row is settled.
type laterCounts struct {
	spool   *spool.Spool
	rec     []byte
	scratch []string
}

func newLaterCounts(nplat int) *laterCounts {
	return &laterCounts{spool: spool.New("", 0), scratch: make([]string, nplat)}
}

func (l *laterCounts) add(kind byte, dup uint64, j int, reason string) error {
	b := append(l.rec[:0], kind, byte(j))
	b = binary.BigEndian.AppendUint64(b, dup)
	b = append(b, reason...)
	l.rec = b
	return l.spool.Append(b)
}

func (l *laterCounts) close() { l.spool.Close() }

// firstSender marks, of o's skips (o being the first row of its order to
// send), those its order is held at (counted order_rows_disagree, as the
// order's) and those counted later, once it is known whether another row
// of the order reached the destination.
func (s *settler) firstSender(o *outcome, skips []string, v *verdict) error {
	for j, sk := range skips {
		if sk == "" || sk == ReasonOrderRowsDisagree {
			continue
		}
		held, err := s.orders.disagree(o.dup, s.platforms[j])
		if err != nil {
			return err
		}
		if held {
			v.heldSkips |= 1 << j
		} else {
			v.later |= 1 << j
		}
	}
	return nil
}

// skippedOrder counts a first sender's skips: those firstSender put off
// are spooled, those of a destination its order is held at counted as
// order_rows_disagree, the rest as they are.
func (s *settler) skippedOrder(o *outcome, skips []string, v verdict) error {
	sc := s.later.scratch
	copy(sc, skips)
	for j := range sc {
		switch {
		case v.heldSkips&(1<<j) != 0:
			sc[j] = ReasonOrderRowsDisagree
		case v.later&(1<<j) != 0:
			if err := s.later.add(laterSkip, o.dup, j, sc[j]); err != nil {
				return err
			}
			sc[j] = ""
		}
	}
	s.skipped(sc)
	return nil
}

// refusedAfterSent notes a refusing row of an order of more than one row
// whose order was sent (verdict.ras) — now, or once every row is settled.
func (s *settler) refusedAfterSent(o *outcome, v *verdict) error {
	sent, err := s.seen.Has(o.dup)
	if err != nil || sent {
		v.ras = sent
		return err
	}
	return s.later.add(laterRefusal, o.dup, 0, "")
}

// dupReason is why a usable row of an order of more than one row, not
// its used row, is excluded (slot: bookingSlot for its booking, else 0):
// order_rows_disagree when its order is held for some destination, else
// duplicate_order — its order's, wherever the row stands and whichever
// destinations it reaches.
func (s *settler) dupReason(dup uint64, slot platform.Platform) (string, error) {
	for _, p := range s.platforms {
		held, err := s.orders.disagree(dup, p|slot)
		if err != nil {
			return "", err
		}
		if held {
			return ReasonOrderRowsDisagree, nil
		}
	}
	return ReasonDuplicate, nil
}

// bookingsPerDestination keeps, of a row's booking conversions, those for
// the destinations its order's booking has not reached and whose rows
// agree (sendsPerDestination's rule for bookings); a row's booking that
// is not its order's first sent is a duplicate (dupReason), its
// conversions for destinations no earlier row reached going still. The first row of its order to send a booking
// counts its skips as a visit's first sender does.
func (s *settler) bookingsPerDestination(o *outcome, v *verdict) error {
	b := &o.booking
	var heldAt uint32
	sends, dups := 0, 0
	kept := o.convs[:0]
	for _, cv := range o.convs {
		if !cv.Booking {
			kept = append(kept, cv)
			continue
		}
		j := s.enabledIndex(cv.Platform)
		held, err := s.orders.disagree(o.dup, cv.Platform|bookingSlot)
		if err != nil {
			return err
		}
		if held {
			b.skips[j], heldAt = ReasonOrderRowsDisagree, heldAt|1<<j
			continue
		}
		sent, err := s.bseen.Seen(orderOn(b.dup, cv.Platform), true)
		if err != nil {
			return err
		}
		if sent {
			b.skips[j] = ReasonDuplicate
			dups++
			continue
		}
		kept = append(kept, cv)
		sends++
	}
	o.convs = kept
	v.bookSent = sends+dups > 0
	was := true
	if sends > 0 {
		var err error
		if was, err = s.bseen.Seen(b.dup, true); err != nil {
			return err
		}
	}
	if was { // its conversions, if any, go as the order's
		v.bookDup, v.bookSends = true, sends > 0
		reason, err := s.dupReason(o.dup, bookingSlot)
		v.bookHeld = reason == ReasonOrderRowsDisagree
		return err
	}
	for j, sk := range b.skips[:len(s.platforms)] {
		if sk == "" || heldAt&(1<<j) != 0 {
			continue
		}
		held, err := s.orders.disagree(o.dup, s.platforms[j]|bookingSlot)
		if err != nil {
			return err
		}
		if held {
			b.skips[j] = ReasonOrderRowsDisagree
			continue
		}
		if err := s.later.add(laterBookingSkip, b.dup, j, sk); err != nil {
			return err
		}
		b.skips[j] = ""
	}
	return nil
}

// countLater counts, once every row is settled, what waited for it: a
// first sender's skip of a destination no row of its order reached, and
// a refusal of an order another row sent.
func (s *settler) countLater(ctx context.Context) error {
	defer s.later.close()
	err := s.later.spool.Replay(ctx, func(rec []byte) error {
		if len(rec) < 10 {
			return fmt.Errorf("a count kept for later is %d bytes", len(rec))
		}
		kind, j, dup, reason := rec[0], int(rec[1]), binary.BigEndian.Uint64(rec[2:]), rec[10:]
		switch kind {
		case laterRefusal:
			sent, err := s.seen.Has(dup)
			if sent {
				s.sum.Notes[NoteRefusedAfterSent]++
			}
			return err
		case laterSkip:
			p := s.platforms[j]
			reached, err := s.seen.Has(orderOn(dup, p))
			if err == nil && !reached {
				s.sum.Skip(p.String(), string(reason))
			}
			return err
		default:
			p := s.platforms[j]
			reached, err := s.bseen.Has(orderOn(dup, p))
			if err == nil && !reached {
				s.sum.BookingCounts().Skip(p.String(), string(reason))
			}
			return err
		}
	})
	if err != nil {
		return fmt.Errorf("count the rows of repeated orders: %w", err)
	}
	return nil
}

// countBookings counts the booking conversions o sends.
func (s *settler) countBookings(o *outcome) {
	bs := s.sum.BookingCounts()
	for _, cv := range o.convs {
		if cv.Booking {
			s.counts[cv.Platform]++
			bs.Conversions[cv.Platform.String()]++
		}
	}
}

// bookingDupReason is why a booking its order sent elsewhere, or held, is
// not sent from this row.
func bookingDupReason(v verdict) string {
	if v.bookHeld {
		return ReasonOrderRowsDisagree
	}
	return ReasonDuplicate
}
