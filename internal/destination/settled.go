package destination

import "strings"

// ReasonBeforeFirstUpload holds back, for a destination whose platform
// deduplicates only within a window (platform.Spec.DedupWindow: Meta, 7
// days), the events dated the window's safe age or more before this
// ledger's first delivery there (ledger.Horizon; tonight on a first
// upload), whichever night brings them: this ledger cannot know whether a
// lost one sent them, and a resend after the window counts again.
// `upload --backfill` sends them deliberately. It is settled: later
// nights hold them back too.
const ReasonBeforeFirstUpload = "before_first_upload"

// ReasonUnconfirmedPastWindow records that an upload kept back an event
// left unconfirmed (sent, never answered) longer ago than the platform's
// deduplication window's safe age: the next night that keeps it back
// again knows it said so already, and does not exit 3 for it again. It
// is not settled: a person decides (`upload --resend-unconfirmed`, or
// `ledger confirm` once found at the platform), and it settles no open
// request (ledger.settles).
const ReasonUnconfirmedPastWindow = "unconfirmed_past_dedup_window"

// ReasonTooOld is the hold of an event older than its platform takes,
// as both clients name it (google.ReasonTooOld, meta.ReasonTooOld): the
// sender's pre-flight holds it back, and it only gets older.
const ReasonTooOld = "event_too_old"

// settledReasons are the quarantine reasons that describe the conversion
// itself and that no later run can change without a person editing the
// export: the event is older than the platform's window (it only gets
// older), a Purchase carries no value or a zero one, or its identifiers
// cannot be sent (none, too many, more than one click-id kind, a bad
// currency or transaction id). The clients name them (google.Reason*,
// meta.Reason*); TestSettledCoversTheClients keeps the lists together.
//
// event_in_future is not settled: the clock catches up with it.
var settledReasons = map[string]bool{
	ReasonTooOld:                  true,
	"purchase_without_value":      true,
	"purchase_value_zero":         true,
	"no_identifier":               true,
	"weak_identifiers":            true,
	"too_many_identifiers":        true,
	"more_than_one_click_id_kind": true,
	"invalid_currency":            true,
	"invalid_transaction_id":      true,
	ReasonBeforeFirstUpload:       true,
}

// Settled reports whether a quarantine reason cannot change by itself.
// An event the platform refused on its own after isolation
// (ReasonRejected, with the platform's words after ":") is settled too:
// the platform judged that event, and sending it again gets the same
// answer. A conversion quarantined for a settled reason in an earlier run
// and again tonight is "held back in earlier runs": reported, never a
// reason for a night's exit code (see run's uploadOutcome).
func Settled(reason string) bool {
	return settledReasons[reason] || RejectedByPlatform(reason)
}

// RejectedByPlatform reports whether a quarantine reason is the
// platform's refusal of that one event (ReasonRejected, with the
// platform's words after ":").
func RejectedByPlatform(reason string) bool {
	return reason == ReasonRejected || strings.HasPrefix(reason, ReasonRejected+":")
}
