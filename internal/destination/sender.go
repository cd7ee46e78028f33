package destination

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Quarantine and rejection reasons decided by the Sender.
const (
	ReasonRejected         = "rejected_by_platform"  // the platform refused this one event (":" and its reason follow)
	ReasonUnisolated       = "rejected_not_isolated" // in a rejected batch the split budget could not narrow down
	ReasonRetriesExhausted = "retries_exhausted"     // refused (4xx) at every attempt: nothing of it arrived
	// ReasonUnanswered: retries ran out, the retry budget was spent or the
	// destination stopped, on a request one of whose attempts may have
	// arrived (a timeout, a connection lost after writing, an answer that
	// could not be read, a 5xx or a Google server status such as
	// DEADLINE_EXCEEDED, none of which proves the request was not
	// processed: retry.go answerUnproven), or one still in flight was
	// abandoned: the platform may hold its events.
	// Counted apart from retries_exhausted, which the platform's refusals
	// (4xx: throttling, quota) end in: a month's simulation showed events
	// Meta had taken reported as "rejected, retries_exhausted", and so did
	// a review of events Meta processed before answering 504. The ledger
	// keeps them sent, unconfirmed, with their sent time; the next run
	// resends them under the same event ids and time.
	ReasonUnanswered    = "unanswered_may_have_arrived"
	ReasonCountMismatch = "accepted_count_mismatch" // the platform acknowledged a different number of events
	ReasonStopped       = "destination_stopped"     // the batch in hand when the destination stopped (":" and the reason follow)
	ReasonRetryBudget   = "retry_budget_exhausted"  // the run's retry time for the destination is spent
	// ReasonResent answers a request the platform refused whose events
	// went on in other requests: its halves or what isolation kept
	// (isolate.go), or fewer events after recheck set some aside
	// (retry.go). Recorded, never counted: each event is counted by the
	// request that carried it last.
	ReasonResent = "resent_in_parts"
)

// Options tune a Sender. Zero values take the defaults in brackets.
type Options struct {
	BatchSize         int           // events per request [Client.MaxBatch()]
	Concurrency       int           // requests in flight once the first succeeded [1]
	RequestsPerMinute int           // client-side rate limit, retries included [unlimited]
	MaxAttempts       int           // tries per request [10]
	BaseDelay         time.Duration // first backoff [Spec.Backoff, else 1s]
	MaxDelay          time.Duration // backoff cap [Spec.Backoff, else 2m]
	MaxSplits         int           // extra requests to isolate bad events, per batch [64]
	Grace             time.Duration // how long in-flight requests may finish after a stop [30s]
	// Multiplier grows each backoff from the last [Spec.Backoff, else 2]:
	// the n-th wait is BaseDelay × Multiplier^(n-1), capped at MaxDelay,
	// with jitter (retry.go backoff). Each zero field takes the platform's
	// published schedule (Google's service config: 5 s × 1.3 to 60 s).
	Multiplier float64
	// RetryBudget bounds the time this run spends retrying the
	// destination: backoff waits plus failed attempts, all batches
	// together [Spec.DefaultRetryBudget]. When it is spent the destination
	// stops; what is left is "not sent" and the next run takes it.
	RetryBudget time.Duration
	Now         func() time.Time
	// Sleep waits d or until ctx ends; tests replace it to run backoff
	// schedules instantly on a simulated clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Observer, when set, hears every batch before and after it is sent
	// (the ledger records both so a crash in between is recoverable).
	Observer Observer
	// OnStopRun is called once when an answer means every destination
	// must stop (platform.StopRun: credentials); Fanout.StopOnFatal sets it.
	OnStopRun func(error)
	// Logger hears each batch's outcome and each retry at debug level,
	// with counts, request ids and causes only. nil: silent.
	Logger *slog.Logger
	// RefusedBefore, when set, says whether the platform refused c alone
	// on an earlier night (the ledger's quarantined events, rejected by
	// the platform). Such an event refused again is no evidence that the
	// configuration is at fault: the systemic guard (isolate.go) does not
	// count it.
	RefusedBefore func(c *conversion.Conversion) bool
}

// Outcome is what became of a batch that was sent.
type Outcome int

// The outcomes of a sent batch.
const (
	Accepted    Outcome = iota + 1
	Rejected            // the batch failed as a whole (retries exhausted, count mismatch, destination stopped)
	Quarantined         // the platform refused these events; they were isolated
	// Validated: the platform checked the batch without counting it
	// (Google validateOnly, Meta test events). Never recorded as accepted.
	Validated
)

