package pipeline

import (
	"encoding/binary"
	"hash/maphash"
	"slices"

	"github.com/hashgate/hashgate/internal/binfield"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/keyset"
)

// Identifiers withdrawn the same night. A withdrawing row's emails and
// phone numbers withdraw other rows that carry them
// (ReasonIdentifierWithdrawn) — and not from the next night only, once
// the ledger remembers them (priorIDs): a mother withdrew on R2101 while
// R2102, her son's visit under his own patient key carrying her phone and
// address, was uploaded that night with her hashed identifiers (a review
// with real uploads: "consent_revoked 1, consent_revoked_patient 1 … meta:
// 3 of 3", and consent_withdrawn_identifier only the night after). So the
// rule is applied as the patient's is (withdraw.go): each row that
// withdraws its patient tonight (withdrawsTonight) adds its identifiers'
// digests to a bounded set (withdrawals.ids, keyset: flat memory), every
// row past the consent screen keeps its own in its held record
// (outcome.heldIDs), and once the export has been read to its end a held
// row carrying one is consent_withdrawn_identifier — before or after the
// withdrawing row, from a file as from standard input.
//
// The digests are maphashes of identifier.Canonical's form under a seed
// of the process's own (as patientKey's): they are compared within one
// run only, and an HMAC a row (the ledger's RevokedIdentifier) cost about
// a microsecond per identifier on every row of the export.

// identifierSeed keys sameNightDigest, once per process.
var identifierSeed = maphash.MakeSeed()

// sameNightDigest is the in-process digest of the canonical value n of
// field f.
func sameNightDigest(f identifier.Field, n string) uint64 {
	return maphash.String(identifierSeed, n) ^ (uint64(f)+1)*0x9E3779B97F4A7C15
}

// canonRow is the row's emails and phone numbers as identifier.Canonical
// gives them (canon), each one's field, and the line they are of; and the
// values input.not_patient_identifiers lists (notPatientRaw, as the cell
// spells them, and their fields), which idValues leaves out without
// canonicalising them again.
type canonRow struct {
	canon           []string
	canonField      []identifier.Field
	notPatientRaw   []string
	notPatientField []identifier.Field
	canonLine       int
	canonKnown      bool
}

// process decides one row (decideRow), then holds its identifiers'
// digests for the withdrawals of the whole export (holdIdentifiers).
func (r *runner) process(row export.Row, o *outcome) error {
	r.canonKnown = false
	err := r.decideRow(row, o)
	if err == nil {
		r.holdIdentifiers(row, o)
		r.noteSends(o)
	}
	return err
}

// canonical fills r.canon with the row's emails and phone numbers as
// identifier.Canonical gives them, and r.canonField with each one's
// field; once per row (the ledger's rule and the same night's both read
// them).
func (r *runner) canonical(row export.Row) {
	if r.canonKnown && r.canonLine == row.Line {
		return
	}
	r.canonKnown, r.canonLine = true, row.Line
	r.canon, r.canonField = r.canon[:0], r.canonField[:0]
	r.notPatientRaw, r.notPatientField = r.notPatientRaw[:0], r.notPatientField[:0]
	for _, c := range r.idCols {
		for k := range c.headers {
			cell := row.Nth(c.col, k)
			if cell == "" {
				continue
			}
			r.wvals = identifier.Values(c.field, cell, r.wvals[:0])
			for _, v := range r.wvals {
				n, err := identifier.Canonical(c.field, v, r.opt)
				if err != nil || n == "" {
					continue
				}
				if r.notPatient.Has(c.field, n) {
					r.notPatientRaw = append(r.notPatientRaw, v)
					r.notPatientField = append(r.notPatientField, c.field)
					continue
				}
				r.canon = append(r.canon, n)
				r.canonField = append(r.canonField, c.field)
			}
		}
	}
}

// withdrawsTonight: the row itself withdraws its patient — a revoking
// consent cell, the revocations file, a dated revocation — so its
// identifiers withdraw the rows that carry them. Not a row whose patient
// only the ledger remembers: its identifiers are the ones the ledger was
// told of (rememberIdentifiers: the withdrawing rows' alone, priorIDs). A
// re-run answered otherwise: W1's rows 8001 (old-w1@, consent yes) and
// 8002 (w1@, revoked), W2's 8003 (old-w1@): the first upload sent 8003,
// the same export uploaded again (a retry, a second cron run) found W1
// remembered, took old-w1@ from 8001 and withdrew 8003 after it was sent
// (review). What tonight withdraws by identifier is now what the ledger
// keeps from tonight, so a re-run finds the same. A remembered patient's
// row carrying a new phone no longer withdraws another patient's row by
// it: nobody gave that phone on a withdrawing row, and the ledger never
// remembered it, so the night her row left the export sent it anyway.
func (o *outcome) withdrawsTonight() bool {
	return o.selfRevokes || o.listed || o.selfDated
}

// holdIdentifiers keeps in o the same-night digests of the row's emails
// and phones, each once, when the run can withdraw by them (a patient key
// is mapped: only a row that withdraws its patient withdraws its
// identifiers) and the row either withdraws its patient or went past the
// consent screen (a row excluded there is excluded whatever it carries).
func (r *runner) holdIdentifiers(row export.Row, o *outcome) {
	o.heldIDs = o.heldIDs[:0]
	if !r.patients || len(r.idCols) == 0 || o.stage == stagePre && !o.withdrawsTonight() {
		return
	}
	r.canonical(row)
	for i, n := range r.canon {
		if d := sameNightDigest(r.canonField[i], n); !slices.Contains(o.heldIDs, d) {
			o.heldIDs = append(o.heldIDs, d)
		}
	}
}

