package destination

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// Tests of the Sender's side of the platforms' contracts (issue 13):
// docs/contract.md names the rule each one proves.

func TestFirstRequestGoesAloneAndAMisconfigurationCostsOne(t *testing.T) {
	c := &scripted{max: 10, answer: func(int, []*conversion.Conversion) (Receipt, error) {
		time.Sleep(5 * time.Millisecond) // give other workers every chance to send
		return Receipt{}, &Error{Action: platform.StopDestination, Status: 400, Code: "100", Reason: "33"}
	}}
	r, _ := run(t, context.Background(), c, Options{Concurrency: 8}, convs(200))
	if c.calls != 1 || r.Fatal == nil || r.Unsent != 200 || r.Accepted != 0 {
		t.Fatalf("calls %d result %+v", c.calls, r)
	}
}

func TestConcurrencyStartsAfterTheFirstSuccess(t *testing.T) {
	var inFlight, most, before atomic.Int32
	var succeeded atomic.Bool
	c := &scripted{max: 10, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		if !succeeded.Load() && n > before.Load() {
			before.Store(n)
		}
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(3 * time.Millisecond)
		if call == 1 {
			defer succeeded.Store(true)
			return Receipt{}, &Error{Action: platform.Retry, Status: 503}
		}
		succeeded.Store(true)
		return ok(call, b)
	}}
	r, _ := run(t, context.Background(), c, Options{Concurrency: 4}, convs(200))
	if r.Accepted != 200 {
		t.Fatalf("result %+v", r)
	}
	if before.Load() != 1 {
		t.Errorf("%d requests in flight before the first success, want 1", before.Load())
	}
	if most.Load() < 2 {
		t.Errorf("concurrency never started (at most %d in flight)", most.Load())
	}
}

func TestNamedEventsAreQuarantinedWithoutBisecting(t *testing.T) {
	in := convs(1000)
	bad := map[string]bool{string(in[3].EventID): true, string(in[517].EventID): true}
	c := &scripted{max: 1000, plat: platform.Google, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
		var faults []EventFault
		for i, cv := range b {
			if bad[string(cv.EventID)] {
				faults = append(faults, EventFault{Index: i, Reason: "INVALID_SHA256_FORMAT", Field: "user_data.user_identifiers[" + string(rune('0'+i%2)) + "]"})
			}
		}
		if faults != nil {
			return Receipt{}, &Error{Action: platform.Quarantine, Status: 400, Code: "INVALID_ARGUMENT", Events: faults}
		}
		return ok(call, b)
	}}
	r, _ := run(t, context.Background(), c, Options{}, in)
	if c.calls != 2 || r.Accepted != 998 || r.Quarantined[ReasonRejected+":INVALID_SHA256_FORMAT"] != 2 {
		t.Fatalf("calls %d result %+v", c.calls, r)
	}
}

func TestTheSameFaultOnEveryEventStopsInsteadOfQuarantining(t *testing.T) {
	c := &scripted{max: 50, plat: platform.Google, answer: func(_ int, b []*conversion.Conversion) (Receipt, error) {
		faults := make([]EventFault, len(b))
		for i := range b {
			faults[i] = EventFault{Index: i, Reason: "REQUIRED_FIELD_MISSING", Field: "event_source"}
		}
		return Receipt{}, &Error{Action: platform.Quarantine, Status: 400, Code: "INVALID_ARGUMENT", Events: faults}
	}}
	r, _ := run(t, context.Background(), c, Options{Concurrency: 3}, convs(120))
	if c.calls != 1 || r.QuarantinedTotal() != 0 || r.Unsent != 120 || r.Stop != platform.StopDestination {
		t.Fatalf("calls %d result %+v", c.calls, r)
	}
	if msg := r.Fatal.Error(); !strings.Contains(msg, "REQUIRED_FIELD_MISSING") || !strings.Contains(msg, "event_source") {
		t.Errorf("message does not name the reason and field: %s", msg)
	}
}

func TestEveryEventFailingAlikeStopsAfterFiveRequests(t *testing.T) {
	c := &scripted{max: 1000, answer: func(int, []*conversion.Conversion) (Receipt, error) {
		return Receipt{}, &Error{Action: platform.Bisect, Status: 400, Code: "100", Reason: "2804050", UserTitle: "Customer information parameters"}
	}}
	r, _ := run(t, context.Background(), c, Options{}, convs(1000))
	// The batch, its two halves, one event of each half alone.
	if c.calls != 5 || r.QuarantinedTotal() != 0 || r.Unsent != 1000 || r.Fatal == nil {
		t.Fatalf("calls %d result %+v", c.calls, r)
	}
	if r.Messages["100 Customer information parameters:"] != 5 {
		t.Errorf("error_user_title not counted: %v", r.Messages)
	}
}

