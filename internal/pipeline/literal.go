package pipeline

import (
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
)

// A hashgate before it read Excel text formulas (up to c55587c) read a
// patient-key cell ="00101" as written, and remembered the withdrawal of
// its patient under that spelling's digest. After the upgrade the cell
// reads 00101 — another digest — and a patient who withdrew on a row
// that has since left the export, whose later rows carry no remembered
// e-mail or phone, was sent again. A row whose patient-key cell is a text
// formula (export.Row.Literal) is looked up under the old spelling too:
// one HMAC more, for such a row the memory holds nothing for otherwise.
// A withdrawal found so is handed to the ledger to re-key under the
// text's digest (PatientRevocations.Unwrapped: ledger.RekeyLiteral), so
// that a plain re-save of the export — no wrapper left to look up —
// still withholds the patient. (The order id's old spelling is
// rowKey.prior's: orderkey.go.)

// LiteralDigests calls each with the digests under which such a hashgate
// remembered the withdrawal of a patient whose key cell was the text
// formula literal (="00101", as export.Row.Literal spells it) —
// RememberedDigest's, then LegacyDigest's when it differs — until each
// returns true; it reports whether one did.
func LiteralDigests(d *eventid.Deriver, literal string, each func(digest uint64) bool) bool {
	if each(RememberedDigest(d, literal)) {
		return true
	}
	legacy, differs := LegacyDigest(d, literal)
	return differs && each(legacy)
}

// priorLiteral looks the row's patient up in the withdrawals remembered
// under its key's text formula as written (LiteralDigests), when the
// cell was one; found, it records the re-key to digest (the text's
// RememberedDigest).
func (r *runner) priorLiteral(row export.Row, digest uint64) (from int64, ok bool) {
	lit, wrapped := row.Literal(export.PatientKey)
	if !wrapped {
		return 0, false
	}
	LiteralDigests(r.ids, lit, func(d uint64) bool {
		if from, ok = failClosed(r.priorRevoked.Get(d)); ok && r.unwrapped != nil && d != digest {
			r.unwrapped.add(rekeyPatient, d, digest)
		}
		return ok
	})
	return from, ok
}
