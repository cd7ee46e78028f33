package pipeline

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/spool"
)

// ReasonIdentifierWithdrawn: the row carries an email address or a phone
// number that a patient who withdrew consent gave on their withdrawing
// row, remembered by an earlier upload (PatientRevocations.
// PriorIdentifiers). The withdrawal memory kept the patient key's digest
// alone, and a practice system replaced mid-year numbers its patients
// anew under the same column: the withdrawn patient came back under a new
// chart number with consent yes and was sent (a review; exit 0, nothing
// said). So a row is withdrawn by the identifiers too.
//
// It errs on the side of withdrawing, as consent's default-deny asks: a
// family's one phone or a shared address keeps a relative's visit out as
// well. That is why it is a reason of its own, counted apart from
// consent_revoked_patient: a reader sees how many rows the identifiers
// alone kept out, and `hashgate ledger unrevoke --patients` (the withdrawn
// patient's key) forgets them with the patient.
//
// A dated withdrawal (consent.revoked_allows_earlier) withdraws, by
// identifier, every appointment: the row's appointment time is read after
// this is decided, and the stricter answer is the safe one. A row whose
// patient the memory or the export withdraws already is judged as before,
// by patient; a dated revocation's own row and its earlier visits keep
// their day against the identifiers her own dated withdrawals carried,
// and no other (runner.withdrawnByIdentifier, samenightids.go).
const ReasonIdentifierWithdrawn = "consent_withdrawn_identifier"

// identifierFields are the identifiers a withdrawal is remembered by:
// those that name one person across practice systems. Names, postal codes
// and the like are shared by too many.
var identifierFields = [...]identifier.Field{identifier.Email, identifier.Phone}

// idCol is a column an identifier of identifierFields is read from, and
// how many headers map it.
type idCol struct {
	field   identifier.Field
	col     export.Column
	headers int
}

// withdrawnIDCols are the config's columns of identifierFields.
func withdrawnIDCols(s export.Spec) []idCol {
	var cols []idCol
	for _, f := range identifierFields {
		if c, ok := fieldColumn(f); ok && len(s.Headers[c]) > 0 {
			cols = append(cols, idCol{f, c, len(s.Headers[c])})
		}
	}
	return cols
}

// identifierDigests appends to dst the keyed digests (eventid.Deriver.
// RevokedIdentifier) of the row's emails and phone numbers, each value of
// a cell (identifier.Values) as normalised for hashing, in the form that
// does not depend on the destinations enabled (identifier.Canonical: a
// phone as E.164, an address by the rule that joins the most spellings):
// the same person writes their address and number so in either system. A
// value that does not normalise is left out. Nothing of a value is kept but its
// digest.
func (r *runner) identifierDigests(row export.Row, dst []uint64) []uint64 {
	r.canonical(row)
	for i, n := range r.canon {
		dst = append(dst, r.ids.RevokedIdentifier(r.canonField[i].String(), n))
	}
	return dst
}

// withdrawnByIdentifier reports whether the row carries an identifier the
// ledger remembers as a withdrawn patient's (ReasonIdentifierWithdrawn).
// It costs a row nothing while none is remembered; else its emails' and
// phones' digests and a lookup each. A lookup that fails withdraws the
// row (failClosed: the run stops before anything is sent).
//
// A row whose patient is withdrawn outright is that already. A row of a
// patient with a dated revocation (o.revokesFrom: this row's or the
// ledger's) is exempt from an identifier only its own patient's dated
// withdrawals carried (the ledger's owner of it: revokedIdentifiersQuery),
// and judged by its day (applyVisit); one carried by an undated
// withdrawal or by another patient withdraws it as any row. Every row of
// such a patient was exempt, whoever had withdrawn the identifier: P8,
// revoked from 10-20, sent her 10-10 visit carrying the email P7 had
// withdrawn outright the night before (review).
func (r *runner) withdrawnByIdentifier(row export.Row, o *outcome) bool {
	if r.priorIDs == nil || o.revokes {
		return false
	}
	r.idbuf = r.identifierDigests(row, r.idbuf[:0])
	withdraws := func(owner int64) bool {
		return owner == 0 || o.revokesFrom == 0 || !r.owns(row, uint64(owner))
	}
	for _, d := range r.idbuf {
		owner, ok := failClosed(r.priorIDs.Get(d))
		if ok && withdraws(owner) {
			o.idRemembered = d // the fan-out alarm counts per identifier (fanout.go)
			return true
		}
	}
	// Remembered under the previous secret (prevkey.go).
	if d, ok := r.identifierUnderPrevious(withdraws); ok {
		o.idRemembered = d
		return true
	}
	return false
}

// owns reports whether owner is the ledger's digest of the row's patient
// (RememberedDigest, or LegacyDigest for what older hashgates kept): an
// HMAC, made only for a row of a dated revocation carrying an identifier
// remembered as one patient's alone.
func (r *runner) owns(row export.Row, owner uint64) bool {
	pk := row.Get(export.PatientKey)
	if owner == RememberedDigest(r.ids, pk) {
		return true
	}
	if legacy, differs := LegacyDigest(r.ids, pk); differs && owner == legacy {
		return true
	}
	return r.ownsUnderPrevious(row, owner) // an owner not yet re-keyed (prevkey.go)
}

// rememberIdentifiers keeps in o the digests of the identifiers of a row
// whose patient the ledger is told of (o.revokedKey): remembered with the
// patient, they withdraw a later row that carries them under another key.
func (r *runner) rememberIdentifiers(row export.Row, o *outcome) {
	if o.revokedKey != 0 {
		o.revokedIDs = r.identifierDigests(row, o.revokedIDs[:0])
	}
}

// revokedIDLen is an identifier's record: its digest, the patient's
// digest, the day.
const revokedIDLen = 24

// addIdentifiers records that the identifiers ids were carried by a row
// withdrawing patient digest from day from on.
func (r *Revoking) addIdentifiers(patient uint64, from int64, ids []uint64) error {
	if len(ids) == 0 {
		return nil
	}
	if r.ids == nil {
		r.ids = spool.New("", 0)
	}
	var rec [revokedIDLen]byte
	for _, d := range ids {
		binary.LittleEndian.PutUint64(rec[:], d)
		binary.LittleEndian.PutUint64(rec[8:], patient)
		binary.LittleEndian.PutUint64(rec[16:], uint64(from))
		if err := r.ids.Append(rec[:]); err != nil {
			return err
		}
	}
	return nil
}

// EachIdentifier gives add every identifier record (addIdentifiers), in
// the order the rows came; a patient's identifier may come more than once.
func (r *Revoking) EachIdentifier(add func(digest, patient uint64, from int64) error) error {
	if r == nil || r.ids == nil {
		return nil
	}
	return r.ids.Replay(context.Background(), func(rec []byte) error {
		if len(rec) != revokedIDLen {
			return fmt.Errorf("identifiers to remember: %w", spool.ErrMalformed)
		}
		return add(binary.LittleEndian.Uint64(rec), binary.LittleEndian.Uint64(rec[8:]), int64(binary.LittleEndian.Uint64(rec[16:])))
	})
}
