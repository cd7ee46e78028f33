package report

import (
	"fmt"
	"strings"
)

// IdentifierFanOut says that the identifier withdrawal rule
// (consent_withdrawn_identifier: a withdrawing row's e-mail or phone keeps
// out every other row carrying it, the same night or remembered) withdrew
// rows of far more other patient keys than a family shares a phone with.
// It is judged per identifier: one e-mail or phone withdrawn tonight that
// withdrew more than max(10, 3 × the patients whose rows withdrew it)
// other patient keys (Tonight), or the identifiers the ledger remembers
// from earlier nights withdrawing more than 10 (RememberedKeys: said, no
// exit 3 — they were alarmed, if ever, the night they were withdrawn; a
// family's remembered phone on its children's charts is no alarm). That is a value no
// patient owns — the clinic's own contact, a placeholder such as
// noemail@clinic.com on every chart — and one withdrawal then kept a
// whole export out with exit 0 and nothing said but a count (a review:
// 40 patients, one revokes, 0 of 40 sent). The rows stay withdrawn
// (default-deny); an upload exits 3 (run.fanOutOutcome) on Tonight's until the value
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
	// Rows withdrawn by an identifier. Tonight: one identifier a
	// withdrawing row of this run carried withdrew PatientKeys other
	// patient keys (the most of any that crossed). RememberedKeys: the
	// other patient keys the ledger's remembered identifiers withdrew,
	// when more than 10.
	Rows           int  `json:"rows_withdrawn"`
	Tonight        bool `json:"withdrawn_tonight,omitempty"`
	PatientKeys    int  `json:"other_patient_keys,omitempty"`
	RememberedKeys int  `json:"remembered_other_patient_keys,omitempty"`
}

// FanOut is embedded in Summary: its key is the summary's own.
type FanOut struct {
	IdentifierFanOut *IdentifierFanOut `json:"identifier_fan_out,omitempty"`
}

// Message is the alarm's one line.
func (f *IdentifierFanOut) Message() string {
	const ask = ": a placeholder or the clinic's own contact? list it under input.not_patient_identifiers"
	if f.Tonight {
		m := fmt.Sprintf("one e-mail or phone of %d withdrawing row(s) of this run (first at %s) withdrew the rows of %d other patient keys (%d rows withdrawn by identifier in all)", f.WithdrawingRows, f.First, f.PatientKeys, f.Rows)
		if f.RememberedKeys > 0 {
			m += fmt.Sprintf(", and identifiers the ledger remembers those of %d", f.RememberedKeys)
		}
		return m + ask
	}
	return fmt.Sprintf("identifiers the ledger remembers from earlier withdrawals withdrew the rows of %d other patient keys (%d rows; no exit 3: judged the night they were withdrawn)%s", f.RememberedKeys, f.Rows, ask)
}

// writeText writes the alarm's line; nothing when f is nil.
func (f *IdentifierFanOut) writeText(b *strings.Builder) {
	if f != nil {
		b.WriteString("  warning: " + f.Message() + "\n")
	}
}
