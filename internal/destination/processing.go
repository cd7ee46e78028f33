package destination

import (
	"errors"
	"time"
)

// Processing is a platform's own verdict on a request it ingested, read
// some time after it took it. Google's 200 on events:ingest means the
// request passed validation; records can still fail afterwards, in
// asynchronous processing, and Google reports that through
// requestStatus:retrieve between about 30 minutes and 24 hours later
// (developers.google.com/data-manager/api/devguides/diagnostics).
type Processing struct {
	// Status is the platform's word, verbatim: PROCESSING, SUCCESS,
	// PARTIAL_SUCCESS, FAILED or REQUEST_STATUS_UNKNOWN at Google.
	Status string
	// Final is true when the platform will not change its verdict.
	Final bool
	// Records is how many records the platform counts in the request, or
	// -1 when it did not say.
	Records int64
	// Errors are records that failed in processing, by reason; Warnings
	// are records that count but with a problem, by reason; Recorded are
	// records the platform already held — a duplicate of a conversion it
	// counted (Google's DUPLICATE_TRANSACTION_ID, DUPLICATE_GCLID) —
	// neither failed nor counted again.
	Errors, Warnings, Recorded []ReasonCount
}

// ReasonCount is how many records of a request share a processing reason.
type ReasonCount struct {
	// Reason is the platform's reason, verbatim (enums grow: an unknown
	// reason is still printed, never dropped).
	Reason string
	// Records is the platform's count; -1 for every record of a request
	// whose size the platform did not say.
	Records int64
	// Indices are the 0-based positions in the request of the records
	// concerned, in the order the request carried them; nil when the
	// platform did not say which (then only the count is known).
	Indices []int
	// Retry is true for an error that a later resend of the same events
	// can overcome (the platform was busy, the account was not ready);
	// false for one that a resend would only repeat (too old, no click).
	Retry bool
}

// ErrNoVerdict means the platform has no status for the request and
// never will: a validate-only request, an unknown or expired request id.
var ErrNoVerdict = errors.New("the platform has no processing status for this request")

// PollSchedule is when a platform asks to be polled for processing
// verdicts: the first read after First, then waits growing by Factor up
// to MaxWait, and no verdict expected after GiveUp; at most
// ReadsPerMinute status reads.
type PollSchedule struct {
	First          time.Duration
	Factor         float64
	MaxWait        time.Duration
	GiveUp         time.Duration
	ReadsPerMinute int
}

// Wait is the pause after the n-th read (n ≥ 1) that found the request
// still processing: First·Factorⁿ, at most MaxWait.
func (s PollSchedule) Wait(n int) time.Duration {
	w := float64(s.First)
	for range n {
		w *= s.Factor
		if w >= float64(s.MaxWait) {
			return s.MaxWait
		}
	}
	return time.Duration(w)
}
