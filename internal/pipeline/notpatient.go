package pipeline

import "github.com/hashgate/hashgate/internal/identifier"

// idValues is identifier.Values less the e-mails and phones that
// input.not_patient_identifiers lists (config.NotPatient): the clinic's own
// contact or a placeholder on many charts names no patient, so it is
// never hashed nor sent as one (each left out is noted in sum,
// NoteNotPatientIdentifier). The withdrawal rules leave them out where
// they canonicalise a row's values (runner.canonical, which find's RowIDs.Identifiers reads too). A
// run that lists none pays nothing.
func (r *runner) idValues(f identifier.Field, cell string, dst []string, sum *tally) []string {
	at := len(dst)
	dst = identifier.Values(f, cell, dst)
	if r.notPatient.Len() == 0 || f != identifier.Email && f != identifier.Phone {
		return dst
	}
	kept := dst[:at]
	for _, v := range dst[at:] {
		if n, err := identifier.Canonical(f, v, r.opt); err == nil && r.notPatient.Has(f, n) {
			sum.note(NoteNotPatientIdentifier)
			continue
		}
		kept = append(kept, v)
	}
	return kept
}
