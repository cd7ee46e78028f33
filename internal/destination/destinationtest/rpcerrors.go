package destinationtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
)

// The error bodies of the Data Manager fake, written as Google writes them
// (google.rpc.Status with ErrorInfo, RequestInfo and BadRequest; the
// understand-errors page), and the faults a test injects with them.

// PermissionDenied answers 403 PERMISSION_DENIED: the credential's account
// is not a user of the operating account (google/rpc/code.proto HTTP
// mapping; understand-errors page).
func PermissionDenied(w http.ResponseWriter) {
	rpcError(w, 403, "PERMISSION_DENIED", "The caller does not have permission", "PERMISSION_DENIED", nil, nil)
}

// RPCError writes a google.rpc.Status error body the way Data Manager
// does: ErrorInfo (generic reason = the status, domain
// datamanager.googleapis.com, metadata.requestId), RequestInfo, and a
// BadRequest when there are violations.
func RPCError(w http.ResponseWriter, code int, status, msg string, vs []violation) {
	rpcError(w, code, status, msg, status, nil, vs)
}

var rpcErrorN int

func rpcError(w http.ResponseWriter, code int, status, msg, reason string, metadata map[string]string, vs []violation) {
	rpcErrorIn(w, code, status, msg, reason, "datamanager.googleapis.com", metadata, vs)
}

// rpcErrorIn is rpcError with the ErrorInfo's domain: a Google-wide reason
// (google/api/error_reason.proto) carries "googleapis.com" and its own
// metadata, no requestId (RequestInfo still carries it).
func rpcErrorIn(w http.ResponseWriter, code int, status, msg, reason, domain string, metadata map[string]string, vs []violation) {
	rpcErrors.Lock()
	rpcErrorN++
	reqID := fmt.Sprintf("t-fake-%06d", rpcErrorN)
	rpcErrors.Unlock()
	md := map[string]string{}
	if domain == "datamanager.googleapis.com" {
		md["requestId"] = reqID
	}
	for k, v := range metadata {
		md[k] = v
	}
	details := []any{
		map[string]any{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": reason, "domain": domain, "metadata": md},
		map[string]any{"@type": "type.googleapis.com/google.rpc.RequestInfo", "requestId": reqID},
	}
	if len(vs) > 0 {
		details = append(details, map[string]any{"@type": "type.googleapis.com/google.rpc.BadRequest", "fieldViolations": vs})
	}
	body := map[string]any{"code": code, "message": msg, "status": status, "details": details}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": body})
}

// QuotaExceeded answers 429 RESOURCE_EXHAUSTED for the per-minute quota,
// with Retry-After. "When a request exceeds a limit, the Data Manager API
// returns the quota limit name in the ErrorInfo standard details payload
// under metadata.quota_limit", IngestionMutateRequestsPerMinutePerProject
// (300) for events:ingest (developers.google.com/data-manager/api/
// devguides/limits, "Quota names"; confirmed 2026-12-05). The message text
// and the Retry-After header are the fake's own: no published example
// body (docs/research/contract-notes.md G2.b).
func QuotaExceeded(w http.ResponseWriter, retryAfterSeconds int) {
	quotaExceeded(w, retryAfterSeconds, "Ingestion mutate requests", "IngestionMutateRequestsPerMinutePerProject")
}

// ReadQuotaExceeded answers 429 RESOURCE_EXHAUSTED for the per-minute read
// quota of requestStatus:retrieve, IngestionReadRequestsPerMinutePerProject
// (300; read and mutate counted apart, developers.google.com/data-manager/
// api/devguides/limits, "Quota names"; confirmed 2026-12-05). Message and
// Retry-After are the fake's, as for QuotaExceeded.
func ReadQuotaExceeded(w http.ResponseWriter, retryAfterSeconds int) {
	quotaExceeded(w, retryAfterSeconds, "Ingestion read requests", "IngestionReadRequestsPerMinutePerProject")
}

// DailyQuotaExceeded answers 429 RESOURCE_EXHAUSTED for the per-day quota:
// IngestionMutateRequestsPerDayPerProject, 100,000 IngestionService mutate
// requests per project and day (developers.google.com/data-manager/api/
// devguides/limits, "Quota names"; confirmed 2026-12-05), which the page
// says to tell from the per-minute one by metadata.quota_limit.
func DailyQuotaExceeded(w http.ResponseWriter) {
	quotaExceeded(w, 0, "Ingestion mutate requests per day", "IngestionMutateRequestsPerDayPerProject")
}

// quotaExceeded writes the 429 RESOURCE_EXHAUSTED of the quota named
// limit (ErrorInfo metadata.quota_limit, the limits page), with a
// Retry-After of retryAfterSeconds unless it is 0, and a message naming
// metric (the fake's wording). The ErrorInfo is Google's standard one for
// a rate quota (googleapis google/api/error_reason.proto @ f8291d2b,
// RATE_LIMIT_EXCEEDED): reason RATE_LIMIT_EXCEEDED, domain
// "googleapis.com", metadata consumer, service, quota_metric and
// quota_limit. The quota_metric's name is our reading (the limits page
// names only the limits).
func quotaExceeded(w http.ResponseWriter, retryAfterSeconds int, metric, limit string) {
	if retryAfterSeconds > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(retryAfterSeconds))
	}
	metricID := "datamanager.googleapis.com/" + strings.ReplaceAll(strings.ToLower(strings.TrimSuffix(metric, " per day")), " ", "_")
	rpcErrorIn(w, 429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric '"+metric+"' of service 'datamanager.googleapis.com'.",
		"RATE_LIMIT_EXCEEDED", "googleapis.com", map[string]string{
			"consumer": "projects/123456789", "service": "datamanager.googleapis.com",
			"quota_metric": metricID, "quota_limit": limit,
		}, nil)
}

// RequestLevel answers a 400 whose specific reason is about the request,
// not an event: a field violation under destinations[0] (the DM errors
// page shows such a one on destinations[0].login_account.account_id).
func RequestLevel(w http.ResponseWriter, status, reason, field string) {
	rpcError(w, 400, status, "There was a problem with the request.", "INVALID_ARGUMENT", nil,
		[]violation{{Field: field, Description: "The request was refused.", Reason: reason}})
}

// Unavailable answers 503 UNAVAILABLE.
func Unavailable(w http.ResponseWriter) {
	RPCError(w, 503, "UNAVAILABLE", "The service is currently unavailable.", nil)
}

var rpcErrors sync.Mutex
