package destination

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"net"
	"strings"
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
	ReasonRejected         = "rejected_by_platform"    // the platform refused this one event (":" and its reason follow)
	ReasonUnisolated       = "rejected_not_isolated"   // in a rejected batch the split budget could not narrow down
	ReasonRetriesExhausted = "retries_exhausted"       // still failing after every retry
	ReasonCountMismatch    = "accepted_count_mismatch" // the platform acknowledged a different number of events
	ReasonStopped          = "destination_stopped"     // the batch in hand when the destination stopped (":" and the reason follow)
	ReasonRetryBudget      = "retry_budget_exhausted"  // the run's retry time for the destination is spent
)

// Options tune a Sender. Zero values take the defaults in brackets.
type Options struct {
	BatchSize         int           // events per request [Client.MaxBatch()]
	Concurrency       int           // requests in flight once the first succeeded [1]
	RequestsPerMinute int           // client-side rate limit, retries included [unlimited]
	MaxAttempts       int           // tries per request [10]
	BaseDelay         time.Duration // first backoff [1s]
	MaxDelay          time.Duration // backoff cap [2m]
	MaxSplits         int           // extra requests to isolate bad events, per batch [64]
	Grace             time.Duration // how long in-flight requests may finish after a stop [30s]
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
// Quarantined is reported as fatal after the fact.
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
	Unsent      int            // never sent, or sent when the destination stopped: the next run sends them
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
	batches chan []*conversion.Conversion
	wg      sync.WaitGroup
	pending []*conversion.Conversion
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
	if o.BaseDelay <= 0 {
		o.BaseDelay = time.Second
	}
	if o.MaxDelay <= 0 {
		o.MaxDelay = 2 * time.Minute
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
		batches: make(chan []*conversion.Conversion),
		solo:    make(chan struct{}, 1),
		opened:  make(chan struct{}),
		result: Result{Platform: c.Platform(), Quarantined: map[string]int{}, Rejected: map[string]int{},
			Messages: map[string]int{}},
	}
	if o.RequestsPerMinute > 0 {
		s.limiter = rate.NewLimiter(rate.Limit(float64(o.RequestsPerMinute)/60), 1)
	}
	for range o.Concurrency {
		s.wg.Add(1)
		go s.worker()
	}
	return s
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
	cp := *c
	cp.Identifiers = append([]identifier.Sent(nil), c.Identifiers...)
	s.pending = append(s.pending, &cp)
	if len(s.pending) >= s.opt.BatchSize {
		s.submit()
	}
	return nil
}

// quarantine sets one event aside with a reason, before or after a request.
func (s *Sender) quarantine(c *conversion.Conversion, reason string) {
	s.count(func(r *Result) { r.Quarantined[reason]++ })
	if s.opt.Observer != nil {
		if err := s.opt.Observer.Quarantined(s.client.Platform(), c, reason); err != nil {
			s.stop(&Error{Action: platform.StopRun, Reason: "ledger", Err: fmt.Errorf("record quarantined event: %w", err)}, nil, false)
		}
	}
}

