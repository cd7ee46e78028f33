package destinationtest

import (
	"net/http"
	"sync"
	"time"
)

// Data Manager's mutate quotas per Google Cloud project, for
// IngestionService (events:ingest): 300 requests a minute
// (IngestionMutateRequestsPerMinutePerProject) and 100,000 a day
// (IngestionMutateRequestsPerDayPerProject), counted apart from reads
// ("separated by service and operation type (read versus mutate)"; status
// reads: readQuota). "Requests that exceed the limits are rejected with
// the error RESOURCE_EXHAUSTED and HTTP status 429 Too Many Requests",
// and the answer names the limit in ErrorInfo metadata.quota_limit
// (developers.google.com/data-manager/api/devguides/limits, "Project
// limits" and "Quota names"; confirmed 2026-12-05, again 2026-12-07).
const (
	writesPerMinute = 300
	writesPerDay    = 100_000
)

// writeQuota counts the events:ingest requests of the fake's one project
// against the mutate quotas. What the limits page does not publish, the
// fake reads the stricter way: every authenticated request counts,
// whatever its answer (a refused or validate-only request is a request);
// one the quota refused does not; "a minute" and "a day" are any 60
// seconds and any 24 hours on DataManager.Now (when Google's minute and
// day start is not published — a client within them in every sliding
// window is within them in every calendar one); the 429 carries no
// Retry-After (none is published), and the daily quota is named when
// both are spent.
type writeQuota struct {
	quotaMu sync.Mutex
	// minute and day hold the times of the requests admitted in the last
	// minute and the last day, oldest first.
	minute, day []time.Time
}

// ingestWithinQuota answers events:ingest: 429 RESOURCE_EXHAUSTED when
// the project's mutate quota is spent, else the ingest itself.
func (d *DataManager) ingestWithinQuota(w http.ResponseWriter, body []byte, n int) {
	switch d.admitWrite() {
	case "day":
		DailyQuotaExceeded(w)
	case "minute":
		quotaExceeded(w, 0, "Ingestion mutate requests", "IngestionMutateRequestsPerMinutePerProject")
	default:
		d.ingest(w, body, n)
	}
}

// admitWrite counts one events:ingest request at d.Now() and returns ""
// when the quotas admit it, else which one refused it ("day" or
// "minute").
func (d *DataManager) admitWrite() string {
	q := &d.writeQuota
	q.quotaMu.Lock()
	defer q.quotaMu.Unlock()
	now := d.Now()
	q.minute = within(q.minute, now, time.Minute)
	q.day = within(q.day, now, 24*time.Hour)
	switch {
	case len(q.day) >= writesPerDay:
		return "day"
	case len(q.minute) >= writesPerMinute:
		return "minute"
	}
	q.minute, q.day = append(q.minute, now), append(q.day, now)
	return ""
}

// within drops from ts, oldest first, the times window or more before
// now. A clock a test sets back keeps them all: nothing is forgotten
// early.
func within(ts []time.Time, now time.Time, window time.Duration) []time.Time {
	i := 0
	for i < len(ts) && now.Sub(ts[i]) >= window {
		i++
	}
	if i > 0 && i == len(ts) {
		return ts[:0]
	}
	return ts[i:]
}