// Observer hears batches. Calls for one Sender may come from several
// goroutines at once. An error from Sending stops every send (the record
// before sending is what makes a crash recoverable); an error from Sent or
// Quarantined is reported as fatal after the fact. A batch and its
// conversions are the Sender's again once a call returns — it fills their
// memory with later batches (slabs.go) — so an Observer copies what it
// keeps (an event id, a string, may be kept as it is).
type Observer interface {
	Sending(p identifier.Platform, batch []*conversion.Conversion) error
	Sent(p identifier.Platform, batch []*conversion.Conversion, requestID string, o Outcome, reason string) error
	Quarantined(p identifier.Platform, c *conversion.Conversion, reason string) error
}

// Result is what one Sender did. Conversions it was given =
// Accepted + Validated + Rejected + Quarantined + Unsent.
type Result struct {
	Platform    identifier.Platform
	Given       int
	Accepted    int
	Validated   int // checked by the platform in a test run, not counted by it
	Requests    int // requests that got an answer, retries included
	Retries     int
	Quarantined map[string]int // pre-flight and isolated events, by reason
	Rejected    map[string]int // whole batches that failed, by reason
	Unsent      int            // never sent, or sent and refused when the destination stopped: the next run sends them
	RequestIDs  []string
	// Messages counts what the platform said besides yes or no: Google
	// fieldWarnings, Meta messages and error_user_title/msg, by reason.
	Messages map[string]int
	// Fatal is the answer that stopped the destination (or the run), with
	// what to do about it; Stop says which of the two.
	Fatal error
	Stop  platform.Action
	// Cause says why the last failed request failed (see Cause):
	// "connection refused (127.0.0.1:443)", "DNS: no such host …", "HTTP
	// 503", with the attempts when retries ran out. It is what an analyst
	// reads next to retries_exhausted, or next to "not sent" after an
	// interruption during retries.
	Cause string
	// BadAnswers counts answers the gate refused (gateAnswer): an
	// acknowledged count outside the batch, events named outside it or
	// twice. Nothing is recorded as accepted from them.
	BadAnswers int
}

// QuarantinedTotal sums Quarantined.
func (r *Result) QuarantinedTotal() int { return sum(r.Quarantined) }

// RejectedTotal sums Rejected.
func (r *Result) RejectedTotal() int { return sum(r.Rejected) }

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

// Sender batches conversions for one Client and sends them. It is a
// sink.Sink: Write gives it conversions in export order, Close flushes and
// waits. Stop (or cancelling the context given to NewSender) stops new
// requests; requests in flight get Options.Grace to finish.
//
// The first request goes alone: until one request succeeds, requests go
// one at a time, so a wrong account, conversion action, dataset or token
// costs one request, not a burst of Concurrency.
type Sender struct {
	client  Client
	opt     Options
	ctx     context.Context // cancelled: send nothing new
	flight  context.Context // cancelled Grace after ctx: abandon requests in flight
	limiter *rate.Limiter
	batches chan *slabs
	wg      sync.WaitGroup
	// cur holds the pending batch and the copies Write makes of its
	// conversions and identifiers, in slabs (slabs.go); free holds slabs
	// whose batch is done, for Write to fill again.
	cur     *slabs
	free    chan *slabs
	stopCtx context.CancelFunc
	solo    chan struct{} // held by the one batch in progress until the first success
	open    atomic.Bool   // a request succeeded: concurrency may start
	opened  chan struct{} // closed when open is set
	openOne sync.Once

	mu         sync.Mutex
	result     Result
	closed     bool
	retrySpent time.Duration
}

