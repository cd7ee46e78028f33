package pipeline

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// The rows of one order that spell its id otherwise. A row whose order id
// an older hashgate read otherwise — an Excel text formula (="A0001")
// that c55587c took as written, a full-width id before ids were folded, a
// composite id made of its cells as written — carries that spelling's
// event id as its legacy id (rowKey.prior, eventIDs), which the ledger
// looks up beside its own: a visit sent under it is not sent again. On
// the night of the upgrade an order's rows can mix the spellings (one row
// ="A0001", a plain copy A0001 pasted by hand or re-saved): the order's
// conversion was its first row's, and when that row was the plain one it
// carried no legacy id, the ledger did not find the visit, and it was
// sent again — the row order decided it (the session-28 review).
//
// compare, which reads back the rows of the orders of more than one row,
// also finds those whose rows differ in their legacy id (one carries
// none, or two carry different ones), and reads their legacy ids back in
// a second pass, only when there are such orders; the settler gives the
// order's conversions that id (respell), whatever row they come from.
//
// Two rows with different legacy ids: one made of a text formula's
// spelling (rowKey.prior, the spelling c55587c read and sent a wrapped
// cell under) is the order's over one made otherwise (a composite id's
// cells as written, an unfolded id), and among the same kind the
// smaller is: the same in any row order. With a composite order id every
// row carries a legacy id — a plain row its cells as written, a wrapped
// one the formula's spelling — and the order took the smaller of the
// two; when that was the plain row's, the ledger did not find the visit
// c55587c had sent under the formula's, and it was sent again, whatever
// the row order (the session-29 review). The kind is the mark of the
// legacy id in the row's record (priorLegacyMark, bookingPriorLegacyMark),
// no byte more. An export with no legacy id (no text formula, no id
// that folds, no composite id) pays a flag per row: its rows' records
// carry nothing more.
//
// A booking (booking.go) has a legacy id of its own, the booking id an
// older hashgate made of the same spelling (bookingLegacyID), and went
// as its order's first row to send it: with the plain row first it
// carried none, and a booking sent under ="B1" went again (the
// session-29 review). A row's booking legacy id has its own slot in its
// record (bookingLegacyMark) and its own keys here (bookingSpelling):
// the bookings of an order are compared among the rows that send one,
// its visits among the rows that send one, and each kind takes its own
// legacy id.

// legacyMark is the platform byte that marks a row's visits' legacy id
// in its record (orderRows.note), bookingLegacyMark its booking's: no
// platform's, nor a booking's slot (bookingSlot|platform). The prior
// marks say the same of a legacy id made of a text formula's spelling
// (rowKey.prior), which collectLegacies prefers.
const (
	legacyMark             = 0xff
	bookingLegacyMark      = 0xfe
	priorLegacyMark        = 0xfd
	bookingPriorLegacyMark = 0xfc
)

// The marks stay apart from every booking slot (a platform below Count).
var _ [bookingPriorLegacyMark - int(bookingSlot) - platform.Count]struct{}

// legacyPick is the legacy id an order's kind takes (collectLegacies),
// and whether it is made of a text formula's spelling (rowKey.prior).
type legacyPick struct {
	id    eventid.ID
	prior bool
}

// The kinds of an order's conversions whose spellings are compared apart:
// an order's key (its digest) for a kind is dup^kind, in compare's keys,
// mixedKey and legacies. A visit's is its order's digest, as before.
const (
	visitSpelling   uint64 = 0
	bookingSpelling uint64 = 0x4cf5ad432745937f
)

// maxMixedOrders bounds the orders whose rows spell their id otherwise
// that one run keeps the legacy ids of (about 80 bytes each, its visits'
// and its booking's apart): past it the run stops before sending (an
// export that mixes spellings on this many orders is re-saved or edited
// as a whole, and is best exported again).
var maxMixedOrders = 1 << 16

const (
	spelledSalt  = 0x94d049bb133111eb
	plainSalt    = 0xbf58476d1ce4e5b9
	spellingSalt = 0xc2b2ae3d27d4eb4f
	mixedSalt    = 0x165667b19e3779f9
	orderSalt    = 0x62a9d9ed799705f5
)

func mixedKey(dup uint64) uint64 { return keyset.Mix(dup ^ mixedSalt) }

// noteLegacy writes the legacy id id into b, reporting whether it was
// one (a derived id is always Len hex digits).
func noteLegacy(b *[eventid.Len / 2]byte, id eventid.ID) bool {
	if len(id) != eventid.Len {
		return false
	}
	_, err := hex.Decode(b[:], []byte(id))
	return err == nil
}

