package destination

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// Recording: what a request's answer means for its events — accepted,
// validated (a test run), quarantined, rejected, not sent — told to the
// Observer (the ledger's recorder) and counted in the Result.

// quarantine sets one event aside with a reason, before or after a request.
func (s *Sender) quarantine(c *conversion.Conversion, reason string) {
	s.count(func(r *Result) { r.Quarantined[reason]++ })
	if s.opt.Observer != nil {
		if err := s.opt.Observer.Quarantined(s.client.Platform(), c, reason); err != nil {
			s.stop(ledgerStop(fmt.Errorf("record quarantined event: %w", err)), nil, false)
		}
	}
}

// received counts an answer of yes; the first opens the gate. arrived: an
// earlier attempt of the request may have reached the platform.
func (s *Sender) received(batch []*conversion.Conversion, rec Receipt, arrived bool) {
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
	case rec.Accepted != len(batch) && (rec.Test || rec.Accepted == 0 && !arrived):
		// Nothing of it counts: a test run's, or the platform says it
		// took none (and no earlier attempt of it may have arrived).
		// Refused; sent again, it cannot count twice.
		s.count(func(r *Result) { r.Rejected[ReasonCountMismatch] += len(batch) })
		s.observeSent(batch, rec.RequestID, Rejected, ReasonCountMismatch)
	case rec.Accepted != len(batch):
		// Counted rejected, but left open in the ledger, as a timeout
		// is: the platform took some of the batch and did not say
		// which (or gave a count that means nothing), so each event may
		// have been ingested (recorded refused, a later night would
		// resend them past Meta's deduplication window, and the ones
		// taken would count twice).
		s.count(func(r *Result) { r.Rejected[ReasonCountMismatch] += len(batch) })
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

// Refuse stops the destination before it sends anything, with err as its
// fatal error (a setting a person must fix first): every conversion it is
// given is counted not sent, and the next run takes them.
func (s *Sender) Refuse(err error) {
	s.stop(&Error{Action: platform.StopDestination, Reason: "refused before sending", Message: err.Error(), Err: err}, nil, false)
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

// ledgerStop is the stop of a run whose ledger could not record: its
// words are hashgate's own (which ledger, what happened to it, what to
// do), not a platform's, and go whole into Message. As Err alone they went
// through Scrub, made for a platform's text, which turned any run of 32
// path characters or of 8 digits into "…" and cut the text at MaxMessage:
// "ledger … was deleted while this run had it open" told a cron user
// neither which ledger nor the end of what to do (a flake of
// TestALedgerDeletedMidRunStopsTheRun, session 23). The ledger holds
// hashed event ids and no credential, so its text has nothing to scrub.
func ledgerStop(err error) *Error {
	return &Error{Action: platform.StopRun, Reason: "ledger", Message: err.Error(), Err: err}
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
		s.stop(ledgerStop(fmt.Errorf("record batch after sending: %w", err)), nil, false)
	}
}
