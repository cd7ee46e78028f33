package pipeline

import (
	"strings"

	"github.com/hashgate/hashgate/internal/export"
)

// revoked reports whether the revocations list names the row (screen): its
// order id as written (a composite's parts joined by | as the review CSV
// spells them), its patient key, or any id an upload may have sent it
// under. Since order ids are folded (orderKey) that is two spellings of
// each: the folded key and its event ids, which uploads since ledger
// schema 16 send, and the as-written id and the ids an older hashgate made
// of it (eventIDs' legacy id, bookingLegacyID). A list naming only one
// spelling withdrew the row under the other: A10\u200b01 in the export was
// sent though A1001 was listed, and a booking id from an old review CSV no
// longer withdrew its row (a review of folded order ids).
func (r *runner) revoked(row export.Row, k rowKey) bool {
	orderID := k.legacy
	id, legacyID := r.eventIDs(k)
	if r.revocations.Has(orderID, strings.ReplaceAll(orderID, "\x1f", "|"), row.Get(export.PatientKey), string(id)) ||
		legacyID != "" && r.revocations.Has(string(legacyID)) ||
		!r.composite && k.key != k.legacy && r.revocations.Has(k.key) {
		return true
	}
	// A booking's own id (the review CSV's Schedule row) withdraws its row
	// as the visit's does: listed, it withdrew nothing and the booking was
	// sent (a review of bookings over nights).
	if r.bookingName == "" {
		return false
	}
	if r.revocations.Has(string(r.bookingIDOnly(k.key))) {
		return true
	}
	legacy := r.bookingLegacyID(k)
	return legacy != "" && r.revocations.Has(string(legacy))
}