// spellings takes a repeated order's usable row as compare reads it back
// — dup its order's digest, kind what it sends (visitSpelling,
// bookingSpelling), legacy that kind's legacy id (nil: none) — marks the
// order mixed for the kind when one of its rows differs in it from an
// earlier one, and counts the order in mixed the first time it is
// mixed for either kind.
func (or *orderRows) spellings(seen *keyset.Set, dup, kind uint64, legacy []byte) error {
	var mixed bool
	order := dup
	dup ^= kind
	if legacy == nil {
		if _, err := seen.Seen(keyset.Mix(dup^plainSalt), true); err != nil {
			return err
		}
		spelled, err := seen.Has(keyset.Mix(dup ^ spelledSalt))
		if err != nil {
			return err
		}
		mixed = spelled
	} else {
		had, err := seen.Seen(keyset.Mix(dup^spelledSalt), true)
		if err != nil {
			return err
		}
		same, err := seen.Seen(keyset.Mix(dup^binary.LittleEndian.Uint64(legacy)^spellingSalt), true)
		if err != nil {
			return err
		}
		plain, err := seen.Has(keyset.Mix(dup ^ plainSalt))
		if err != nil {
			return err
		}
		mixed = had && !same || plain
	}
	if !mixed {
		return nil
	}
	was, err := or.found.Seen(mixedKey(dup), true)
	if err != nil || was {
		return err
	}
	if was, err = or.found.Seen(keyset.Mix(order^orderSalt), true); err == nil && !was {
		or.mixed++ // an order, whatever kinds of it are mixed
	}
	return err
}

// collectLegacies reads the rows back a second time for the legacy ids
// of the orders spellings found mixed, keeping one of each (keepLegacy).
func (or *orderRows) collectLegacies(ctx context.Context) error {
	if or.mixed > maxMixedOrders {
		return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
			"%s: %d orders spell their order id in more than one way across their rows (an Excel text formula and plain text, a full-width and a plain id), more than the %d one run matches to the ids sent before; export the file again as the clinic system writes it, and upload that; nothing was sent",
			or.name, or.mixed, maxMixedOrders)}
	}
	or.legacies = make(map[uint64]legacyPick, or.mixed)
	err := or.rows.Replay(ctx, func(rec []byte) error {
		dup := binary.BigEndian.Uint64(rec)
		for rec = rec[8:]; len(rec) >= 17; rec = rec[17:] {
			key := dup
			switch rec[0] {
			case legacyMark, priorLegacyMark:
			case bookingLegacyMark, bookingPriorLegacyMark:
				key ^= bookingSpelling
			default:
				continue
			}
			mixed, err := or.found.Has(mixedKey(key))
			if err != nil {
				return err
			}
			if mixed {
				prior := rec[0] == priorLegacyMark || rec[0] == bookingPriorLegacyMark
				or.keepLegacy(key, rec[1:17], prior)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read back the spellings of repeated orders: %w", err)
	}
	return nil
}

// keepLegacy keeps id, a legacy id of the order's kind key (prior: made
// of a text formula's spelling), in legacies unless one is kept that goes
// before it: a text formula's before any other, since an older hashgate
// sent the visit under it (the others are what it made of a row it read
// otherwise, and no hashgate sent a wrapped row's visit under them);
// else the smaller. The same in any row order.
func (or *orderRows) keepLegacy(key uint64, id []byte, prior bool) {
	if had, ok := or.legacies[key]; ok {
		if had.prior != prior {
			if had.prior {
				return
			}
		} else {
			b, _ := hex.DecodeString(string(had.id))
			if bytes.Compare(b, id) <= 0 {
				return
			}
		}
	}
	or.legacies[key] = legacyPick{eventid.ID(hex.EncodeToString(id)), prior}
}

// respell gives the conversions of a settled row of an order whose rows
// spell its id otherwise the order's legacy id of their kind
// (collectLegacies): its visits the visits', its bookings the bookings'.
// A prepared one is re-asked of the sink (sink.Respeller).
func (s *settler) respell(o *outcome) {
	if o.dup == 0 {
		return
	}
	vpick, vok := s.orders.legacies[o.dup^visitSpelling]
	bpick, bok := s.orders.legacies[o.dup^bookingSpelling]
	if !vok && !bok {
		return
	}
	visit, booking := vpick.id, bpick.id
	for _, cv := range o.convs {
		id, ok := visit, vok
		if cv.Booking {
			id, ok = booking, bok
		}
		switch {
		case !ok:
		case cv.Prepared == nil:
			cv.LegacyID = id
		case s.respeller != nil:
			s.respeller.Respell(cv.Prepared, cv.Platform, id)
		}
	}
}