func TestTwoBadEventsInBothHalvesAreIsolatedNotSystemic(t *testing.T) {
	in := convs(1000)
	bad := map[eventid.ID]bool{in[100].EventID: true, in[900].EventID: true}
	c := &scripted{max: 1000, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
		for _, cv := range b {
			if bad[cv.EventID] {
				return Receipt{}, &Error{Action: platform.Bisect, Status: 400, Code: "100", Reason: "2804050"}
			}
		}
		return ok(call, b)
	}}
	r, _ := run(t, context.Background(), c, Options{}, in)
	if r.Fatal != nil || r.Accepted != 998 || r.Quarantined[ReasonRejected+":100/2804050"] != 2 {
		t.Fatalf("calls %d result %+v", c.calls, r)
	}
}

// TestEventsRefusedBeforeDecideNothing: the systemic guard reads two
// events refused alike, alone, as a configuration fault — unless the
// platform refused them alone on an earlier night (RefusedBefore): a
// night left with only such events isolates them again (a review: it
// stopped Meta, exit 1, every night until the rows left the export). A
// fault of every fresh event still stops, whatever known events the batch
// holds; Google's named events the same way.
func TestEventsRefusedBeforeDecideNothing(t *testing.T) {
	metaFault := &Error{Action: platform.Bisect, Status: 400, Code: "100", Reason: "2804050"}
	for _, c := range []struct {
		name      string
		n         int
		known     []int // events refused alone before
		bad       []int // events refused tonight (nil: every one)
		named     bool  // Google: the answer names the events
		systemic  bool
		quarantin int
	}{
		{name: "meta, only known events", n: 2, known: []int{0, 1}, quarantin: 2},
		{name: "meta, known events first of each half", n: 6, known: []int{0, 3}, bad: []int{0, 3}, quarantin: 2},
		{name: "meta, every fresh event refused", n: 6, known: []int{0, 3}, systemic: true},
		// Known events are the oldest, at the top: the first half all
		// known, every fresh event refused alike (a review).
		{name: "meta, known events fill the first half", n: 10, known: []int{0, 1, 2, 3, 4}, systemic: true},
		{name: "meta, one known event alone in its half", n: 3, known: []int{0}, systemic: true},
		{name: "meta, nothing known", n: 2, systemic: true},
		{name: "google, only known events named", n: 2, known: []int{0, 1}, named: true, quarantin: 2},
		{name: "google, one fresh event named with a known one", n: 2, known: []int{0}, named: true, quarantin: 2},
		{name: "google, every event named, two fresh", n: 3, known: []int{0}, named: true, systemic: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			in := convs(c.n)
			known, bad := map[eventid.ID]bool{}, map[eventid.ID]bool{}
			for _, i := range c.known {
				known[in[i].EventID] = true
			}
			for _, i := range c.bad {
				bad[in[i].EventID] = true
			}
			plat := platform.Meta
			if c.named {
				plat = platform.Google
			}
			sc := &scripted{max: 1000, plat: plat, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
				if !c.named {
					for _, cv := range b {
						if c.bad == nil || bad[cv.EventID] {
							return Receipt{}, metaFault
						}
					}
					return ok(call, b)
				}
				de := &Error{Action: platform.Quarantine, Status: 400, Code: "INVALID_ARGUMENT"}
				for i := range b {
					de.Events = append(de.Events, EventFault{Index: i, Field: "userData", Reason: "INVALID_FORMAT"})
				}
				return Receipt{}, de
			}}
			r, _ := run(t, context.Background(), sc, Options{RefusedBefore: func(cv *conversion.Conversion) bool { return known[cv.EventID] }}, in)
			if (r.Fatal != nil) != c.systemic || r.QuarantinedTotal() != c.quarantin {
				t.Fatalf("fatal %v, quarantined %v; want systemic %v, %d quarantined", r.Fatal, r.Quarantined, c.systemic, c.quarantin)
			}
		})
	}
}

// clock is a simulated clock: Sleep advances it.
type clock struct {
	mu    sync.Mutex
	t     time.Time
	slept time.Duration
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.t, c.slept = c.t.Add(d), c.slept+d
	c.mu.Unlock()
	return ctx.Err()
}

