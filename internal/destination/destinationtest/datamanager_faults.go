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
