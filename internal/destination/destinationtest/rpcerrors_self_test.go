package destinationtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestQuotaAnswersCarryGoogleStandardErrorInfo: a 429 of the Data
// Manager fake carries the ErrorInfo Google's APIs give a rate quota
// (googleapis google/api/error_reason.proto, RATE_LIMIT_EXCEEDED: reason
// RATE_LIMIT_EXCEEDED, domain googleapis.com, metadata quota_metric and
// quota_limit), the quota_limit naming the limit of the limits page (G7).
func TestQuotaAnswersCarryGoogleStandardErrorInfo(t *testing.T) {
	for _, c := range []struct {
		name  string
		write func(http.ResponseWriter)
		limit string
	}{
		{"per minute", func(w http.ResponseWriter) { QuotaExceeded(w, 5) }, "IngestionMutateRequestsPerMinutePerProject"},
		{"read per minute", func(w http.ResponseWriter) { ReadQuotaExceeded(w, 5) }, "IngestionReadRequestsPerMinutePerProject"},
		{"per day", DailyQuotaExceeded, "IngestionMutateRequestsPerDayPerProject"},
	} {
		rec := httptest.NewRecorder()
		c.write(rec)
		var body struct {
			Error struct {
				Code    int    `json:"code"`
				Status  string `json:"status"`
				Details []struct {
					Type     string            `json:"@type"`
					Reason   string            `json:"reason"`
					Domain   string            `json:"domain"`
					Metadata map[string]string `json:"metadata"`
				} `json:"details"`
			} `json:"error"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if rec.Code != 429 || body.Error.Code != 429 || body.Error.Status != "RESOURCE_EXHAUSTED" {
			t.Errorf("%s: HTTP %d, %+v", c.name, rec.Code, body.Error)
		}
		found := false
		for _, d := range body.Error.Details {
			if d.Type != "type.googleapis.com/google.rpc.ErrorInfo" {
				continue
			}
			found = true
			if d.Reason != "RATE_LIMIT_EXCEEDED" || d.Domain != "googleapis.com" || d.Metadata["quota_limit"] != c.limit || d.Metadata["quota_metric"] == "" {
				t.Errorf("%s: ErrorInfo %+v", c.name, d)
			}
		}
		if !found {
			t.Errorf("%s: no ErrorInfo", c.name)
		}
	}
}
