package pipeline

import (
	"context"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/hashgate/hashgate/internal/celltext"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
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
	// PatientExact is the digest of the key as written (ExactDigest): an
	// access request lists a row as a patient's only when it matches,
	// for the fold that withdraws fail-closed joins keys the clinic
	// system may hold apart. 0 when Patient is.
	PatientExact uint64
	// Order: the row has an order key; without one (missing_order_id)
	// no upload made an event of it, and the ids are empty.
	Order bool
	// ID is the visit's event id; LegacyID the id an older hashgate made
	// of the order id as written, when the key differs ("" otherwise:
	// the ledger's dual lookup honours both, newids.go); BookingID the
	// booking's (conversion.bookings), made whether or not bookings are
	// enabled tonight: they may have been on the night it was sent;
	// BookingLegacyID the booking's id an older hashgate made of the order
	// id as written, when the key differs (bookingLegacyID): a booking
	// sent before ledger schema 16 under a full-width or zero-width
	// spelling is in the ledger under it.
	ID, LegacyID, BookingID, BookingLegacyID eventid.ID

	// r and row make Identifiers; valid during the call given them.
	r   *runner
	row export.Row
}

// RowIdentifier is the keyed digest of an email address or a phone number
// a row carries, as the upload remembers and looks up a withdrawn
// patient's (identifierDigests): never the identifier.
type RowIdentifier struct {
	Field  identifier.Field // identifier.Email or identifier.Phone
	Digest uint64
}

// Identifiers appends to dst the digests of the row's email addresses and
// phone numbers, made exactly as the upload makes them
// (identifierDigests: identifier.Canonical, keyed with the secret). Only
// during the call of EachRowIDs's each that was given ids: the row's
// cells are reused after it. They are made only when asked for: an
// access request wants them of the patient's rows alone.
func (ids RowIDs) Identifiers(dst []RowIdentifier) []RowIdentifier {
	if ids.r == nil {
		return dst
	}
	before := len(ids.r.idbuf)
	ids.r.idbuf = ids.r.identifierDigests(ids.row, ids.r.idbuf)
	for i, d := range ids.r.idbuf[before:] {
		dst = append(dst, RowIdentifier{ids.r.canonField[i], d})
	}
	ids.r.idbuf = ids.r.idbuf[:before]
	return dst
}

// ExactDigest is the keyed digest of a patient key as written: trimmed of
// invisible characters at its edges (celltext.Trim, as every cell is
// read) and full-width ASCII forms (U+FF01–U+FF5E: Ａ１２３) written as
// ASCII, nothing else — case and leading zeros kept. RememberedDigest
// folds both, which is right for a withdrawal (a patient who revoked as
// A007001 stays out written a007001), but an access request answered by
// it could hand one patient another's rows: a clinic system may number
// 0123 and 123, or ab1 and AB1, as two patients. Width is folded: it is
// how a key was typed (an input method left in full-width mode), not a
// number a clinic system gives — none tells Ａ１２３ from A123 as two
// patients, and systems that store what was typed would otherwise hide
// the patient's own rows. NFKC is not used: it folds more than width
// (① is 1, ² is 2), and those a system may hold apart. The digest is
// compared in the process only, never kept.
func ExactDigest(d *eventid.Deriver, patientKey string) uint64 {
	return d.RevokedPatient(exactKey(patientKey))
}

// exactKey is ExactDigest's form of a key.
func exactKey(k string) string {
	k = celltext.Trim(k)
	for i := 0; i < len(k); i++ {
		if k[i] >= utf8.RuneSelf {
			return strings.Map(func(r rune) rune {
				if 0xFF01 <= r && r <= 0xFF5E {
					return r - 0xFF01 + '!'
				}
				return r
			}, k)
		}
	}
	return k
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
	r.idCols = withdrawnIDCols(Spec(opt.Config))
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
			ids.r, ids.row = r, row
			if r.patients {
				if pk := row.Get(export.PatientKey); pk != "" {
					ids.Patient = RememberedDigest(r.ids, pk)
					ids.PatientExact = ExactDigest(r.ids, pk)
				}
			}
			r.idtext, r.idsDone, r.bookingDone = r.idtext[:0], false, false
			r.canonKnown = false // runner.canonical: line numbers repeat across exports
			if k, ok := r.orderKey(row); ok {
				id, legacy := r.eventIDs(k)
				ids.Order = true
				ids.ID, ids.LegacyID = eventid.ID(strings.Clone(string(id))), eventid.ID(strings.Clone(string(legacy)))
				ids.BookingID = eventid.ID(strings.Clone(string(r.bookingIDOnly(k.key))))
				ids.BookingLegacyID = eventid.ID(strings.Clone(string(r.bookingLegacyID(k))))
			}
		}
		if err := each(ids); err != nil {
			return err
		}
	}
}
