package destination

import (
	"fmt"
	"slices"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/platform"
)

// Bisection: a batch the platform refuses as a whole is split until the
// events at fault stand alone (Meta names none; Google names them, and then
// no split is needed), and a fault every event shares stops the
// destination instead (the systemic guard).

// sendOrIsolate sends batch; when the platform blames some of its events
// it isolates them. first marks a batch as the Sender formed it (not a
// part of one), where the systemic guard applies. superseded are refused
// requests whose events go on in batch, answered just before it is
// recorded (sendWithRetry).
func (s *Sender) sendOrIsolate(batch []*conversion.Conversion, budget *int, first bool, superseded ...refused) {
	if sent, de := s.sendWithRetry(batch, superseded...); de != nil {
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
// sit in different halves from stopping a destination every night. An
// event the platform refused alone on an earlier night
// (Options.RefusedBefore) is no such evidence: named, it does not count
// toward "every event"; a probe takes the half's first other event, and
// when both probes are such events isolation goes on. (A review of the
// morning: a night left with only two such events to send stopped Meta as
// a configuration fault, exit 1.) One fresh probe refused alike beside a
// half of known events still stops: known events are old visits, at the
// top of the export, so they fill the first half together — requiring two
// fresh probes let a fault of every fresh event be quarantined event by
// event, and held back quietly the nights after (a review of that fix).
func (s *Sender) isolate(batch []*conversion.Conversion, de *Error, budget *int, first bool) {
	if de.Action == platform.Quarantine {
		named := map[int]EventFault{}
		for _, f := range de.Events {
			if _, seen := named[f.Index]; !seen && f.Index >= 0 && f.Index < len(batch) {
				named[f.Index] = f
			}
		}
		if len(named) > 0 {
			if first && len(named) == len(batch) && s.fresh(batch) >= 2 && sameFault(de.Events) {
				s.systemic(de, len(batch), refused{batch, de})
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
			s.goOn(rest, budget, false, refused{batch, de})
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
		if !de.arrived { // else left open: an attempt may have been ingested
			s.observeSent(batch, de.TraceID, Quarantined, ReasonUnisolated)
		}
	default:
		*budget -= 2
		mid := len(batch) / 2
		a, b := batch[:mid], batch[mid:]
		// The batch's request is answered just before the second half's
		// is recorded: by then each of its events has a later request,
		// or was set aside, or the destination stopped first.
		if !first {
			s.sendOrIsolate(a, budget, false)
			s.sendOrIsolate(b, budget, false, refused{batch, de})
			return
		}
		a, ea := s.sendWithRetry(a)
		b, eb := s.sendWithRetry(b, refused{batch, de})
		switch {
		case ea != nil && len(b) == 0:
			// recheck set the other half aside whole (counted): this
			// half is all that is left of the batch, and the guard still
			// applies to it.
			s.isolate(a, ea, budget, true)
			return
		case eb != nil && len(a) == 0:
			s.isolate(b, eb, budget, true)
			return
		case ea == nil || eb == nil || ea.signature() != eb.signature():
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
		oneA, pa, restA := s.probe(a, ea)
		oneB, pb, restB := s.probe(b, eb)
		switch {
		case len(oneA) == 0 && pb != nil:
			// recheck set the first half aside whole while probing
			// (counted): what is left of the second keeps the guard.
			s.leftAlone(a, ea, b, eb, oneB, pb, restB, budget)
			return
		case len(oneB) == 0 && pa != nil:
			s.leftAlone(b, eb, a, ea, oneA, pa, restA, budget)
			return
		}
		if pa != nil && pb != nil && pa.signature() == ea.signature() && pb.signature() == ea.signature() && s.fresh(oneA)+s.fresh(oneB) >= 1 {
			// What was last sent of each event: the halves, and the
			// probes, requests of their own unless a half was one event.
			// recheck may have set events aside since the whole went,
			// and while probing (quarantined and counted then): what is
			// not sent is the probes and what is left after them.
			answer := append(withProbe(a, ea, oneA, pa), withProbe(b, eb, oneB, pb)...)
			s.systemic(ea, len(oneA)+len(restA)+len(oneB)+len(restB), answer...)
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
		s.goOn(restA, budget, false, supersededBy(a, ea, oneA)...)
		s.goOn(restB, budget, false, supersededBy(b, eb, oneB)...)
	}
}

// leftAlone goes on with a first split whose half gone was set aside
// whole by recheck while the probes went (its events quarantined and
// counted): what is left of the other half — its probe one, refused with
// perr, and the events after it, rest; those before it were set aside too
// — keeps the systemic guard. It is isolated as a first batch: the probe
// alone when nothing follows it, else a new request of what is left —
// never the half as sent, whose set-aside events were counted already,
// nor under the half's old request, even when probing left it whole (one
// more request, so that the new one's row is its events' latest). Each
// request refused and not isolated is answered resent.
func (s *Sender) leftAlone(gone []*conversion.Conversion, egone *Error, half []*conversion.Conversion, ehalf *Error,
	one []*conversion.Conversion, perr *Error, rest []*conversion.Conversion, budget *int) {
	s.resent(gone, egone, s.stopped())
	if len(rest) == 0 {
		s.isolate(one, perr, budget, true)
		s.goOn(nil, budget, true, supersededBy(half, ehalf, one)...)
		return
	}
	// What is left goes on as a new request, the probe and the half
	// answered just before it is recorded: its row is then the newest of
	// its events (the half isolated as sent, as this did when probing
	// left it whole, left the probe's answer newer than whatever became
	// of its first event), and no key of the ledger's Recorder is open
	// twice — the new request holds the probe's conversion first
	// (bisected, it may send it alone, under the probe's key;
	// TestSenderInvariantsUnderRandomAnswers, seed 6678), and when
	// probing left the half whole it is the half again, under its key.
	s.sendOrIsolate(append(one[:1:1], rest...), budget, true, refused{one, perr}, refused{half, ehalf})
}

// fresh counts the events of batch the platform has not refused alone
// before (Options.RefusedBefore): those whose refusal tonight tells
// something about the configuration.
func (s *Sender) fresh(batch []*conversion.Conversion) int {
	if s.opt.RefusedBefore == nil {
		return len(batch)
	}
	n := 0
	for _, c := range batch {
		if !s.opt.RefusedBefore(c) {
			n++
		}
	}
	return n
}

// refused is a request the platform refused, with its answer.
type refused struct {
	batch []*conversion.Conversion
	err   *Error
}

// withProbe is what was last sent of half's events after probe(half)
// gave one: the half's request and the probe's — one request when the
// half was that one event (its own probe, not sent again).
func withProbe(half []*conversion.Conversion, ehalf *Error, one []*conversion.Conversion, perr *Error) []refused {
	if isProbe(half, one) {
		return []refused{{half, ehalf}}
	}
	return []refused{{half, ehalf}, {one, perr}}
}

// supersededBy is half, refused with ehalf, when its events go on in its
// probe one and the events after it — nothing when half was its own probe.
func supersededBy(half []*conversion.Conversion, ehalf *Error, one []*conversion.Conversion) []refused {
	if isProbe(half, one) {
		return nil
	}
	return []refused{{half, ehalf}}
}

// goOn sends what is left of refused requests, rest, answering them just
// before rest is recorded — or at once when nothing is left (their events
// were set aside, named, or went on in a probe).
func (s *Sender) goOn(rest []*conversion.Conversion, budget *int, first bool, superseded ...refused) {
	if len(rest) > 0 {
		s.sendOrIsolate(rest, budget, first, superseded...)
		return
	}
	stopped := s.stopped()
	for _, r := range superseded {
		s.resent(r.batch, r.err, stopped)
	}
}

// isProbe: half is its own probe one (a half of one event).
func isProbe(half, one []*conversion.Conversion) bool {
	return len(half) == 1 && len(one) == 1 && half[0] == one[0]
}

// probe sends the first event of half that recheck leaves, alone: one is
// what was sent, de its fault, rest the events after it (those before it
// were set aside, and counted). A half of one event, refused with ehalf,
// is its own probe: sent again alone it would be the same request. An
// event the platform refused alone before (Options.RefusedBefore) tells
// nothing by being refused again, so the half's first fresh event goes
// first when there is one (a copy of half: the request refused keeps its
// events as sent).
func (s *Sender) probe(half []*conversion.Conversion, ehalf *Error) (one []*conversion.Conversion, de *Error, rest []*conversion.Conversion) {
	if len(half) == 1 {
		return half, ehalf, nil
	}
	if s.opt.RefusedBefore != nil && s.opt.RefusedBefore(half[0]) {
		for i, c := range half[1:] {
			if !s.opt.RefusedBefore(c) {
				half = slices.Concat(half[i+1:i+2], half[:i+1], half[i+2:])
				break
			}
		}
	}
	for len(half) > 0 {
		one, de = s.sendWithRetry(half[:1])
		half = half[1:]
		if len(one) > 0 {
			return one, de, half
		}
	}
	return nil, nil, nil
}

// resent answers a request the platform refused, whose events went on in
// other requests (ReasonResent) — unless an attempt of it may have
// arrived, which leaves it open, possibly ingested (ledger.Unconfirmed).
// Nothing is counted: each event is counted by its last request. It is
// answered just before the last request that takes its events on is
// recorded; when the destination stopped before that one was, as
// stopped: the request may then be the last of some of its events (that
// one, or an earlier sibling, cut before it was recorded), and "stopped"
// is what the run reports of them. So no event's latest request in the
// ledger is one answered resent. (When none was cut — the last one's
// events all set aside, its siblings sent — "stopped" is only the
// request's own label: every event of it has a later row.)
func (s *Sender) resent(batch []*conversion.Conversion, de *Error, stopped bool) {
	switch {
	case len(batch) == 0 || de.arrived:
	case stopped:
		s.observeSent(batch, de.TraceID, Rejected, ReasonStopped)
	default:
		s.observeSent(batch, de.TraceID, Rejected, ReasonResent+":"+de.faultReason())
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

// systemic stops the destination: the same fault on every event. unsent
// of its events are counted not sent, and the requests that last carried
// them (answer: the batch, or what isolation sent of it) answered as
// stopped — each unless an attempt of it may have arrived.
func (s *Sender) systemic(de *Error, unsent int, answer ...refused) {
	stop := *de
	stop.Action, stop.Events, stop.Reason = platform.StopDestination, nil, de.faultReason()
	if len(de.Events) > 0 {
		stop.Field = "events[*]." + de.Events[0].Field
	}
	stop.Fix = "every event failed with the same reason at the same field, so the cause is the configuration (or hashgate), not the data: no event was quarantined for it; fix it and run again"
	if de.Fix != "" {
		stop.Fix = de.Fix + "; " + stop.Fix
	}
	s.stop(&stop, nil, false)
	s.count(func(r *Result) { r.Unsent += unsent })
	for _, r := range answer {
		if !r.err.arrived {
			s.observeSent(r.batch, r.err.TraceID, Rejected, ReasonStopped+":"+de.faultReason())
		}
	}
}