// noteIdentifiers adds a withdrawing row's digests to the sets: an
// undated withdrawal's (a revoking cell, the revocations file) to ids,
// which withdraws every other row carrying one; a dated one's
// (revoked_allows_earlier: the row's own cell) to datedLo and datedHi, with
// the patient. A dated revocation's own earlier visits carry the
// identifiers its revoking row does, and are hers to send before the day;
// nobody else's are: exempting every row of a patient with a dated
// revocation let P8 (revoked from 10-20) send her 10-10 visit carrying
// the email P7 had withdrawn outright that night (review). The row (on
// line) is counted for the fan-out alarm too (fanout.go).
func (w *withdrawals) noteIdentifiers(o *outcome, line int) error {
	if !o.withdrawsTonight() || len(o.heldIDs) == 0 {
		return nil
	}
	if err := w.fan.withdrawing(o, line); err != nil {
		return err
	}
	w.any = true
	if o.selfRevokes || o.listed {
		if w.ids == nil {
			w.ids = keyset.New("", keyset.Sizes{})
		}
		for _, d := range o.heldIDs {
			if _, err := w.ids.Seen(d, true); err != nil {
				return err
			}
		}
		return nil
	}
	if w.datedLo == nil {
		w.datedLo, w.datedHi = keyset.NewMins("", keyset.Sizes{}), keyset.NewMins("", keyset.Sizes{})
	}
	// The least and the greatest patient (int64 order) each digest was
	// carried for: ^x reverses int64 order, so datedHi's least is ^ the
	// greatest. They are equal only when one patient alone carried it.
	for _, d := range o.heldIDs {
		if err := w.datedLo.Note(d, int64(o.patient)); err != nil {
			return err
		}
		if err := w.datedHi.Note(d, ^int64(o.patient)); err != nil {
			return err
		}
	}
	return nil
}

// withdrawnByIdentifier reports whether a held row carries an identifier
// a withdrawing row of the export carried. An identifier that only its
// own patient's dated revocation carried withdraws nothing: her row is
// judged by its day (applyVisit, before this), as the ledger's rule
// leaves it (runner.withdrawnByIdentifier) — the revoking row and the
// earlier visits carry the same identifiers. Any other withdraws the row:
// an undated withdrawal's, or one another patient's dated revocation
// carried, whatever the row's own patient revoked.
//
// It notes in o which digest withdrew the row (idTonight; a digest of 0,
// one in 2⁶⁴, goes uncounted), for the fan-out alarm's count per
// identifier (fanout.go).
func (w *withdrawals) withdrawnByIdentifier(o *outcome) (bool, error) {
	o.idTonight = 0
	for _, d := range o.heldIDs {
		if w.ids != nil {
			has, err := w.ids.Has(d)
			if err != nil || has {
				o.idTonight = d
				return true, err
			}
		}
		if w.datedLo == nil {
			continue
		}
		lo, ok, err := w.datedLo.Get(d)
		if err != nil {
			return true, err
		}
		if !ok {
			continue
		}
		hi, _, err := w.datedHi.Get(d)
		if err != nil {
			return true, err
		}
		if !o.hasPatient || lo != ^hi || uint64(lo) != o.patient {
			o.idTonight = d
			return true, nil
		}
	}
	return false, nil
}

// recIDs: the record holds the row's same-night identifier digests
// (outcome.heldIDs), after its event ids' prefixes.
const recIDs = 1 << 6

// recFlags is a held record's flags byte (encode, encodePlain).
func recFlags(o *outcome) byte {
	var flags byte
	for _, f := range [...]struct {
		on  bool
		bit byte
	}{{o.late, recLate}, {o.dated, recDated}, {o.dateInvalid, recDateInvalid}, {o.dateSwapped, recDateSwapped}, {o.hasPatient, recHasPatient}, {o.gone != 0, recGone}, {len(o.heldIDs) > 0, recIDs}, {o.noAge, recNoAge}} {
		if f.on {
			flags |= f.bit
		}
	}
	return flags
}

// appendHeldIDs writes o's digests when it has any: a count, then each.
func appendHeldIDs(b []byte, o *outcome) []byte {
	if len(o.heldIDs) == 0 {
		return b
	}
	b = binary.AppendUvarint(b, uint64(len(o.heldIDs)))
	for _, d := range o.heldIDs {
		b = binary.LittleEndian.AppendUint64(b, d)
	}
	return b
}

// readHeldIDs reads what appendHeldIDs wrote into o (flags: the
// record's); a record cut short marks d bad.
func readHeldIDs(d *binfield.Reader, flags byte, o *outcome) {
	o.heldIDs = o.heldIDs[:0]
	if flags&recIDs == 0 {
		return
	}
	n := d.Uvarint()
	if n == 0 || n > uint64(len(d.B))/8 {
		d.Bad = true
		return
	}
	for range n {
		o.heldIDs = append(o.heldIDs, d.Uint64())
	}
}

// appendRemembered writes, for a row the ledger's identifiers withdrew
// (its reason ReasonIdentifierWithdrawn when it is held: the same
// night's rule decides only as rows settle), the digest that withdrew it
// (outcome.idRemembered), so the fan-out alarm judges each remembered
// identifier on its own (fanout.go). No flag: the reason, read first,
// says it is there; 8 bytes on those rows alone.
func appendRemembered(b []byte, o *outcome) []byte {
	if o.reason != ReasonIdentifierWithdrawn {
		return b
	}
	return binary.LittleEndian.AppendUint64(b, o.idRemembered)
}

// readRemembered reads what appendRemembered wrote into o, after the
// record's reason; a record cut short marks d bad.
func readRemembered(d *binfield.Reader, o *outcome) {
	o.idRemembered = 0
	if o.reason == ReasonIdentifierWithdrawn {
		o.idRemembered = d.Uint64()
	}
}
