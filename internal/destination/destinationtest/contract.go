package destinationtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Fake is a platform's in-process fake as the contract suite drives it.
// DataManager and Graph implement it.
type Fake interface {
	// Accepted returns, per event id, how many times it was ingested.
	Accepted() map[string]int
	// AcceptedBatches returns the size of every ingested request, in order.
	AcceptedBatches() []int
	// Requests is how many requests arrived, faulted ones included.
	Requests() int
	// Throttle answers as the platform does when a client sends too fast,
	// and returns the wait it asked for (0: none).
	Throttle(w http.ResponseWriter) time.Duration
	// Unavailable answers as the platform does when it is briefly down.
	Unavailable(w http.ResponseWriter)
}

// Setup is what the suite asks of a platform's test: a client over a
// started fake with these settings.
type Setup struct {
	// Now is the fake's and the Sender's clock.
	Now func() time.Time
	// Fault, when set, may answer request n (from 1) itself.
	Fault func(n int, w http.ResponseWriter, r *http.Request) bool
	// MaxAge, when set, is the fake's event-age window, narrower than the
	// client's: the platform, not the client, rejects the old event.
	MaxAge time.Duration
	// WrongCredentials: the client authenticates with credentials the fake
	// refuses.
	WrongCredentials bool
	// Timeout, when set, is the client's per-request timeout.
	Timeout time.Duration
}

// Harness is one client under the suite.
type Harness struct {
	Client destination.Client
	Fake   Fake
	// Secrets (tokens, app secrets) must never appear in an error.
	Secrets []string
}

// NewClient builds a client over a started fake.
type NewClient func(t *testing.T, s Setup) Harness

// contractNow is the suite's clock.
var contractNow = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// RunContract runs the contract every destination.Client keeps (package
// destination's doc) against the client newClient builds over its
// platform's fake: batches within the platform's limit, each event sent
// once; throttling, outages and dropped connections survived with every
// event ingested exactly once and the platform's requested wait honoured;
// a poison event isolated (named by the platform, or by bisection) while
// the rest go through; bad credentials stop the run, are not retried, and
// are never quoted; a slow answer timed out and retried; and the event id
// as the stable dedup key of a resend.
func RunContract(t *testing.T, newClient NewClient) {
	t.Run("BatchLimits", func(t *testing.T) {
		h := newClient(t, Setup{Now: clock})
		max := h.Client.MaxBatch()
		if spec := h.Client.Platform().Spec(); max != spec.MaxBatch {
			t.Fatalf("MaxBatch %d, the platform's Spec says %d", max, spec.MaxBatch)
		}
		n := 2*max + max/4
		r := sendAll(t, h.Client, contractConversions(t, h.Client, n), nil)
		if r.Accepted != n || r.Fatal != nil {
			t.Fatalf("result %+v", r)
		}
		if b := h.Fake.AcceptedBatches(); len(b) != 3 || b[0] != max || b[1] != max || b[2] != max/4 {
			t.Errorf("accepted batches %v, want [%d %d %d]", b, max, max, max/4)
		}
		ExactlyOnce(t, h.Fake.Accepted(), n)
	})

	t.Run("StormsSurvivedExactlyOnce", func(t *testing.T) {
		var asked sync.Map // request n → wait the platform asked for
		var fake Fake
		h := newClient(t, Setup{Now: clock, Fault: func(n int, w http.ResponseWriter, _ *http.Request) bool {
			switch n {
			case 1, 2, 3, 7:
				asked.Store(n, fake.Throttle(w))
			case 4:
				fake.Unavailable(w)
			case 5:
				Reset(w)
			default:
				return false
			}
			return true
		}})
		fake = h.Fake
		var sleeps []time.Duration
		n := h.Client.MaxBatch() + h.Client.MaxBatch()/2
		r := sendAll(t, h.Client, contractConversions(t, h.Client, n), &sleeps)
		if r.Accepted != n || r.Fatal != nil || r.Retries < 5 {
			t.Fatalf("result %+v", r)
		}
		ExactlyOnce(t, h.Fake.Accepted(), n)
		for i := 1; i <= 3; i++ { // one request in flight: sleep i-1 follows request i
			if d, _ := asked.Load(i); d != nil && i-1 < len(sleeps) && sleeps[i-1] < d.(time.Duration) {
				t.Errorf("request %d asked to wait %v; the retry came after %v", i, d, sleeps[i-1])
			}
		}
	})

	t.Run("PoisonEventIsolated", func(t *testing.T) {
		h := newClient(t, Setup{Now: clock, MaxAge: 30 * 24 * time.Hour})
		n := h.Client.MaxBatch() / 2
		in := contractConversions(t, h.Client, n)
		poison := in[n/3]
		poison.Time = contractNow.Add(-40 * 24 * time.Hour)
		r := sendAll(t, h.Client, in, nil)
		if r.Accepted != n-1 || r.QuarantinedTotal() != 1 || r.Fatal != nil {
			t.Fatalf("result %+v", r)
		}
		if h.Fake.Accepted()[string(poison.EventID)] != 0 {
			t.Error("the poison event was ingested")
		}
		ExactlyOnce(t, h.Fake.Accepted(), n-1)
	})

	t.Run("BadCredentialsFatal", func(t *testing.T) {
		h := newClient(t, Setup{Now: clock, WrongCredentials: true})
		_, err := h.Client.Send(context.Background(), contractConversions(t, h.Client, 1))
		var de *destination.Error
		if !errors.As(err, &de) || de.Action != platform.StopRun {
			t.Fatalf("got %v, want a *destination.Error that stops the run", err)
		}
		for _, s := range h.Secrets {
			if s != "" && strings.Contains(err.Error(), s) {
				t.Errorf("error quotes a secret: %v", err)
			}
		}
		before := h.Fake.Requests()
		r := sendAll(t, h.Client, contractConversions(t, h.Client, 10), nil)
		if r.Fatal == nil || r.Accepted != 0 || h.Fake.Requests()-before != 1 {
			t.Fatalf("result %+v after %d requests: a fatal error must stop at once", r, h.Fake.Requests()-before)
		}
	})

	t.Run("SlowAnswerTimedOutAndRetried", func(t *testing.T) {
		h := newClient(t, Setup{Now: clock, Timeout: 250 * time.Millisecond, Fault: func(n int, _ http.ResponseWriter, r *http.Request) bool {
			if n != 1 {
				return false
			}
			select { // slower than the client's timeout
			case <-time.After(5 * time.Second):
			case <-r.Context().Done():
			}
			return true
		}})
		r := sendAll(t, h.Client, contractConversions(t, h.Client, 10), nil)
		if r.Accepted != 10 || r.Retries < 1 || r.Fatal != nil {
			t.Fatalf("result %+v", r)
		}
		ExactlyOnce(t, h.Fake.Accepted(), 10)
	})

	t.Run("EventIDIsTheDedupKey", func(t *testing.T) {
		h := newClient(t, Setup{Now: clock})
		in := contractConversions(t, h.Client, 5)
		for range 2 { // a resend after a lost answer
			if _, err := h.Client.Send(context.Background(), in); err != nil {
				t.Fatal(err)
			}
		}
		got := h.Fake.Accepted()
		for _, cv := range in {
			if got[string(cv.EventID)] != 2 {
				t.Fatalf("event %s arrived %d times under its event id, want 2 (the platform dedups on it)", cv.EventID, got[string(cv.EventID)])
			}
		}
		if len(got) != len(in) {
			t.Fatalf("%d keys at the platform for %d events", len(got), len(in))
		}
	})
}

