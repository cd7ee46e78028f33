package report

import (
	"fmt"
	"strings"
)

// IdentifierFanOut says that the identifier withdrawal rule
// (consent_withdrawn_identifier: a withdrawing row's e-mail or phone keeps
// out every other row carrying it, the same night or remembered) withdrew
// rows of far more other patient keys than a family shares a phone with:
// more than max(5, 3 × the withdrawing patients). That is a value no
// patient owns — the clinic's own contact, a placeholder such as
// noemail@clinic.com on every chart — and one withdrawal then kept a
// whole export out with exit 0 and nothing said but a count (a review:
// 40 patients, one revokes, 0 of 40 sent). The rows stay withdrawn
// (default-deny); an upload exits 3 (run.fanOutOutcome) until the value
// is listed under input.not_patient_identifiers. Counts and a file:line
// only: never a value.
type IdentifierFanOut struct {
	// WithdrawingRows counts this run's rows that withdrew their patient
	// carrying an e-mail or phone; First is the first's file:line.
	WithdrawingRows int    `json:"withdrawing_rows"`
	First           string `json:"first_withdrawing_row,omitempty"`
	// Remembered: the ledger remembered identifiers of earlier
	// withdrawals too, which withdraw by the same rule.
	Remembered bool `json:"remembered_identifiers,omitempty"`
	// Rows withdrawn by an identifier, of PatientKeys distinct other
	// patient keys.
	Rows        int `json:"rows_withdrawn"`
	PatientKeys int `json:"other_patient_keys"`
}

// FanOut is embedded in Summary: its key is the summary's own.
type FanOut struct {
	IdentifierFanOut *IdentifierFanOut `json:"identifier_fan_out,omitempty"`
}

// Message is the alarm's one line.
func (f *IdentifierFanOut) Message() string {
	var by string
	switch {
	case f.WithdrawingRows > 0:
		by = fmt.Sprintf("%d withdrawing row(s) (first at %s)", f.WithdrawingRows, f.First)
		if f.Remembered {
			by += " or of a withdrawal the ledger remembers"
		}
	default:
		by = "a withdrawal the ledger remembers"
	}
	return fmt.Sprintf("an e-mail or phone of %s withdrew %d rows of %d other patient keys: a placeholder or the clinic's own contact? list it under input.not_patient_identifiers", by, f.Rows, f.PatientKeys)
}

// writeText writes the alarm's line; nothing when f is nil.
func (f *IdentifierFanOut) writeText(b *strings.Builder) {
	if f != nil {
		b.WriteString("  warning: " + f.Message() + "\n")
	}
}
