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
// order's conversions that id (respell), whatever row they come from. Two
// rows with different legacy ids give the order the smaller, the same in
// any row order. An export with no legacy id (no text formula, no id
// that folds, no composite id) pays a flag per row: its rows' records
// carry nothing more.

// legacyMark is the platform byte that marks a row's legacy id in its
// record (orderRows.note): no platform's.
const legacyMark = 0xff

// maxMixedOrders bounds the orders whose rows spell their id otherwise
// that one run keeps the legacy id of (about 80 bytes each): past it the
// run stops before sending (an export that mixes spellings on this many
// orders is re-saved or edited as a whole, and is best exported again).
var maxMixedOrders = 1 << 16

const (
	spelledSalt  = 0x94d049bb133111eb
	plainSalt    = 0xbf58476d1ce4e5b9
	spellingSalt = 0xc2b2ae3d27d4eb4f
	mixedSalt    = 0x165667b19e3779f9
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

// spellings takes a repeated order's usable row as compare reads it back,
// legacy its legacy id (nil: none), and counts the order in mixed the
// first time one of its rows differs in it from an earlier one.
func (or *orderRows) spellings(seen *keyset.Set, dup uint64, legacy []byte) error {
	var mixed bool
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
	if err == nil && !was {
		or.mixed++
	}
	return err
}

// collectLegacies reads the rows back a second time for the legacy ids
// of the orders spellings found mixed, keeping the smallest of each.
func (or *orderRows) collectLegacies(ctx context.Context) error {
	if or.mixed > maxMixedOrders {
		return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
			"%s: %d orders spell their order id in more than one way across their rows (an Excel text formula and plain text, a full-width and a plain id), more than the %d one run matches to the ids sent before; export the file again as the clinic system writes it, and upload that; nothing was sent",
			or.name, or.mixed, maxMixedOrders)}
	}
	or.legacies = make(map[uint64]eventid.ID, or.mixed)
	err := or.rows.Replay(ctx, func(rec []byte) error {
		dup := binary.BigEndian.Uint64(rec)
		for rec = rec[8:]; len(rec) >= 17; rec = rec[17:] {
			if rec[0] != legacyMark {
				continue
			}
			mixed, err := or.found.Has(mixedKey(dup))
			if err != nil || !mixed {
				return err
			}
			id := rec[1:17]
			if had, ok := or.legacies[dup]; ok {
				b, _ := hex.DecodeString(string(had))
				if bytes.Compare(b, id) <= 0 {
					return nil
				}
			}
			or.legacies[dup] = eventid.ID(hex.EncodeToString(id))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("read back the spellings of repeated orders: %w", err)
	}
	return nil
}

// respell gives the visit conversions of a settled row of an order whose
// rows spell its id otherwise the order's legacy id (collectLegacies): a
// prepared one is re-asked of the sink (sink.Respeller).
func (s *settler) respell(o *outcome) {
	if o.dup == 0 {
		return
	}
	id, ok := s.orders.legacies[o.dup]
	if !ok {
		return
	}
	for _, cv := range o.convs {
		switch {
		case cv.Booking:
		case cv.Prepared == nil:
			cv.LegacyID = id
		case s.respeller != nil:
			s.respeller.Respell(cv.Prepared, cv.Platform, id)
		}
	}
}
