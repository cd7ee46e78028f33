package run

import (
	"fmt"
	"log/slog"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/report"
)

// noteRevocations says in the summary what consent.revocations_file did
// (report.Revocations: counts only), and warns — in the summary and on
// stderr — when the file looks wrong for the export: it lists no id, or
// it lists ids that matched no order id or event id while no patient-key
// column is mapped, so a patient key listed there can match nothing and
// the patient's visits are sent. With a patient-key column, an id that
// matched nothing is usually a patient whose rows have left a rolling
// export: counted, not warned of every night. rev is nil when no file is
// configured; a run stopped before its export's end warns of nothing
// matched (its rows were not all read).
func noteRevocations(cfg *config.Config, rev *consent.Revocations, sum *report.Summary, log *slog.Logger) {
	if rev == nil {
		return
	}
	f := &report.Revocations{Listed: rev.Len(), Matched: rev.Matched(), RowsWithdrawn: sum.Excluded[consent.ReasonListed]}
	switch unmatched := f.Listed - f.Matched; {
	case f.Listed == 0:
		f.Warnings = append(f.Warnings, "consent.revocations_file lists no id: if withdrawals were recorded, this is not the file they were written to")
	case unmatched > 0 && cfg.Input.Columns.PatientKey == "" && !sum.ReadInterrupted:
		f.Warnings = append(f.Warnings, fmt.Sprintf("consent.revocations_file lists %d id(s) that matched no order id or event id of this export, and input.columns.patient_key is not mapped: a patient key listed there matches nothing, and that patient's visits are sent — map the patient-key column, or list the visits' order ids", unmatched))
	}
	for _, w := range f.Warnings {
		log.Warn(w)
	}
	sum.Revocations = f
}
