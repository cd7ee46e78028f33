package destination

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// TestGoogleBackoffFollowsItsServiceConfig: Google's published retry
// policy for IngestEvents (googleapis google/ads/datamanager/v1/
// datamanager_grpc_service_config.json: initialBackoff 5s, maxBackoff
// 60s, backoffMultiplier 1.3) is the schedule hashgate waits by between
// attempts of one Google request, with its own jitter: the n-th wait is
// in [d/2, d], d = min(5 s × 1.3^(n-1), 60 s). Before, Google waited by
// the general 1 s doubling schedule: 0.5–1 s first, sooner than Google's
// config ever retries on average. Simulated clock: Options.Now and Sleep.
func TestGoogleBackoffFollowsItsServiceConfig(t *testing.T) {
	const failures = 14
	clk := &clock{t: now}
	c := &scripted{max: 10, plat: platform.Google, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
		if call <= failures {
			return Receipt{}, &Error{Action: platform.Retry, Status: 503, Code: "UNAVAILABLE"}
		}
		return ok(call, b)
	}}
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		return clk.Sleep(ctx, d)
	}
	r, _ := run(t, context.Background(), c, Options{Now: clk.Now, Sleep: sleep, MaxAttempts: failures + 1}, convs(10))
	if r.Accepted != 10 || len(waits) != failures {
		t.Fatalf("accepted %d after %d waits %v", r.Accepted, len(waits), waits)
	}
	for i, d := range waits {
		want := time.Duration(min(float64(5*time.Second)*math.Pow(1.3, float64(i)), float64(time.Minute)))
		if d < want/2 || d > want {
			t.Errorf("backoff %d = %v, want in [%v, %v] (service config: 5 s × 1.3^%d, at most 60 s)", i, d, want/2, want, i)
		}
	}
}

// TestMetaBackoffKeepsItsSchedule: Meta publishes no retry schedule; its
// waits stay the general one — 1 s doubling, capped at 2 min — so the
// Google schedule is Google's alone.
func TestMetaBackoffKeepsItsSchedule(t *testing.T) {
	c := &scripted{max: 10, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
		if call <= 9 {
			return Receipt{}, &Error{Action: platform.Retry, Status: 503, Code: "2"}
		}
		return ok(call, b)
	}}
	r, sl := run(t, context.Background(), c, Options{}, convs(10))
	if r.Accepted != 10 || len(sl.d) != 9 {
		t.Fatalf("accepted %d sleeps %v", r.Accepted, sl.d)
	}
	for i, d := range sl.d {
		want := min(time.Second<<i, 2*time.Minute)
		if d < want/2 || d > want {
			t.Errorf("backoff %d = %v, want in [%v, %v]", i, d, want/2, want)
		}
	}
}