// NewSender starts a sender whose workers run until Close.
func NewSender(ctx context.Context, c Client, o Options) *Sender {
	if o.BatchSize <= 0 || o.BatchSize > c.MaxBatch() {
		o.BatchSize = c.MaxBatch()
	}
	o.Concurrency = max(o.Concurrency, 1)
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 10
	}
	b := platform.Backoff{Initial: time.Second, Max: 2 * time.Minute, Multiplier: 2}
	if spec := c.Platform().Spec(); spec != nil && spec.Backoff.Initial > 0 {
		b = spec.Backoff
	}
	if o.BaseDelay <= 0 {
		o.BaseDelay = b.Initial
	}
	if !(o.Multiplier >= 1) {
		o.Multiplier = b.Multiplier
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = b.Max
	}
	if o.MaxSplits <= 0 {
		o.MaxSplits = 64
	}
	if o.Grace <= 0 {
		o.Grace = 30 * time.Second
	}
	if o.RetryBudget <= 0 {
		o.RetryBudget = 15 * time.Minute
		if spec := c.Platform().Spec(); spec != nil && spec.DefaultRetryBudget > 0 {
			o.RetryBudget = spec.DefaultRetryBudget
		}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sleep == nil {
		o.Sleep = sleep
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	ctx, stop := context.WithCancel(ctx)
	flight, abandon := context.WithCancel(context.WithoutCancel(ctx))
	context.AfterFunc(ctx, func() { time.AfterFunc(o.Grace, abandon) })
	s := &Sender{
		client: c, opt: o, ctx: ctx, flight: flight, stopCtx: stop,
		batches: make(chan *slabs),
		free:    make(chan *slabs, freeSlabs),
		solo:    make(chan struct{}, 1),
		opened:  make(chan struct{}),
		result: Result{Platform: c.Platform(), Quarantined: map[string]int{}, Rejected: map[string]int{},
			Messages: map[string]int{}},
	}
	if o.RequestsPerMinute > 0 {
		s.limiter = NewPacer(o.RequestsPerMinute)
	}
	for range o.Concurrency {
		s.wg.Add(1)
		go s.worker()
	}
	return s
}

// NewPacer is the Sender's client-side rate limit of requestsPerMinute,
// retries included: one request at a time (a burst of one), spaced
// evenly over 61 seconds, not 60. A platform counts a request when it
// arrives: spaced over exactly a minute, a first request delayed on the
// way (a network, a busy machine) and the last of the next minute's not
// put requestsPerMinute + 1 in one minute, over Google's 300 a minute
// (requests_per_minute's ceiling is the quota itself). The second of
// margin costs 1.6% of a paced upload's time; any delay under it stays
// within the quota (destinationtest.TestHashgatePacesWithinTheWriteQuota).
func NewPacer(requestsPerMinute int) *rate.Limiter {
	return rate.NewLimiter(rate.Limit(float64(requestsPerMinute)/61), 1)
}

// Write takes a copy of c (the pipeline reuses its conversions), applies
// the pre-flight rules and sends full batches.
func (s *Sender) Write(c *conversion.Conversion) error {
	s.mu.Lock()
	s.result.Given++
	s.mu.Unlock()
	if reason := s.client.Preflight(c, s.opt.Now()); reason != "" {
		s.quarantine(c, reason)
		return nil
	}
	if s.cur == nil {
		s.cur = s.takeSlabs()
	}
	cp := &s.cur.copies.take(1)[0]
	*cp = *c
	cp.Identifiers = nil
	if n := len(c.Identifiers); n > 0 {
		// Capped, so that an append to one conversion's identifiers
		// never writes into the next one's.
		cp.Identifiers = s.cur.ids.take(n)
		copy(cp.Identifiers, c.Identifiers)
	}
	s.cur.batch = append(s.cur.batch, cp)
	if len(s.cur.batch) >= s.opt.BatchSize {
		s.submit()
	}
	return nil
}

func (s *Sender) submit() {
	out := s.cur
	s.cur = nil
	if out == nil || len(out.batch) == 0 {
		return
	}
	if s.stopped() {
		s.count(func(r *Result) { r.Unsent += len(out.batch) })
		s.recycle(out)
		return
	}
	select {
	case s.batches <- out:
	case <-s.ctx.Done():
		s.count(func(r *Result) { r.Unsent += len(out.batch) })
		s.recycle(out)
	}
}

// stopped: the run was interrupted or the destination stopped.
func (s *Sender) stopped() bool {
	if s.ctx.Err() != nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.result.Fatal != nil
}

// Close sends the last partial batch (unless stopped) and waits for every
// request to finish. It returns the error that stopped the sends, if any.
func (s *Sender) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return s.result.Fatal
	}
	s.closed = true
	s.mu.Unlock()
	s.submit()
	close(s.batches)
	s.wg.Wait()
	s.stopCtx()
	return s.Result().Fatal
}

// Stop sends nothing new; batches not yet sent are counted Unsent.
func (s *Sender) Stop() { s.stopCtx() }

// Result returns a copy of the counts so far.
func (s *Sender) Result() Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.result
	r.Quarantined = maps.Clone(r.Quarantined)
	r.Rejected = maps.Clone(r.Rejected)
	r.Messages = maps.Clone(r.Messages)
	r.RequestIDs = append([]string(nil), r.RequestIDs...)
	return r
}

func (s *Sender) count(f func(*Result)) {
	s.mu.Lock()
	f(&s.result)
	s.mu.Unlock()
}

func (s *Sender) worker() {
	defer s.wg.Done()
	for out := range s.batches {
		s.send(out.batch)
		s.recycle(out)
	}
}

// send sends one batch the Sender formed, its retries and isolation
// included; when it returns nothing refers to the batch any more.
func (s *Sender) send(batch []*conversion.Conversion) {
	if s.stopped() {
		s.count(func(r *Result) { r.Unsent += len(batch) })
		return
	}
	// Until a request succeeds, one batch at a time — its retries and
	// isolation included — so an answer that stops the destination is
	// acted on before anything else is sent.
	release, err := s.gate()
	if err != nil {
		s.count(func(r *Result) { r.Unsent += len(batch) })
		return
	}
	defer release()
	budget := s.opt.MaxSplits
	s.sendOrIsolate(batch, &budget, true)
}