func clock() time.Time { return contractNow }

// contractConversions makes n conversions for c's platform, two days old,
// with an email and a phone prepared by the platform's own rules.
func contractConversions(t *testing.T, c destination.Client, n int) []*conversion.Conversion {
	t.Helper()
	p := c.Platform()
	d := eventid.NewDeriver("contract")
	opt := identifier.Options{Region: "TW"}
	phone, err := identifier.Prepare(p, identifier.Phone, "0912-345-678", opt)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*conversion.Conversion, n)
	for i := range out {
		id, _ := d.Derive(fmt.Sprint(p, i))
		email, err := identifier.Prepare(p, identifier.Email, fmt.Sprintf("c%d@example.com", i), opt)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = &conversion.Conversion{
			Platform: p, EventID: id, Line: i + 2, Time: contractNow.Add(-48 * time.Hour),
			Name: "Purchase", Value: 1000, HasValue: true, Currency: "TWD",
			Identifiers: []identifier.Sent{email, phone},
		}
	}
	return out
}

// sendAll sends in through a Sender with one request in flight, recording
// its backoff waits in sleeps when set, and returns its result.
func sendAll(t *testing.T, c destination.Client, in []*conversion.Conversion, sleeps *[]time.Duration) destination.Result {
	t.Helper()
	var mu sync.Mutex
	s := destination.NewSender(context.Background(), c, destination.Options{
		Now: clock,
		Sleep: func(_ context.Context, d time.Duration) error {
			if sleeps != nil {
				mu.Lock()
				*sleeps = append(*sleeps, d)
				mu.Unlock()
			}
			return nil
		},
	})
	for _, cv := range in {
		if err := s.Write(cv); err != nil {
			t.Fatal(err)
		}
	}
	_ = s.Close()
	return s.Result()
}
