package pipeline

import (
	"context"
	"errors"
	"io"
	"strings"

	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
)

// RowIDs is what EachRowIDs tells of one row of an export: where it is,
// whose it is (a keyed digest, never the key) and the event ids an
// upload makes of it. `hashgate ledger find` answers a patient's access
// request with it: the officer holds the export, and the ledger holds
// only keyed ids, so the ids must be made exactly as the upload makes
// them — by the runner's own orderKey and deriveID, not a copy of them,
// which would drift the day the derivation changes (a composite key's
// time spelling did, twice).
type RowIDs struct {
	// Line is the row's first line in the export.
	Line int
	// Patient is the row's patient key's digest as the ledger remembers
	// withdrawals under it (RememberedDigest); 0: no patient-key column,
	// or a blank cell.
	Patient uint64
	// Order: the row has an order key; without one (missing_order_id)
	// no upload made an event of it, and the ids are empty.
	Order bool
	// ID is the visit's event id; LegacyID the id an older hashgate made
	// of the order id as written, when the key differs ("" otherwise:
	// the ledger's dual lookup honours both, newids.go); BookingID the
	// booking's (conversion.bookings), made whether or not bookings are
	// enabled tonight: they may have been on the night it was sent.
	ID, LegacyID, BookingID eventid.ID
}

// EachRowIDs reads the export of opt (opt.Reader, or opened from
// opt.Input) and gives each its row's RowIDs, in export order, whatever
// the row's consent, status or time says: it is a lookup of what may
// have been sent, not a decision to send. Nothing is written, held or
// remembered; opt.Key is the uploads' secret. A row too large to read
// is given with no order (its cells were not kept). The ids given are
// each's own copies.
func EachRowIDs(ctx context.Context, opt Options, each func(RowIDs) error) error {
	rd := opt.Reader
	if rd == nil {
		var err error
		if rd, err = Open(opt); err != nil {
			return err
		}
	}
	r := newRunner(opt.Config, opt)
	var cells []string
	var text []byte
	for n := 0; ; n++ {
		if n&1023 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		var row export.Row
		var err error
		row, cells, text, err = rd.NextTo(cells[:0], text[:0])
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		ids := RowIDs{Line: row.Line}
		if row.Refused() == nil {
			if r.patients {
				if pk := row.Get(export.PatientKey); pk != "" {
					ids.Patient = RememberedDigest(r.ids, pk)
				}
			}
			r.idtext, r.idsDone, r.bookingDone = r.idtext[:0], false, false
			if k, ok := r.orderKey(row); ok {
				id, legacy := r.eventIDs(k)
				ids.Order = true
				ids.ID, ids.LegacyID = eventid.ID(strings.Clone(string(id))), eventid.ID(strings.Clone(string(legacy)))
				ids.BookingID = eventid.ID(strings.Clone(string(r.bookingIDOnly(k.key))))
			}
		}
		if err := each(ids); err != nil {
			return err
		}
	}
}
