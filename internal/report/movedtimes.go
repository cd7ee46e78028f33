package report

import (
	"fmt"
	"strings"
)

// KnownAtOtherTimes counts conversions the destination accepted before
// that come back at another event time than they were accepted with:
// Moved of Compared (those whose sent time the ledger recorded, among the
// first 10,000 the moved-times check reads). They are not sent again
// under the event id they share — skipped, or restated with the time
// sent — so a rescheduled visit stays dated as it was sent, and a
// colliding visit of another export sharing the ledger is never sent:
// below the stop's threshold (5, and more than half) they went unsaid (a
// review of a chain of clinics). A run the check stops counts none (the
// stop says them); a rolling export counts a rescheduled visit each night
// it holds it. Never the exit code.
type KnownAtOtherTimes struct {
	Moved    int `json:"ingested_at_another_time,omitempty"`
	Compared int `json:"ingested_times_compared,omitempty"`
}

// timeLines says u's counts of event times: those ingested before at
// another time, and the sent times kept or not recorded for a resend.
func timeLines(b *strings.Builder, u Upload) {
	if u.Moved > 0 {
		fmt.Fprintf(b, "    %d of the %d ingested before that were compared come back at another event time than they were ingested with: not sent again under their event id (a rescheduled visit stays dated as sent; another export's visits sharing this ledger, or a new clinic system's numbering its appointments from 1 again, would never be: give another export its own ledger.path; for a new system keep this ledger and secret and make input.columns.order_id composite with the appointment time, as a new ledger would send migrated history again; README \"Known ids at other times\")\n", u.Moved, u.Compared)
	}
	if u.KeptSentTime > 0 {
		fmt.Fprintf(b, "    %d sent before and possibly delivered, now dated otherwise by the export: kept the time they were sent with, which the platform deduplicates a resend on\n", u.KeptSentTime)
	}
	if u.SentTimeNotRecorded > 0 {
		fmt.Fprintf(b, "    %d sent before the ledger recorded sent times (schema 12) and possibly delivered: dated as the export dates them tonight; if that changed since, the platform may count them twice\n", u.SentTimeNotRecorded)
	}
}
