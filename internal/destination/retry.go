package destination

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// Retries and their budget: which answers are tried again, how long to
// wait (backoff, the platform's Retry-After), the per-destination budget a
// nightly run must end within, and the first-request gate under which one
// request goes alone until the destination has answered once.

// sendWithRetry sends one request, retrying transient failures within the
// retry budget. It does the counting for every outcome except an event
// fault (Quarantine, Bisect), which it returns for isolate. sent is the
// batch as it was last sent, or was to be: recheck may have set events
// aside (quarantined and counted) since it was given, and the platform's
// event indexes number the request it answered. sent is empty only when
// recheck set every event aside and nothing was left to send.
//
// superseded are refused requests whose events go on in this one: they
// are answered (resent) just before it is recorded, or as stopped when
// the destination stopped first — so that no event's latest request in
// the ledger is one answered resent, and no key of the ledger's Recorder
// is open twice (this request may be one of theirs again, under its key).
func (s *Sender) sendWithRetry(batch []*conversion.Conversion, superseded ...refused) (sent []*conversion.Conversion, _ *Error) {
	if batch = s.recheck(batch); len(batch) == 0 {
		s.answerSuperseded(superseded, s.stopped())
		return nil, nil
	}
	if s.stopped() {
		s.count(func(r *Result) { r.Unsent += len(batch) })
		s.answerSuperseded(superseded, true)
		return batch, nil
	}
	// Before it is recorded: it may be one of theirs again, under its key.
	// Should recording it fail, the run stops on the ledger's error, and
	// their resent answer is the latest row of its events (a review of
	// 2f712a9): a label in a ledger that failed to write, never a resend
	// withheld — a rejected row settles nothing (ledger.Unconfirmed).
	s.answerSuperseded(superseded, false)
	if err := s.observeSending(batch); err != nil {
		s.stop(ledgerStop(err), batch, false)
		return batch, nil
	}
	// arrived: an attempt may have reached the platform and no answer
	// came back (a timeout, a connection lost after the request was
	// written). Such a request, ended by exhausted retries or the retry
	// budget, is left unanswered in the ledger as a crash leaves it:
	// possibly ingested (ledger.Unconfirmed), never recorded as refused.
	arrived := false
	lastTrace := "" // the last refusal's trace id
	for attempt := 1; ; attempt++ {
		if s.stopped() {
			s.cut(batch, arrived)
			return batch, nil
		}
		if attempt > 1 {
			// Re-check every attempt: time passed, and an event that was
			// inside the platform's window may no longer be.
			if fresh := s.recheck(batch); len(fresh) != len(batch) {
				// A new request: the one refused is answered (unless an
				// attempt of it may have arrived), so that the ledger
				// does not hold its events as possibly ingested.
				if !arrived {
					s.observeSent(batch, lastTrace, Rejected, ReasonResent)
				}
				arrived, lastTrace = false, ""
				if batch = fresh; len(batch) == 0 {
					return nil, nil
				}
				if err := s.observeSending(batch); err != nil {
					s.stop(ledgerStop(err), batch, false)
					return batch, nil
				}
			}
		}
		if s.limiter != nil {
			if err := s.limiter.Wait(s.ctx); err != nil {
				s.cut(batch, arrived)
				return batch, nil
			}
		}
		start := s.opt.Now()
		rec, err := s.client.Send(s.flight, batch)
		spec := s.client.Platform().Spec()
		if err == nil {
			if gateAnswer(spec, len(batch), &rec, nil) {
				s.count(func(r *Result) { r.BadAnswers++ })
			}
			s.received(batch, rec, arrived)
			return batch, nil
		}
		de := classify(err)
		// A stopping answer is judged by the attempts before it and by
		// itself only when it does not prove refusal (a 5xx): a 4xx
		// refused this one, and an error with no answer that stops (Meta's
		// own, before anything is written) delivered nothing.
		arrivedBefore := arrived || answerUnproven(de)
		arrived = arrived || mayHaveArrived(err, de)
		bad := gateAnswer(spec, len(batch), nil, de)
		s.count(func(r *Result) {
			if bad {
				r.BadAnswers++
			}
			if de.Status != 0 || de.Code != "" {
				r.Requests++
			}
			if de.UserTitle != "" || de.UserMsg != "" {
				r.Messages[strings.TrimSpace(de.Code+" "+de.UserTitle+": "+de.UserMsg)]++
			}
		})
		switch {
		case s.flight.Err() != nil:
			// Abandoned after the grace period, in flight: the outcome is
			// unknown (unanswered, left open); the event ids make a later
			// resend harmless.
			s.count(func(r *Result) { r.Rejected[ReasonUnanswered] += len(batch) })
			return batch, nil
		case de.Action == platform.Quarantine, de.Action == platform.Bisect:
			// isolate answers the request; not refused if an earlier
			// attempt may have arrived.
			refused := *de
			refused.arrived = arrived
			return batch, &refused
		case de.Action.Stops():
			s.stopSent(de, batch, arrivedBefore)
			return batch, nil
		case attempt >= s.opt.MaxAttempts:
			cause := fmt.Sprintf("%s, after %d attempts", Cause(de), attempt)
			reason := ReasonRetriesExhausted
			if arrived {
				reason = ReasonUnanswered
			}
			s.count(func(r *Result) { r.Rejected[reason] += len(batch); r.Cause = cause })
			if !arrived {
				s.observeSent(batch, "", Rejected, ReasonRetriesExhausted)
			}
			return batch, nil
		}
		d := s.backoff(attempt, de.RetryAfter)
		if !s.spend(s.opt.Now().Sub(start) + d) {
			s.stopSent(s.budgetSpent(de), batch, arrived)
			return batch, nil
		}
		cause := Cause(de)
		lastTrace = de.TraceID
		s.count(func(r *Result) { r.Retries++; r.Cause = cause })
		s.logf("request failed; retrying", "attempt", attempt, "cause", cause)
		if err := s.opt.Sleep(s.ctx, d); err != nil {
			s.cut(batch, arrived)
			return batch, nil
		}
	}
}

