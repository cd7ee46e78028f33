package pipeline

import (
	"slices"

	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
)

// idValues is identifier.Values less the e-mails and phones that
// input.not_patient_identifiers lists (config.NotPatient.Listed): the
// clinic's own contact or a placeholder on many charts names no patient,
// so it is never hashed nor sent as one. A row that carries any is noted
// once in sum (NoteNotPatientIdentifier), however many of its values are
// listed: notes count rows, and a row with its e-mail and its phone
// listed counted twice (a review, 2026-12-07). The withdrawal rules leave
// them out where they canonicalise a row's values (runner.canonical,
// which find's RowIDs.Identifiers reads too). A run that lists none pays
// nothing.
//
// When the withdrawal rules canonicalise the row anyway (sharesCanon: a
// patient key mapped, or identifiers the ledger remembers), the listed
// values are the ones runner.canonical found of the row: each value was
// canonicalised twice, here and there (docs/performance.md, session 26).
// TestNotPatientOnceIsTwice holds the two ways to the same values.
func (r *runner) idValues(row export.Row, f identifier.Field, cell string, dst []string, sum *tally) []string {
	at := len(dst)
	dst = identifier.Values(f, cell, dst)
	if r.notPatient.Len() == 0 {
		return dst
	}
	shared := r.sharesCanon() && (f == identifier.Email || f == identifier.Phone)
	if shared {
		r.canonical(row) // once a row: the withdrawal rules read it too
	}
	kept := dst[:at]
	for _, v := range dst[at:] {
		if shared && r.listedNotPatient(f, v) || !shared && r.notPatient.Listed(f, v, r.opt) {
			if !slices.Contains(sum.notes, NoteNotPatientIdentifier) {
				sum.note(NoteNotPatientIdentifier)
			}
			continue
		}
		kept = append(kept, v)
	}
	return kept
}

// sharesCanon reports whether the withdrawal rules canonicalise every row
// that reaches its identifiers (holdIdentifiers, withdrawnByIdentifier),
// so that idValues may read the listed values from runner.canonical.
func (r *runner) sharesCanon() bool { return r.patients || r.priorIDs != nil }

// listedNotPatient is config.NotPatient.Listed read from what
// runner.canonical found of the row; a value of a field it does not read
// is canonicalised here.
func (r *runner) listedNotPatient(f identifier.Field, v string) bool {
	for i, raw := range r.notPatientRaw {
		if raw == v && r.notPatientField[i] == f {
			return true
		}
	}
	if r.coversField(f) {
		return false
	}
	return r.notPatient.Listed(f, v, r.opt)
}

// coversField reports whether runner.canonical reads field f's column.
func (r *runner) coversField(f identifier.Field) bool {
	for _, c := range r.idCols {
		if c.field == f {
			return true
		}
	}
	return false
}
