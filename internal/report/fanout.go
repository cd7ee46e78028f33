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
// other patient keys (Tonight), or one the ledger remembers from earlier
// nights that withdrew, tonight, more than max(10, 3 × the patients the
// ledger remembers it for) (RememberedKeys; a family's remembered phone
// on its children's charts stays below). That is a value no patient owns
// — the clinic's own contact, a placeholder such as noemail@clinic.com
// on every chart — and one withdrawal then kept a whole export out with
// exit 0 and nothing said but a count (a review: 40 patients, one
// revokes, 0 of 40 sent). The rows stay withdrawn (default-deny); an
// upload and `write` exit 3 on either (run.fanOutOutcome) until the value
// is listed under input.not_patient_identifiers; `check` says it. The
// remembered ones were counted together and said only: a placeholder
// beside many small families looked like them, and a re-run of the
// withdrawal night's export exited 0 where the first run exited 3.
// Counts and a file:line only: never a value.
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
	// patient keys (the most of any that crossed). RememberedKeys: one
	// identifier the ledger remembers withdrew that many (the most of
	// any that crossed); 0 when none crossed.
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
			m += fmt.Sprintf(", and one the ledger remembers from an earlier withdrawal those of %d", f.RememberedKeys)
		}
		return m + ask
	}
	return fmt.Sprintf("one e-mail or phone the ledger remembers from an earlier withdrawal withdrew the rows of %d other patient keys (%d rows withdrawn by identifier in all)%s", f.RememberedKeys, f.Rows, ask)
}

// Exits says whether the alarm sets exit 3 (run.fanOutOutcome): one
// identifier crossed, tonight's or a remembered one.
func (f *IdentifierFanOut) Exits() bool {
	return f != nil && (f.Tonight || f.RememberedKeys > 0)
}

// writeText writes the alarm's line; nothing when f is nil.
func (f *IdentifierFanOut) writeText(b *strings.Builder) {
	if f != nil {
		b.WriteString("  warning: " + f.Message() + "\n")
	}
}
