package pipeline

import (
	"encoding/binary"
	"time"

	"github.com/hashgate/hashgate/internal/binfield"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/platform"
)

// Bookings (conversion.bookings, issue 27 point 3): every appointment was
// booked, and the booking is sent once, as a conversion of its own, on
// the night it was made — whatever became of the appointment since
// (cancelled, no-show, rescheduled, still to come). It is judged apart
// from the visit:
//
//   - its id is the order's booking id (eventid.DeriveBooking): never the
//     visit's, and as stable as it (the same order key);
//   - it is dated by input.columns.booked_at; without a readable one (or
//     one after the appointment) by the appointment time, and then it
//     waits, uncounted, until that time has passed (bookingWaiting): a
//     booking dated in the future would be refused by the platforms, and
//     an appointment time is when the clinic knows the booking stood;
//   - consent is judged at the booking time: a consent recorded after the
//     booking did not cover it, even when it covers the visit;
//   - the status does not matter: a cancelled appointment was booked;
//   - it carries no value (nothing was bought yet), the row's click ids and
//     identifiers under the same health rules as the visit (Google: click
//     ids only by default), and Meta's fbc;
//   - everything decided before the appointment time — the revocations
//     list, a refusing consent value, refused orders, revoked patients, an
//     unreadable appointment time — excludes the booking with the row.
//
// The row's own accounting (used or excluded, by reason) stays the
// visit's; bookings are counted apart (report.Bookings), and a booking's
// conversions are in Summary.Conversions too, as every request carries
// them.

// Booking reasons counted under report.Bookings.
const (
	// BookingWaiting: no booked_at, and the appointment is still to come.
	BookingWaiting = "waiting_for_appointment"
)

// bookingOutcome is what process decided of a row's booking.
type bookingOutcome struct {
	// considered: the row reached the booking's own decision.
	considered bool
	waiting    bool
	dup        uint64
	// reason is why no platform gets the booking ("" when one does);
	// skips, per enabled platform, why that one does not.
	reason string
	skips  [platform.Count]string
}

// encodeBooking appends a held row's booking outcome (record.go): whether
// it was considered and waits, its order digest, its reason and the
// reasons of nplat platforms.
func (r *recorder) encodeBooking(b []byte, bo *bookingOutcome, nplat int) []byte {
	var flags byte
	if bo.considered {
		flags |= 1
	}
	if bo.waiting {
		flags |= 2
	}
	b = append(b, flags)
	if !bo.considered {
		return b
	}
	b = binary.LittleEndian.AppendUint64(b, bo.dup)
	b = binary.AppendUvarint(b, r.name(bo.reason))
	for i := range nplat {
		b = binary.AppendUvarint(b, r.name(bo.skips[i]))
	}
	return b
}

// decodeBooking reads what encodeBooking wrote.
func (r *recorder) decodeBooking(d *binfield.Reader, bo *bookingOutcome, nplat int) {
	*bo = bookingOutcome{}
	flags := d.Byte()
	bo.considered, bo.waiting = flags&1 != 0, flags&2 != 0
	if !bo.considered {
		return
	}
	bo.dup = d.Uint64()
	bo.reason = r.lookup(d)
	for i := range nplat {
		bo.skips[i] = r.lookup(d)
	}
}

// bookingIDOf derives the row's booking id and its order digest once per
// row: screen may need it first, for the revocations list.
func (r *runner) bookingIDOf(key string) (eventid.ID, uint64) {
	if !r.bookingDone {
		r.bookingID, r.bookingDup = r.deriveID(key, true)
		r.bookingDone = true
	}
	return r.bookingID, r.bookingDup
}

// bookingLegacyID is the booking's id as an older hashgate made it, from
// the single-column order id as written, when it folds to another
// (orderKey): the ledger's dual lookup finds a booking sent under it.
func (r *runner) bookingLegacyID(k rowKey) eventid.ID {
	if k.prior != "" {
		// A wrapped id (="A0001"), or a composite id's part that folds
		// otherwise (rowKey.prior).
		id, _ := r.deriveID(k.prior, true)
		return id
	}
	if r.composite || k.key == k.legacy {
		return ""
	}
	id, _ := r.deriveID(k.legacy, true)
	return id
}

// bookingIDOnly is bookingIDOf's id.
func (r *runner) bookingIDOnly(key string) eventid.ID {
	id, _ := r.bookingIDOf(key)
	return id
}

// booking decides the row's booking after screen and the appointment time
// (at): its time, whether it waits, and each platform's consent at that
// time (r.bskip). It reports whether some platform may get it.
func (r *runner) booking(row export.Row, k rowKey, at time.Time, o *outcome) bool {
	b := &o.booking
	b.considered = true
	r.bookingID, b.dup = r.bookingIDOf(k.key)
	r.bookingLegacy, r.bookingPrior = r.bookingLegacyID(k), k.prior != ""
	bt, dated := r.bookedAt(row, &o.t)
	now := r.now
	if now.IsZero() {
		now = time.Now()
	}
	if !dated || bt.After(at) {
		bt = at
	}
	if bt.After(now) {
		b.waiting = true
		return false
	}
	r.bookingAt = bt
	in := r.cin
	in.Event = bt
	for i := range r.platforms {
		switch {
		case r.screened[i] != "":
			r.bskip[i] = r.screened[i]
		case i > 0 && r.consentCols[i] == r.consentCols[i-1]:
			r.bskip[i] = r.bskip[i-1]
		default:
			in.Value = row.Get(r.consentCols[i])
			r.bskip[i] = r.policy.Decide(in)
		}
	}
	for _, s := range r.bskip {
		if s == "" {
			return true
		}
	}
	b.reason = r.bskip[0]
	return false
}

// bookingConversions appends the row's booking conversions to r.out, one
// per platform whose consent held at the booking time and that has
// something to match on: the visit's shape (click ids, identifiers, fbc)
// with the booking's id, time and event name and no value.
func (r *runner) bookingConversions(o *outcome) {
	sent := false
	for i := range r.platforms {
		if r.bskip[i] != "" {
			continue
		}
		c := &r.bconvs[i]
		*c = r.convs[i]
		c.EventID, c.LegacyID, c.Time, c.Name, c.Booking = r.bookingID, r.bookingLegacy, r.bookingAt, r.bookingName, true
		c.Value, c.HasValue, c.Currency = 0, false, ""
		switch {
		case c.Weak():
			r.bskip[i] = ReasonWeakIdentifiers
		case usable(c):
			r.out = append(r.out, c)
			sent = true
		case len(r.fields[r.platforms[i]]) == 0 && len(r.specs[i].ClickIDs) > 0:
			r.bskip[i] = ReasonNoClickID
		default:
			r.bskip[i] = ReasonNoIdentifier
		}
	}
	copy(o.booking.skips[:], r.bskip)
	if !sent {
		o.booking.reason = r.bskip[0]
	}
}
