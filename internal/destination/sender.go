package destination

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/platform"
)

// Quarantine and rejection reasons decided by the Sender.
const (
	ReasonRejected         = "rejected_by_platform"    // the platform refused this one event
	ReasonUnisolated       = "rejected_not_isolated"   // in a rejected batch the split budget could not narrow down
	ReasonRetriesExhausted = "retries_exhausted"       // still failing after every retry
	ReasonCountMismatch    = "accepted_count_mismatch" // the platform acknowledged a different number of events
	ReasonFatal            = "stopped_after_fatal_error"
)

// Options tune a Sender. Zero values take the defaults in brackets.
type Options struct {
	BatchSize         int           // events per request [Client.MaxBatch()]
	Concurrency       int           // requests in flight [1]
	RequestsPerMinute int           // client-side rate limit, retries included [unlimited]
	MaxAttempts       int           // tries per request [10]
	BaseDelay         time.Duration // first backoff [1s]
	MaxDelay          time.Duration // backoff cap [2m]
	MaxSplits         int           // extra requests to isolate bad events, per batch [64]
	Grace             time.Duration // how long in-flight requests may finish after a stop [30s]
	Now               func() time.Time
	// Sleep waits d or until ctx ends; tests replace it to run backoff
	// schedules instantly and record them.
	Sleep func(ctx context.Context, d time.Duration) error
	// Observer, when set, hears every batch before and after it is sent
	// (the ledger records both so a crash in between is recoverable).
	Observer Observer
	// Logger hears each batch's outcome and each retry at debug level,
	// with counts, request ids and causes only. nil: silent.
	Logger *slog.Logger
}

// Outcome is what became of a batch that was sent.
type Outcome int

// The outcomes of a sent batch.
const (
	Accepted    Outcome = iota + 1
	Rejected            // the batch failed as a whole (retries exhausted, count mismatch)
	Quarantined         // the platform refused these events; they were isolated
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
// Accepted + Rejected + Quarantined + Unsent.
type Result struct {
	Platform    identifier.Platform
	Given       int
	Accepted    int
	Requests    int // requests that got an answer, retries included
	Retries     int
	Quarantined map[string]int // pre-flight and isolated events, by reason
	Rejected    map[string]int // whole batches that failed, by reason
	Unsent      int            // never sent: the run was stopped or a fatal error came first
	RequestIDs  []string
	Fatal       error // the error that stopped every send, if any
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

	mu     sync.Mutex
	result Result
	closed bool
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
		result:  Result{Platform: c.Platform(), Quarantined: map[string]int{}, Rejected: map[string]int{}},
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
		s.count(func(r *Result) { r.Quarantined[reason]++ })
		if s.opt.Observer != nil {
			if err := s.opt.Observer.Quarantined(s.client.Platform(), c, reason); err != nil {
				s.fatal(fmt.Errorf("record quarantined event: %w", err), 0)
			}
		}
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

// stopped: the run was interrupted or a fatal error happened.
func (s *Sender) stopped() bool {
	if s.ctx.Err() != nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.result.Fatal != nil
}

// Close sends the last partial batch (unless stopped) and waits for every
// request to finish. It returns the fatal error, if one stopped the sends.
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
	r.Quarantined = copyMap(r.Quarantined)
	r.Rejected = copyMap(r.Rejected)
	r.RequestIDs = append([]string(nil), r.RequestIDs...)
	return r
}

func copyMap(m map[string]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
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
		budget := s.opt.MaxSplits
		s.sendOrIsolate(batch, &budget)
	}
}

// sendOrIsolate sends batch; when the platform rejects its content, it
// splits the batch in halves to find the events at fault, within budget
// extra requests, and quarantines them so the rest goes through.
func (s *Sender) sendOrIsolate(batch []*conversion.Conversion, budget *int) {
	err := s.sendWithRetry(batch)
	var de *Error
	if err == nil || !errors.As(err, &de) || de.Kind != Invalid {
		return
	}
	switch {
	case len(batch) == 1:
		s.count(func(r *Result) { r.Quarantined[ReasonRejected]++ })
		s.observeSent(batch, "", Quarantined, ReasonRejected)
	case *budget < 2:
		s.count(func(r *Result) { r.Quarantined[ReasonUnisolated] += len(batch) })
		s.observeSent(batch, "", Quarantined, ReasonUnisolated)
	default:
		*budget -= 2
		mid := len(batch) / 2
		s.sendOrIsolate(batch[:mid], budget)
		s.sendOrIsolate(batch[mid:], budget)
	}
}

