package pipeline

import (
	"hash/maphash"
	"unsafe"

	"github.com/hashgate/hashgate/internal/eventid"
)

// A row's ids: the digest of its order key that duplicates and
// withdrawals compare, which every row with an order id needs, and its
// event ids, which only a row that gets as far as its conversions does.

// orderSeed keys orderDigest, once per process: every runner of a run
// shares it, and what it keys never leaves the process (the duplicate and
// withdrawal sets, and the held rows' spill file, unlinked).
var orderSeed = maphash.MakeSeed()

// orderDigest is the 64-bit digest of an order key that duplicate
// detection and withdrawals compare (outcome.dup): every row with an order
// id needs one. It was the second half of the event id's HMAC, but half
// the rows of an export never need their event id — consent refused, a
// status that is no visit — and the HMAC was 6% of a dry-run (issue 29):
// a seeded maphash tells orders apart as well within a run (64 bits, a
// seed no one outside the process knows), and the id is derived only for
// a row that gets as far as its conversions (eventIDs). Never 0, which
// the settler reads as "no order".
func orderDigest(key string) uint64 {
	return maphash.String(orderSeed, key) | 1
}

// eventIDs derives the row's event id, and its legacy id when the order
// key is not the order id as written, once per row (screen may need them
// first, for the revocations list).
func (r *runner) eventIDs(k rowKey) (id, legacyID eventid.ID) {
	if !r.idsDone {
		r.id, _ = r.deriveID(k.key, false)
		r.legacyID, r.legacyPrior = "", k.prior != ""
		if k.prior != "" {
			// A wrapped id (="A0001"), or a composite id whose part
			// folds otherwise: the ledger may hold it under the
			// spelling of the last release (rowKey.prior; before that,
			// under the cells as written: only when no part folds, an
			// id made before schema 4 is looked up).
			r.legacyID, _ = r.deriveID(k.prior, false)
		} else if k.key != k.legacy {
			r.legacyID, _ = r.deriveID(k.legacy, false)
		}
		r.idsDone = true
	}
	return r.id, r.legacyID
}

// deriveID is r.ids.Derive without a string per id: the id is a view of
// r.idtext, valid until the next row.
func (r *runner) deriveID(key string, booking bool) (eventid.ID, uint64) {
	at := len(r.idtext)
	var dup uint64
	if booking {
		r.idtext, dup = r.ids.AppendDeriveBooking(r.idtext, key)
	} else {
		r.idtext, dup = r.ids.AppendDerive(r.idtext, key)
	}
	// A view of the bytes just appended; should idtext move to a larger
	// array later in the row, this one stays alive under the views.
	return eventid.ID(unsafe.String(&r.idtext[at], eventid.Len)), dup
}