func (s *Sender) submit() {
	batch := s.pending
	s.pending = nil
	if len(batch) == 0 {
		return
	}
	if s.stopped() {
		s.count(func(r *Result) { r.Unsent += len(batch) })
		return
	}
	select {
	case s.batches <- batch:
	case <-s.ctx.Done():
		s.count(func(r *Result) { r.Unsent += len(batch) })
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
	for batch := range s.batches {
		if s.stopped() {
			s.count(func(r *Result) { r.Unsent += len(batch) })
			continue
		}
		// Until a request succeeds, one batch at a time — its retries and
		// isolation included — so an answer that stops the destination is
		// acted on before anything else is sent.
		release, err := s.gate()
		if err != nil {
			s.count(func(r *Result) { r.Unsent += len(batch) })
			continue
		}
		budget := s.opt.MaxSplits
		s.sendOrIsolate(batch, &budget, true)
		release()
	}
}

// sendOrIsolate sends batch; when the platform blames some of its events
// it isolates them. first marks a batch as the Sender formed it (not a
// part of one), where the systemic guard applies.
func (s *Sender) sendOrIsolate(batch []*conversion.Conversion, budget *int, first bool) {
	if de := s.sendWithRetry(batch); de != nil {
		s.isolate(batch, de, budget, first)
	}
}

// isolate handles a batch the platform rejected for some of its events.
// When the platform named them (Google's events.events[N] field paths)
// exactly those are quarantined and the rest is sent again, without
// bisecting. Otherwise (Meta) the batch is split in halves within budget
// extra requests.
//
// The systemic guard: when every event of a batch is named with the same
// reason at the same field, or both halves of a first split fail with the
// same reason and so does one event of each half sent alone, the cause is
// the configuration or hashgate, not the data (a missing eventSource, a
// currency from config): the destination stops instead of quarantining
// every event. The single-event probes keep two bad events that happen to
// sit in different halves from stopping a destination every night.
func (s *Sender) isolate(batch []*conversion.Conversion, de *Error, budget *int, first bool) {
	if de.Action == platform.Quarantine {
		named := map[int]EventFault{}
		for _, f := range de.Events {
			if _, seen := named[f.Index]; !seen && f.Index >= 0 && f.Index < len(batch) {
				named[f.Index] = f
			}
		}
		if len(named) > 0 {
			if first && len(batch) >= 2 && len(named) == len(batch) && sameFault(de.Events) {
				s.systemic(batch, de)
				return
			}
			var rest []*conversion.Conversion
			for i, c := range batch {
				if f, ok := named[i]; ok {
					s.quarantine(c, ReasonRejected+":"+f.Reason)
				} else {
					rest = append(rest, c)
				}
			}
			if len(rest) > 0 {
				s.sendOrIsolate(rest, budget, false)
			}
			return
		}
		// Named events outside the batch: fall back to bisecting.
	}
	switch {
	case len(batch) == 1:
		reason := ReasonRejected + ":" + de.faultReason()
		s.count(func(r *Result) { r.Quarantined[reason]++ })
		s.observeSent(batch, de.TraceID, Quarantined, reason)
	case *budget < 2:
		s.count(func(r *Result) { r.Quarantined[ReasonUnisolated] += len(batch) })
		s.observeSent(batch, de.TraceID, Quarantined, ReasonUnisolated)
	default:
		*budget -= 2
		mid := len(batch) / 2
		a, b := batch[:mid], batch[mid:]
		if !first {
			s.sendOrIsolate(a, budget, false)
			s.sendOrIsolate(b, budget, false)
			return
		}
		ea := s.sendWithRetry(a)
		eb := s.sendWithRetry(b)
		if ea == nil || eb == nil || ea.signature() != eb.signature() {
			if ea != nil {
				s.isolate(a, ea, budget, false)
			}
			if eb != nil {
				s.isolate(b, eb, budget, false)
			}
			return
		}
		// Both halves failed alike: a configuration fault, or bad events
		// in both halves (two patients without enough customer
		// information). One event of each half, alone, tells them apart:
		// both refused alike, and it is the configuration (two bad events
		// picked by chance are unlikely); otherwise isolation goes on.
		pa := s.sendWithRetry(a[:1])
		pb := s.sendWithRetry(b[:1])
		if pa != nil && pb != nil && pa.signature() == ea.signature() && pb.signature() == ea.signature() {
			s.systemic(batch, ea)
			return
		}
		for _, probe := range []struct {
			one []*conversion.Conversion
			err *Error
		}{{a[:1], pa}, {b[:1], pb}} {
			if probe.err != nil {
				s.isolate(probe.one, probe.err, budget, false)
			}
		}
		s.sendOrIsolate(a[1:], budget, false)
		s.sendOrIsolate(b[1:], budget, false)
	}
}

// sameFault: every named event has the same reason at the same field.
func sameFault(fs []EventFault) bool {
	for _, f := range fs[1:] {
		if f.Reason != fs[0].Reason || f.Field != fs[0].Field {
			return false
		}
	}
	return true
}

// faultReason is the reason an isolated event is quarantined with.
func (e *Error) faultReason() string {
	switch {
	case len(e.Events) > 0:
		return e.Events[0].Reason
	case e.Reason != "":
		return e.Code + "/" + e.Reason
	case e.Code != "":
		return e.Code
	}
	return fmt.Sprint(e.Status)
}

// systemic stops the destination: the same fault on every event.
func (s *Sender) systemic(batch []*conversion.Conversion, de *Error) {
	stop := *de
	stop.Action, stop.Events, stop.Reason = platform.StopDestination, nil, de.faultReason()
	if len(de.Events) > 0 {
		stop.Field = "events[*]." + de.Events[0].Field
	}
	stop.Fix = "every event failed with the same reason at the same field, so the cause is the configuration (or hashgate), not the data: nothing was quarantined; fix it and run again"
	if de.Fix != "" {
		stop.Fix = de.Fix + "; " + stop.Fix
	}
	s.stop(&stop, batch, true)
}

// sendWithRetry sends one request, retrying transient failures within the
// retry budget. It does the counting for every outcome except an event
// fault (Quarantine, Bisect), which it returns for isolate.
func (s *Sender) sendWithRetry(batch []*conversion.Conversion) *Error {
	if batch = s.recheck(batch); len(batch) == 0 {
		return nil
	}
	if s.stopped() {
		s.count(func(r *Result) { r.Unsent += len(batch) })
		return nil
	}
	if err := s.observeSending(batch); err != nil {
		s.stop(&Error{Action: platform.StopRun, Reason: "ledger", Err: err}, batch, false)
		return nil
	}
	for attempt := 1; ; attempt++ {
		if s.stopped() {
			s.count(func(r *Result) { r.Unsent += len(batch) })
			return nil
		}
		if attempt > 1 {
			// Re-check every attempt: time passed, and an event that was
			// inside the platform's window may no longer be.
			if fresh := s.recheck(batch); len(fresh) != len(batch) {
				if batch = fresh; len(batch) == 0 {
					return nil
				}
				if err := s.observeSending(batch); err != nil {
					s.stop(&Error{Action: platform.StopRun, Reason: "ledger", Err: err}, batch, false)
					return nil
				}
			}
		}
		if s.limiter != nil {
			if err := s.limiter.Wait(s.ctx); err != nil {
				s.count(func(r *Result) { r.Unsent += len(batch) })
				return nil
			}
		}
		start := s.opt.Now()
		rec, err := s.client.Send(s.flight, batch)
		if err == nil {
			s.received(batch, rec)
			return nil
		}
		de := classify(err)
		s.count(func(r *Result) {
			if de.Status != 0 || de.Code != "" {
				r.Requests++
			}
			if de.UserTitle != "" || de.UserMsg != "" {
				r.Messages[strings.TrimSpace(de.Code+" "+de.UserTitle+": "+de.UserMsg)]++
			}
		})
		switch {
		case s.flight.Err() != nil:
			// Abandoned after the grace period: the outcome is unknown; the
			// event ids make a later resend harmless.
			s.count(func(r *Result) { r.Unsent += len(batch) })
			return nil
		case de.Action == platform.Quarantine, de.Action == platform.Bisect:
			return de
		case de.Action.Stops():
			s.stop(de, batch, true)
			return nil
		case attempt >= s.opt.MaxAttempts:
			cause := fmt.Sprintf("%s, after %d attempts", Cause(de), attempt)
			s.count(func(r *Result) { r.Rejected[ReasonRetriesExhausted] += len(batch); r.Cause = cause })
			s.observeSent(batch, "", Rejected, ReasonRetriesExhausted)
			return nil
		}
		d := s.backoff(attempt, de.RetryAfter)
		if !s.spend(s.opt.Now().Sub(start) + d) {
			s.stop(s.budgetSpent(de), batch, true)
			return nil
		}
		cause := Cause(de)
		s.count(func(r *Result) { r.Retries++; r.Cause = cause })
		s.logf("request failed; retrying", "attempt", attempt, "cause", cause)
		if err := s.opt.Sleep(s.ctx, d); err != nil {
			s.count(func(r *Result) { r.Unsent += len(batch) })
			return nil
		}
	}
}

// received counts an answer of yes; the first opens the gate.
func (s *Sender) received(batch []*conversion.Conversion, rec Receipt) {
	s.open.Store(true)
	s.openOne.Do(func() { close(s.opened) })
	s.count(func(r *Result) {
		r.Requests++
		if rec.RequestID != "" {
			r.RequestIDs = append(r.RequestIDs, rec.RequestID)
		}
		for _, m := range rec.Messages {
			r.Messages[m]++
		}
	})
	switch {
	case rec.Accepted != len(batch):
		s.count(func(r *Result) { r.Rejected[ReasonCountMismatch] += len(batch) })
		s.observeSent(batch, rec.RequestID, Rejected, ReasonCountMismatch)
	case rec.Test:
		s.count(func(r *Result) { r.Validated += len(batch) })
		s.observeSent(batch, rec.RequestID, Validated, "")
	default:
		s.count(func(r *Result) { r.Accepted += len(batch) })
		s.logf("batch accepted", "events", len(batch), "request_id", rec.RequestID)
		s.observeSent(batch, rec.RequestID, Accepted, "")
	}
}

// logf logs at debug level with the platform.
func (s *Sender) logf(msg string, args ...any) {
	s.opt.Logger.Debug(msg, append([]any{"destination", s.client.Platform().String()}, args...)...)
}

// recheck applies the pre-flight rules again, quarantining what fails now.
func (s *Sender) recheck(batch []*conversion.Conversion) []*conversion.Conversion {
	now := s.opt.Now()
	var kept []*conversion.Conversion
	for i, c := range batch {
		reason := s.client.Preflight(c, now)
		switch {
		case reason != "" && kept == nil:
			kept = append(make([]*conversion.Conversion, 0, len(batch)), batch[:i]...)
			s.quarantine(c, reason)
		case reason != "":
			s.quarantine(c, reason)
		case kept != nil:
			kept = append(kept, c)
		}
	}
	if kept == nil {
		return batch
	}
	return kept
}

// gate lets batches through one at a time until a request succeeds; the
// batch in progress holds it through its retries and isolation, so an
// answer that stops the destination is recorded before another batch is
// sent. Waiting batches go as soon as a request succeeds.
func (s *Sender) gate() (release func(), err error) {
	if s.open.Load() {
		return func() {}, nil
	}
	select {
	case s.solo <- struct{}{}:
	case <-s.opened:
		return func() {}, nil
	case <-s.ctx.Done():
		return nil, s.ctx.Err()
	}
	return func() { <-s.solo }, nil
}

// spend takes d from the retry budget; false when it is spent.
func (s *Sender) spend(d time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.retrySpent+d > s.opt.RetryBudget {
		return false
	}
	s.retrySpent += d
	return true
}

// budgetSpent is the stop when the retry budget is spent, naming the last
// answer.
func (s *Sender) budgetSpent(last *Error) *Error {
	p := s.client.Platform()
	e := &Error{Action: platform.StopDestination, Reason: ReasonRetryBudget, Status: last.Status, Code: last.Code, Err: last,
		Message: "still failing after this run's retry budget of " + s.opt.RetryBudget.String() + "; last answer: " + last.Error(),
		Fix:     fmt.Sprintf("the events not sent go with the next run (destinations.%s.retry_budget_minutes sets the budget)", p)}
	return e
}

// stop records the answer that stops the destination (and, for StopRun,
// tells the others), counting batch as not sent: nothing of it counted,
// and the next run sends it. sent says whether batch's sending was
// recorded (its end is then recorded too).
func (s *Sender) stop(de *Error, batch []*conversion.Conversion, sent bool) {
	first := false
	s.count(func(r *Result) {
		r.Unsent += len(batch)
		if r.Fatal == nil {
			r.Fatal, r.Stop, first = de, de.Action, true
			r.Cause = Cause(de)
		}
	})
	if sent && len(batch) > 0 {
		s.observeSent(batch, de.TraceID, Rejected, ReasonStopped+":"+de.faultReason())
	}
	s.stopCtx() // wake workers waiting in backoff or at the gate
	if first && de.Action == platform.StopRun && s.opt.OnStopRun != nil {
		s.opt.OnStopRun(de)
	}
}

// backoff is exponential with full jitter, capped, and never shorter than
// the platform's Retry-After.
func (s *Sender) backoff(attempt int, retryAfter time.Duration) time.Duration {
	d := s.opt.BaseDelay << min(attempt-1, 20)
	if d <= 0 || d > s.opt.MaxDelay {
		d = s.opt.MaxDelay
	}
	d = d/2 + rand.N(d/2+1)
	return max(d, retryAfter)
}

func (s *Sender) observeSending(batch []*conversion.Conversion) error {
	if s.opt.Observer == nil {
		return nil
	}
	if err := s.opt.Observer.Sending(s.client.Platform(), batch); err != nil {
		return fmt.Errorf("record batch before sending: %w", err)
	}
	return nil
}

func (s *Sender) observeSent(batch []*conversion.Conversion, requestID string, o Outcome, reason string) {
	if s.opt.Observer == nil {
		return
	}
	if err := s.opt.Observer.Sent(s.client.Platform(), batch, requestID, o, reason); err != nil {
		s.stop(&Error{Action: platform.StopRun, Reason: "ledger", Err: fmt.Errorf("record batch after sending: %w", err)}, nil, false)
	}
}

// classify turns any error from Send into an *Error: a Client's own
// classification, else network failures are retried and anything else
// stops the destination (an unknown failure must not be hammered).
func classify(err error) *Error {
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Action: platform.Retry, Err: err}
	}
	return &Error{Action: platform.StopDestination, Err: err}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Fanout routes each conversion to its platform's Sender.
type Fanout map[identifier.Platform]*Sender

// Write implements sink.Sink.
func (f Fanout) Write(c *conversion.Conversion) error {
	if s := f[c.Platform]; s != nil {
		return s.Write(c)
	}
	return nil
}

// Close closes every Sender, returning their fatal errors joined.
func (f Fanout) Close() error {
	var errs []error
	for _, p := range platform.All {
		if s := f[p]; s != nil {
			if err := s.Close(); err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", p, err))
			}
		}
	}
	return errors.Join(errs...)
}

// Stop stops every Sender.
func (f Fanout) Stop() {
	for _, s := range f {
		s.Stop()
	}
}

// StopOnFatal makes an answer that stops the run (platform.StopRun) on
// any Sender stop all of them.
func (f Fanout) StopOnFatal() {
	for _, s := range f {
		s.opt.OnStopRun = func(error) { f.Stop() }
	}
}