func (s *Sender) answerSuperseded(superseded []refused, stopped bool) {
	for _, r := range superseded {
		s.resent(r.batch, r.err, stopped)
	}
}

// cut ends a recorded request the destination's stop ended before its
// next attempt. When an attempt of it may have arrived it is counted
// unanswered (ReasonUnanswered) and left open: the platform may hold its
// events, and "not sent" would tell the analyst otherwise (a review of the
// morning: requests that timed out were reported "40 not sent, 0
// requests" while the platform had taken them). Otherwise it is counted
// not sent and answered refused: no attempt, or only refused ones,
// delivered nothing, and an open request would hold its events as
// possibly ingested.
func (s *Sender) cut(batch []*conversion.Conversion, arrived bool) {
	if arrived {
		s.count(func(r *Result) { r.Rejected[ReasonUnanswered] += len(batch) })
		return
	}
	s.count(func(r *Result) { r.Unsent += len(batch) })
	s.observeSent(batch, "", Rejected, ReasonStopped)
}

// stopSent stops the destination on de while batch, sent, has no answer
// that settles it: refused by de itself (arrived false: answered stopped),
// or after attempts that may have arrived (counted unanswered, left open).
func (s *Sender) stopSent(de *Error, batch []*conversion.Conversion, arrived bool) {
	if !arrived {
		s.stop(de, batch, true)
		return
	}
	s.stop(de, nil, false)
	s.count(func(r *Result) { r.Rejected[ReasonUnanswered] += len(batch) })
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

// backoff is exponential — BaseDelay × Multiplier^(attempt-1), capped at
// MaxDelay — with jitter: a wait in [d/2, d], so that requests refused
// together do not come back together, and none sooner than half the
// schedule (gRPC draws from (0, d]: grpc service_config.proto
// RetryPolicy). Never shorter than the platform's Retry-After.
func (s *Sender) backoff(attempt int, retryAfter time.Duration) time.Duration {
	f := float64(s.opt.BaseDelay) * math.Pow(s.opt.Multiplier, float64(attempt-1))
	d := s.opt.MaxDelay
	if f < float64(s.opt.MaxDelay) {
		d = time.Duration(f)
	}
	d = d/2 + rand.N(d/2+1)
	return max(d, retryAfter)
}

// mayHaveArrived says whether a failed attempt may have delivered its
// request: a success answer that could not be read (Meta's "unreadable
// success response"), an answer that does not prove refusal
// (answerUnproven), or no answer at all (no status, no platform code)
// from a failure that is not one of those before anything is written — a
// refused or unreachable connection, a name that does not resolve.
func mayHaveArrived(err error, de *Error) bool {
	if de.Status/100 == 2 || answerUnproven(de) {
		return true
	}
	if de.Status != 0 || de.Code != "" {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return false
	}
	var dns *net.DNSError
	return !errors.As(err, &dns)
}

// answerUnproven says whether a platform's failure answer leaves open that
// the request was processed: a 5xx, or one of Google's server statuses
// whatever the HTTP status carrying it. google/rpc/code.proto says of
// DEADLINE_EXCEEDED (504) that it "may be returned even if the operation
// has completed successfully"; UNKNOWN, INTERNAL, DATA_LOSS (500) and
// UNAVAILABLE (503) say nothing either way; Meta documents no 5xx (code
// 1, 2, a gateway's 502 or 504) as "not processed", and a live Graph
// code 2 is_transient answer came for a write that had been done (a
// public integration's regression suite, found with the search tool).
// Read as refused, such a request dated nothing and its resend went with
// the export's corrected time: another event to Meta, counted twice
// (docs/contract.md M11). ABORTED (409) is no refusal either: "typically
// due to a concurrency issue such as a sequencer check failure or
// transaction abort", to "retry at a higher level" (code.proto; AIP-194:
// not for an individual request), a transient error to retry (Data
// Manager's understand-errors page) — a conflict, perhaps with this
// request's own earlier copy still processing (the race of
// docs/contract.md G18), not a verdict on the data, and nothing says
// whether it took effect. The token endpoint's own 5xx (Code "oauth")
// came before the request was sent: it proves nothing arrived. Every
// other answer (4xx: validation, quota, throttling, credentials) is a
// refusal of the whole request.
func answerUnproven(de *Error) bool {
	if de.Code == "oauth" {
		return false
	}
	switch de.Code {
	case "DEADLINE_EXCEEDED", "UNKNOWN", "INTERNAL", "DATA_LOSS", "UNAVAILABLE", "ABORTED":
		return true
	}
	return de.Status/100 == 5
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
