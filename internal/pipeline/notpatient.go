package pipeline

import (
	"slices"

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
func (r *runner) idValues(f identifier.Field, cell string, dst []string, sum *tally) []string {
	at := len(dst)
	dst = identifier.Values(f, cell, dst)
	if r.notPatient.Len() == 0 {
		return dst
	}
	kept := dst[:at]
	for _, v := range dst[at:] {
		if r.notPatient.Listed(f, v, r.opt) {
			if !slices.Contains(sum.notes, NoteNotPatientIdentifier) {
				sum.note(NoteNotPatientIdentifier)
			}
			continue
		}
		kept = append(kept, v)
	}
	return kept
}
