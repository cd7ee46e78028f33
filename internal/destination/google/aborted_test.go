package google

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/destinationtest"
	"github.com/hashgate/hashgate/internal/identifier"
)

// outcomes records what the Sender tells the ledger of each event.
type outcomes struct {
	mu       sync.Mutex
	rejected map[string]string // event id → reason, of requests answered Rejected
}

func (o *outcomes) Sending(identifier.Platform, []*conversion.Conversion) error { return nil }
func (o *outcomes) Sent(_ identifier.Platform, b []*conversion.Conversion, _ string, out destination.Outcome, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, c := range b {
		if out == destination.Rejected {
			o.rejected[string(c.EventID)] = reason
		} else {
			delete(o.rejected, string(c.EventID))
		}
	}
	return nil
}
func (o *outcomes) Quarantined(identifier.Platform, *conversion.Conversion, string) error { return nil }

// TestAnAbortedIngestIsNeverARefusal: ABORTED (409) is "typically due to
// a concurrency issue such as a sequencer check failure or transaction
// abort" and asks the client to "retry at a higher level"
// (google/rpc/code.proto); AIP-194 lists it among the codes not to retry
// for an individual request, Google's service config does not retry it,
// and Data Manager's own errors page lists it with UNAVAILABLE and
// DEADLINE_EXCEEDED as a transient error to retry. None of them says the
// request was not processed, and none says the data was refused. So
// hashgate retries it (the whole request is the highest level an ingest
// has) and never records its events as rejected: every attempt ABORTED,
// or retries cut by the retry budget, leaves them unanswered — possibly
// ingested, resent by the next run under the same transactionIds.
// Before, they were counted retries_exhausted (or, at the budget, "not
// sent") and answered refused in the ledger.
func TestAnAbortedIngestIsNeverARefusal(t *testing.T) {
	aborted := func(_ int, w http.ResponseWriter, _ *http.Request) bool { destinationtest.Aborted(w); return true }
	for _, tc := range []struct {
		name      string
		fault     func(int, http.ResponseWriter, *http.Request) bool
		processed bool // Google ingested, then answered ABORTED
		budget    time.Duration
		held      int
	}{
		{name: "every attempt", fault: aborted},
		{name: "processed then aborted", processed: true, held: 5},
		{name: "cut by the retry budget", fault: aborted, budget: 10 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dm, c := fake(t, Config{}, tc.fault)
			if tc.processed {
				dm.ProcessedThen = func(_ int, w http.ResponseWriter) bool { destinationtest.Aborted(w); return true }
			}
			obs := &outcomes{rejected: map[string]string{}}
			s := destination.NewSender(context.Background(), c, destination.Options{
				Now: func() time.Time { return now }, Sleep: func(context.Context, time.Duration) error { return nil },
				Observer: obs, RetryBudget: tc.budget,
			})
			for _, cv := range convs(t, 5) {
				s.Write(cv)
			}
			s.Close()
			r := s.Result()
			if r.Rejected[destination.ReasonUnanswered] != 5 || r.Rejected[destination.ReasonRetriesExhausted] != 0 || r.Unsent != 0 || len(dm.Accepted()) != tc.held {
				t.Fatalf("%d held by Google, result %+v", len(dm.Accepted()), r)
			}
			if len(obs.rejected) != 0 {
				t.Fatalf("the ledger was told the events were refused: %v", obs.rejected)
			}
		})
	}
	t.Run("then accepted", func(t *testing.T) {
		dm, c := fake(t, Config{}, func(n int, w http.ResponseWriter, _ *http.Request) bool {
			if n <= 2 {
				destinationtest.Aborted(w)
				return true
			}
			return false
		})
		r := send(t, c, convs(t, 5))
		if r.Accepted != 5 || r.Retries != 2 || len(dm.Accepted()) != 5 {
			t.Fatalf("%d held by Google, result %+v", len(dm.Accepted()), r)
		}
		for id, n := range dm.Accepted() {
			if n != 1 {
				t.Errorf("event %s ingested %d times", id, n)
			}
		}
	})
}