func TestAThirtyMinuteOutageEndsWithinTheRetryBudget(t *testing.T) {
	clk := &clock{t: now}
	outageEnds := now.Add(30 * time.Minute)
	c := &scripted{max: 100, plat: platform.Google}
	c.answer = func(call int, b []*conversion.Conversion) (Receipt, error) {
		clk.Sleep(context.Background(), 2*time.Second) // each failed request takes time too
		if clk.Now().Before(outageEnds) {
			return Receipt{}, &Error{Action: platform.Retry, Status: 503, Code: "UNAVAILABLE"}
		}
		return ok(call, b)
	}
	budget := 10 * time.Minute
	r, _ := run(t, context.Background(), c, Options{RetryBudget: budget, Concurrency: 2, Now: clk.Now, Sleep: clk.Sleep, MaxAttempts: 1000}, convs(1000))
	if elapsed := clk.Now().Sub(now); elapsed > budget+time.Minute {
		t.Fatalf("the run waited %v of simulated time; the budget is %v", elapsed, budget)
	}
	// The first batch went alone (the first-request gate) and was
	// answered 503 at every attempt: it may have arrived (answerUnproven),
	// left unanswered; the other 900 never left.
	if r.Accepted != 0 || r.Unsent != 900 || r.Rejected[ReasonUnanswered] != 100 || r.Fatal == nil || !strings.Contains(r.Fatal.Error(), ReasonRetryBudget) || !strings.Contains(r.Fatal.Error(), "UNAVAILABLE") {
		t.Fatalf("result %+v", r)
	}
}

func TestTestReceiptsAreValidatedNotAccepted(t *testing.T) {
	c := &scripted{max: 10, answer: func(_ int, b []*conversion.Conversion) (Receipt, error) {
		return Receipt{RequestID: "v-1", Accepted: len(b), Test: true, Messages: []string{"warning WARNING_REASON_INVALID_REGION_CODE"}}, nil
	}}
	obs := &outcomes{}
	r, _ := run(t, context.Background(), c, Options{Observer: obs}, convs(25))
	if r.Accepted != 0 || r.Validated != 25 || r.Messages["warning WARNING_REASON_INVALID_REGION_CODE"] != 3 {
		t.Fatalf("result %+v", r)
	}
	if obs.by[Accepted] != 0 || obs.by[Validated] != 25 {
		t.Errorf("observer heard %v", obs.by)
	}
}

type outcomes struct {
	mu sync.Mutex
	by map[Outcome]int
}

func (o *outcomes) Sending(platform.Platform, []*conversion.Conversion) error { return nil }
func (o *outcomes) Sent(_ platform.Platform, b []*conversion.Conversion, _ string, out Outcome, _ string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.by == nil {
		o.by = map[Outcome]int{}
	}
	o.by[out] += len(b)
	return nil
}
func (o *outcomes) Quarantined(platform.Platform, *conversion.Conversion, string) error { return nil }

func TestStopRunStopsEveryDestination(t *testing.T) {
	ctx := context.Background()
	bad := &scripted{max: 10, accepted: map[eventid.ID]int{}, answer: func(int, []*conversion.Conversion) (Receipt, error) {
		return Receipt{}, &Error{Action: platform.StopRun, Code: "oauth", Reason: "invalid_grant"}
	}}
	release := make(chan struct{})
	good := &googleScripted{scripted{max: 10, accepted: map[eventid.ID]int{}, answer: func(call int, b []*conversion.Conversion) (Receipt, error) {
		<-release
		return ok(call, b)
	}}}
	f := Fanout{
		platform.Meta:   NewSender(ctx, bad, Options{Sleep: (&sleeps{}).sleep}),
		platform.Google: NewSender(ctx, good, Options{Sleep: (&sleeps{}).sleep}),
	}
	f.StopOnFatal()
	in := convs(100)
	for _, cv := range in {
		f[platform.Meta].Write(cv)
	}
	for _, cv := range in {
		g := *cv
		g.Platform = platform.Google
		f[platform.Google].Write(&g)
	}
	close(release)
	f.Close()
	if r := f[platform.Google].Result(); r.Accepted > 10 || r.Unsent < 90 {
		t.Fatalf("google went on after Meta's credentials failed: %+v", r)
	}
	if r := f[platform.Meta].Result(); bad.calls != 1 || r.Stop != platform.StopRun {
		t.Fatalf("meta: calls %d %+v", bad.calls, r)
	}
}

type googleScripted struct{ scripted }

func (c *googleScripted) Platform() platform.Platform { return platform.Google }

func TestAgeIsCheckedAgainAtEachAttempt(t *testing.T) {
	clk := &clock{t: now}
	in := convs(10)
	in[4].Time = now.Add(-60*24*time.Hour + time.Minute) // one minute inside the window
	c := &scripted{max: 10, tooOld: 60 * 24 * time.Hour}
	c.answer = func(call int, b []*conversion.Conversion) (Receipt, error) {
		if call == 1 {
			return Receipt{}, &Error{Action: platform.Retry, Status: 503}
		}
		return ok(call, b)
	}
	r, _ := run(t, context.Background(), c, Options{Now: clk.Now, Sleep: clk.Sleep, BaseDelay: 5 * time.Minute, MaxDelay: 5 * time.Minute}, in)
	if r.Accepted != 9 || r.Quarantined["event_too_old"] != 1 || c.accepted[in[4].EventID] != 0 {
		t.Fatalf("result %+v", r)
	}
}