// sendWithRetry sends one request, retrying transient failures. It does the
// counting for every outcome except Invalid, which its caller handles.
func (s *Sender) sendWithRetry(batch []*conversion.Conversion) error {
	if err := s.observeSending(batch); err != nil {
		s.fatal(err, len(batch))
		return err
	}
	for attempt := 1; ; attempt++ {
		if s.stopped() {
			s.count(func(r *Result) { r.Unsent += len(batch) })
			return s.ctx.Err()
		}
		if s.limiter != nil {
			if err := s.limiter.Wait(s.ctx); err != nil {
				s.count(func(r *Result) { r.Unsent += len(batch) })
				return err
			}
		}
		rec, err := s.client.Send(s.flight, batch)
		if err == nil {
			s.count(func(r *Result) {
				r.Requests++
				if rec.RequestID != "" {
					r.RequestIDs = append(r.RequestIDs, rec.RequestID)
				}
			})
			if rec.Accepted != len(batch) {
				s.count(func(r *Result) { r.Rejected[ReasonCountMismatch] += len(batch) })
				s.observeSent(batch, rec.RequestID, Rejected, ReasonCountMismatch)
				return nil
			}
			s.count(func(r *Result) { r.Accepted += len(batch) })
			s.logf("batch accepted", "events", len(batch), "request_id", rec.RequestID, "attempt", attempt)
			s.observeSent(batch, rec.RequestID, Accepted, "")
			return nil
		}
		de := classify(err)
		if de.Status != 0 || de.Code != "" {
			s.count(func(r *Result) { r.Requests++ })
		}
		switch {
		case s.flight.Err() != nil:
			// Abandoned after the grace period: the outcome is unknown; the
			// event ids make a later resend harmless.
			s.count(func(r *Result) { r.Unsent += len(batch) })
			return err
		case de.Kind == Invalid:
			return de
		case de.Kind == Fatal:
			s.fatal(de, len(batch))
			return de
		case attempt >= s.opt.MaxAttempts:
			reason := ReasonRetriesExhausted
			cause := fmt.Sprintf("%s, after %d attempts", Cause(de), attempt)
			s.count(func(r *Result) { r.Rejected[reason] += len(batch); r.Cause = cause })
			s.observeSent(batch, "", Rejected, reason)
			return de
		}
		cause := Cause(de)
		s.count(func(r *Result) { r.Retries++; r.Cause = cause })
		s.logf("request failed; retrying", "attempt", attempt, "cause", cause)
		if err := s.opt.Sleep(s.ctx, s.backoff(attempt, de.RetryAfter)); err != nil {
			s.count(func(r *Result) { r.Unsent += len(batch) })
			return err
		}
	}
}

// logf logs at debug level with the platform.
func (s *Sender) logf(msg string, args ...any) {
	s.opt.Logger.Debug(msg, append([]any{"destination", s.client.Platform().String()}, args...)...)
}

func (s *Sender) fatal(err error, n int) {
	s.count(func(r *Result) {
		if r.Fatal == nil {
			r.Fatal = err
			r.Cause = Cause(err)
		}
		r.Rejected[ReasonFatal] += n
	})
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
		s.fatal(fmt.Errorf("record batch after sending: %w", err), 0)
	}
}

// classify turns any error from Send into an *Error: a Client's own
// classification, else network failures are Retryable and anything else
// Fatal (an unknown failure must not be hammered).
func classify(err error) *Error {
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, context.DeadlineExceeded) {
		return &Error{Kind: Retryable, Err: err}
	}
	return &Error{Kind: Fatal, Err: err}
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
