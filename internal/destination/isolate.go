package destination

import (
	"fmt"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// Bisection: a batch the platform refuses as a whole is split until the
// events at fault stand alone (Meta names none; Google names them, and then
// no split is needed), and a fault every event shares stops the
// destination instead (the systemic guard).

// sendOrIsolate sends batch; when the platform blames some of its events
// it isolates them. first marks a batch as the Sender formed it (not a
// part of one), where the systemic guard applies.
func (s *Sender) sendOrIsolate(batch []*conversion.Conversion, budget *int, first bool) {
	if sent, de := s.sendWithRetry(batch); de != nil {
		s.isolate(sent, de, budget, first)
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
				s.systemic(de, batch)
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
		a, ea := s.sendWithRetry(a)
		b, eb := s.sendWithRetry(b)
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
		oneA, pa := s.sendWithRetry(a[:1])
		oneB, pb := s.sendWithRetry(b[:1])
		if pa != nil && pb != nil && pa.signature() == ea.signature() && pb.signature() == ea.signature() {
			// The halves as they were last sent: recheck may have set
			// events aside since the whole went (quarantined and counted
			// then), and their requests are the latest recorded for
			// these events — the whole's is left unanswered, as any
			// request isolation went past.
			s.systemic(ea, a, b)
			return
		}
		for _, probe := range []struct {
			one []*conversion.Conversion
			err *Error
		}{{oneA, pa}, {oneB, pb}} {
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

// systemic stops the destination: the same fault on every event. The
// parts are what was last sent of the events (the batch, or the halves of
// its first split), each counted not sent and answered as stopped.
func (s *Sender) systemic(de *Error, parts ...[]*conversion.Conversion) {
	stop := *de
	stop.Action, stop.Events, stop.Reason = platform.StopDestination, nil, de.faultReason()
	if len(de.Events) > 0 {
		stop.Field = "events[*]." + de.Events[0].Field
	}
	stop.Fix = "every event failed with the same reason at the same field, so the cause is the configuration (or hashgate), not the data: no event was quarantined for it; fix it and run again"
	if de.Fix != "" {
		stop.Fix = de.Fix + "; " + stop.Fix
	}
	s.stop(&stop, parts[0], true)
	for _, p := range parts[1:] {
		s.count(func(r *Result) { r.Unsent += len(p) })
		s.observeSent(p, de.TraceID, Rejected, ReasonStopped+":"+stop.faultReason())
	}
}
