package destinationtest

import (
	"net/http"
	"time"
)

// The DataManager fake's answers to injected faults (Fake), split from
// datamanager.go when it passed depcheck's 600 lines.

// Throttle implements Fake: 429 RESOURCE_EXHAUSTED, the per-minute quota
// answer (DM-LIM: "Requests that exceed the limits are rejected with the
// error RESOURCE_EXHAUSTED and HTTP status 429"). Its Retry-After of 30 s
// is the fake's own: Google's limits page names no Retry-After header.
func (d *DataManager) Throttle(w http.ResponseWriter) time.Duration {
	QuotaExceeded(w, 30)
	return 30 * time.Second
}

// Unavailable implements Fake: 503 UNAVAILABLE.
func (d *DataManager) Unavailable(w http.ResponseWriter) { Unavailable(w) }

// afterIngest holds the DataManager's "ingested, then" mode.
type afterIngest struct {
	// ProcessedThen, when set, may answer request n itself after its
	// events were ingested (it returns true when it did): the answer is
	// lost or is an error — DeadlineExceeded, Internal, a gateway's 504
	// (GatewayTimeout) — while Google holds the events.
	// google/rpc/code.proto: DEADLINE_EXCEEDED "may be returned even if
	// the operation has completed successfully. For example, a successful
	// response from a server could have been delayed long enough for the
	// deadline to expire"; INTERNAL, "some invariants expected by the
	// underlying system have been broken", says nothing either way.
	ProcessedThen func(n int, w http.ResponseWriter) bool
}

// answerIngested writes the success answer of request n, unless
// ProcessedThen answered it.
func (a *afterIngest) answerIngested(w http.ResponseWriter, n int, ok map[string]any) {
	if a.ProcessedThen != nil && a.ProcessedThen(n, w) {
		return
	}
	writeJSON(w, ok)
}

// DeadlineExceeded answers 504 DEADLINE_EXCEEDED (google/rpc/code.proto
// HTTP mapping: 504 Gateway Timeout). The message is the fake's.
func DeadlineExceeded(w http.ResponseWriter) {
	RPCError(w, 504, "DEADLINE_EXCEEDED", "The request deadline was exceeded.", nil)
}

// Internal answers 500 INTERNAL (google/rpc/code.proto HTTP mapping: 500
// Internal Server Error; "Internal errors. This means that some
// invariants expected by the underlying system have been broken"). The
// message is the fake's.
func Internal(w http.ResponseWriter) {
	RPCError(w, 500, "INTERNAL", "Internal error encountered.", nil)
}

// Aborted answers 409 ABORTED (google/rpc/code.proto HTTP mapping: 409
// Conflict): "The operation was aborted, typically due to a concurrency
// issue such as a sequencer check failure or transaction abort", which
// the client "should retry at a higher level" — it says nothing of the
// data, and nothing of whether the request took effect. Data Manager
// lists ABORTED among the transient server errors to retry (the
// understand-errors page, "Best practices"). The message is the fake's.
func Aborted(w http.ResponseWriter) {
	RPCError(w, 409, "ABORTED", "The operation was aborted.", nil)
}

var _ Fake = (*DataManager)(nil)

// warningTexts are the meanings Google's reference gives the warning
// reasons hashgate's tests use (developers.google.com/data-manager/api/
// reference/rest/v1/FieldWarning, enum WarningReason; confirmed
// 2026-12-05; the stored copy of the page is cut after
// WARNING_REASON_INVALID_MERCHANT_ID, so later reasons such as
// WARNING_REASON_INVALID_SHA256_FORMAT get the generic meaning). What a
// live description says is not published: the fake says the documented
// meaning, which names a field, never a value.
var warningTexts = map[string]string{
	"WARNING_REASON_CUSTOM_VARIABLE_NOT_ENABLED": "A custom variable in customVariables is not enabled in the account.",
	"WARNING_REASON_GENERIC":                     "Generic warning reason for issues that do not fit into other specific categories.",
	"WARNING_REASON_INVALID_CLIENT_ID":           "The clientId is invalid.",
	"WARNING_REASON_INVALID_REGION_CODE":         "The regionCode is invalid.",
}

// warningText is a warning's description: the reason's documented
// meaning, or, for a reason not listed, the generic one.
func warningText(reason string) string {
	if t, ok := warningTexts[reason]; ok {
		return t
	}
	return warningTexts["WARNING_REASON_GENERIC"]
}
