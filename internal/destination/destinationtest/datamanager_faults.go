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
