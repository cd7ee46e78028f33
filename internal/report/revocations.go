package report

import (
	"fmt"
	"strings"
)

// Revocations is what consent.revocations_file did in a run, in counts
// only: how many distinct ids it lists, how many of them matched a row of
// the export (an order id, a patient key, an event id), and how many rows
// it withdrew (consent_revoked_list: the listed rows and their patients'
// other rows). A run said nothing of the file, so an id that matched
// nothing — a file saved with classic-Mac line ends read as one id — went
// unseen while its patient's visits were sent (review). Warnings say what
// looks wrong with the file or its fit to the export: an empty file, or
// ids that match no order while no patient-key column is mapped.
type Revocations struct {
	Listed        int      `json:"ids_listed"`
	Matched       int      `json:"ids_matched"`
	RowsWithdrawn int      `json:"rows_withdrawn"`
	Warnings      []string `json:"warnings,omitempty"`
}

// writeText appends the revocations file's lines of the summary.
func (r *Revocations) writeText(b *strings.Builder) {
	if r == nil {
		return
	}
	fmt.Fprintf(b, "  revocations file: %d id(s) listed, %d matched a row of this export; %d row(s) withdrawn (consent_revoked_list)\n",
		r.Listed, r.Matched, r.RowsWithdrawn)
	for _, w := range r.Warnings {
		fmt.Fprintf(b, "    warning: %s\n", w)
	}
}
