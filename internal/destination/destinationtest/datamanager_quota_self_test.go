package destinationtest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// quotaProbe sends the fake one events:ingest (or, read, one
// requestStatus:retrieve) straight to its handler and returns the HTTP
// status and the ErrorInfo's quota_limit. The body need not be valid: a
// project's quota counts the requests it makes, whatever their answer.
func quotaProbe(t *testing.T, d *DataManager, read bool) (int, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/v1/events:ingest", strings.NewReader("{}"))
	if read {
		req = httptest.NewRequest(http.MethodGet, "/v1/requestStatus:retrieve?requestId=unknown", nil)
	}
	req.Header.Set("Authorization", "Bearer tok")
	w := httptest.NewRecorder()
	d.ServeHTTP(w, req)
	var body struct {
		Error struct {
			Details []struct {
				Metadata map[string]string `json:"metadata"`
			} `json:"details"`
		} `json:"error"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &body)
	for _, det := range body.Error.Details {
		if l := det.Metadata["quota_limit"]; l != "" {
			return w.Code, l
		}
	}
	return w.Code, ""
}

// TestDataManagerFakeWriteQuotaPerMinute: events:ingest has the mutate
// quota, 300 requests a minute per project
// (IngestionMutateRequestsPerMinutePerProject; developers.google.com/
// data-manager/api/devguides/limits, "Project limits" and "Quota
// names"): the 301st request within a minute is 429 RESOURCE_EXHAUSTED
// naming that quota in ErrorInfo.metadata.quota_limit ("Requests that
// exceed the limits are rejected with the error RESOURCE_EXHAUSTED and
// HTTP status 429"), whatever its body; a minute after the first, one
// more goes through. Reads are counted apart ("separated by service and
// operation type (read versus mutate)"): 300 status reads in the same
// minute refuse no write.
func TestDataManagerFakeWriteQuotaPerMinute(t *testing.T) {
	clk := selfNow
	d := &DataManager{Token: "tok", Now: func() time.Time { return clk }}
	d.Start(t)
	for i := range 300 {
		if code, _ := quotaProbe(t, d, true); code == 429 {
			t.Fatalf("read %d refused inside the read quota", i+1)
		}
	}
	for i := range 300 {
		if code, limit := quotaProbe(t, d, false); code == 429 {
			t.Fatalf("write %d refused inside the quota (%s)", i+1, limit)
		}
		clk = clk.Add(100 * time.Millisecond)
	}
	if code, limit := quotaProbe(t, d, false); code != 429 || limit != "IngestionMutateRequestsPerMinutePerProject" {
		t.Fatalf("write 301 within a minute: %d %q, want 429 naming the per-minute mutate quota", code, limit)
	}
	clk = selfNow.Add(time.Minute)
	if code, limit := quotaProbe(t, d, false); code == 429 {
		t.Fatalf("a minute after the first write, one more is still refused (%s)", limit)
	}
}

// TestDataManagerFakeWriteQuotaPerDay: events:ingest has a daily mutate
// quota, 100,000 requests per project
// (IngestionMutateRequestsPerDayPerProject; the limits page, "Project
// limits" and "Quota names"): the 100,001st within a day is 429
// RESOURCE_EXHAUSTED naming that quota — the answer hashgate stops Google
// on until the next run (docs/contract.md G7). When Google's day starts
// is not published for Data Manager; the fake counts any 24 hours, the
// stricter reading. The writes here are paced inside the per-minute
// quota (one each 0.6 s), so only the daily one can refuse.
func TestDataManagerFakeWriteQuotaPerDay(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 requests")
	}
	clk := selfNow
	d := &DataManager{Token: "tok", Now: func() time.Time { return clk }}
	d.Lean = true
	d.Start(t)
	for i := range 100_000 {
		if code, limit := quotaProbe(t, d, false); code == 429 {
			t.Fatalf("write %d refused inside the daily quota (%s)", i+1, limit)
		}
		clk = clk.Add(600 * time.Millisecond)
	}
	if code, limit := quotaProbe(t, d, false); code != 429 || limit != "IngestionMutateRequestsPerDayPerProject" {
		t.Fatalf("write 100,001 within a day: %d %q, want 429 naming the daily mutate quota", code, limit)
	}
	clk = selfNow.Add(24 * time.Hour)
	if code, limit := quotaProbe(t, d, false); code == 429 {
		t.Fatalf("a day after the first write, one more is still refused (%s)", limit)
	}
}

// TestHashgatePacesWithinTheWriteQuota: hashgate's own pacing
// (destination.NewPacer) at the highest requests_per_minute config
// allows for Google (300, the quota itself), its requests reaching the
// fake up to 0.9 s late — a network's or a busy machine's delay, in the
// order that crowds a minute most (every other request late) — never
// trips the per-minute mutate quota: the 301st request after one must
// leave more than a minute after it, or a first one delayed on the way
// and a last one not put 301 in one minute. Requests wait for the pacer
// as the Sender's workers do (all asking at once), on a simulated clock.
func TestHashgatePacesWithinTheWriteQuota(t *testing.T) {
	var at time.Time
	d := &DataManager{Token: "tok", Now: func() time.Time { return at }}
	d.Start(t)
	pacer := destination.NewPacer(platform.Google.Spec().MaxRequestsPerMinute)
	var arrivals []time.Time
	for i := range 1000 {
		leave := selfNow.Add(pacer.ReserveN(selfNow, 1).DelayFrom(selfNow))
		if i%2 == 0 {
			leave = leave.Add(900 * time.Millisecond)
		}
		arrivals = append(arrivals, leave)
	}
	slices.SortFunc(arrivals, time.Time.Compare)
	for i, a := range arrivals {
		at = a
		if limit := d.admitWrite(); limit != "" {
			t.Fatalf("request %d (at %v) refused by the %s quota", i+1, a.Sub(selfNow), limit)
		}
	}
}
