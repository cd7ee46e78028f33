// Package reconcile reads the platforms' processing verdicts on requests
// they ingested and records them in the ledger, per event, on the
// platform's own polling schedule.
//
// An ingest that succeeds means only that the platform took the request.
// Google processes it afterwards and publishes, between about 30 minutes
// and 24 hours later, a status per request: PROCESSING, then SUCCESS,
// PARTIAL_SUCCESS or FAILED, with error and warning counts by reason and,
// since Data Manager v1.9, the 0-based positions of the records concerned.
// The ledger keeps every request's event ids in batch order, so each
// position maps back to one event id.
//
// A pass (Run) is one-shot, as befits cron: it reads the status of every
// ingested request that is due by the schedule — never before First after
// its ingest, then after waits growing by Factor up to MaxWait — and
// stops reading a request at GiveUp, recording that no verdict came. It
// stays within the platform's read quota and an optional time budget;
// whatever it does not reach stays due for the next pass. Nothing here
// decides what is resent: the ledger leaves events that failed with a
// retryable reason out of what it calls done, and the next upload sends
// them.
package reconcile

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
)

// Poller reads a request's processing verdict (google.Client.Processing).
// sentTo are the platform's destinations the request named, in order, as
// the ledger recorded them (ledger.Unpolled.SentTo; nil: not recorded):
// the verdict is judged against what the request was sent to, not
// against the config of the night it is read.
type Poller interface {
	Processing(ctx context.Context, requestID string, sentTo []string) (destination.Processing, error)
}

// Source is one platform that reports processing.
type Source struct {
	// Platform is the destination keys' platform part (the Spec's Name).
	Platform string
	Poller   Poller
	Schedule destination.PollSchedule
}

// Limiter paces status reads; *rate.Limiter is one.
type Limiter interface {
	Wait(ctx context.Context) error
}

// Options configure a pass.
type Options struct {
	Ledger  *ledger.Ledger
	Sources []Source
	// Now is the clock the schedule is read against.
	Now func() time.Time
	// Budget bounds the pass's wall time (0: none). A nightly upload
	// reconciles earlier runs first and must still leave time to upload.
	Budget time.Duration
	// Limiters, per platform, override the read-quota limiter (tests).
	Limiters map[string]Limiter
	Logger   *slog.Logger
}

// Result counts what a pass did.
type Result struct {
	Read     int // status reads made
	Final    int // requests whose verdict became final
	Pending  int // read, still processing: read again later
	NotDue   int // not due yet by the schedule
	GaveUp   int // no verdict within the platform's window
	Left     int // due, but not read: the budget or the quota ran out
	Failures int // reads that failed (network, 5xx); read again next pass
	// FirstFailure is the first failed read's error, through the answer
	// gate: the caller's one line about the failures says why with it.
	FirstFailure string
	// BadAnswers are reads whose answer the gate refused
	// (destination.GateProcessing: a count or index outside the request,
	// a status outside the platform's set); nothing of them is recorded,
	// and the request is read again next pass until the platform's window
	// ends.
	BadAnswers int
	// Runs are the runs whose requests were read, oldest first.
	Runs []string
}

// Lookback is how far back a pass looks for requests without a final
// verdict: the platform's window plus a day, so a nightly run that starts
// late still records a verdict for the night before, or that none came.
func Lookback(s destination.PollSchedule) time.Duration { return s.GiveUp + 24*time.Hour }

// Run makes one pass over every source.
func Run(ctx context.Context, o Options) (Result, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	var res Result
	start := o.Now()
	if o.Budget > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Budget)
		defer cancel()
	}
	seen := map[string]bool{}
	for _, src := range o.Sources {
		lim := o.Limiters[src.Platform]
		if lim == nil {
			per := max(src.Schedule.ReadsPerMinute, 1)
			lim = rate.NewLimiter(rate.Limit(float64(per)/60), min(per, 10))
		}
		due, err := o.Ledger.Unpolled(ctx, src.Platform, start.Add(-Lookback(src.Schedule)))
		if err != nil {
			return res, err
		}
		for i, u := range due {
			now := o.Now()
			age := now.Sub(u.At)
			when := u.Next
			if u.Polls == 0 {
				when = u.At.Add(src.Schedule.First)
			}
			if now.Before(when) && age < src.Schedule.GiveUp {
				res.NotDue++
				continue
			}
			if o.Budget > 0 && now.Sub(start) >= o.Budget || ctx.Err() != nil {
				res.Left += countDue(due[i:], now, src.Schedule)
				o.Logger.Info("reconcile: time budget spent; the rest is read next time", "platform", src.Platform, "left", res.Left)
				break
			}
			if err := lim.Wait(ctx); err != nil {
				res.Left += countDue(due[i:], now, src.Schedule)
				break
			}
			stop, err := read(ctx, o, src, u, &res)
			if err != nil {
				return res, err
			}
			if !seen[u.RunID] {
				seen[u.RunID] = true
				res.Runs = append(res.Runs, u.RunID)
			}
			if stop {
				if ctx.Err() != nil {
					res.Left++ // the read the budget cut short
				}
				res.Left += countDue(due[i+1:], now, src.Schedule)
				break
			}
		}
	}
	return res, nil
}

// read reads one request's status and records it. stop is true when the
// platform asks to stop reading for now (quota); err is fatal
// (credentials, permissions, the ledger).
func read(ctx context.Context, o Options, src Source, u ledger.Unpolled, res *Result) (stop bool, err error) {
	v, err := src.Poller.Processing(ctx, u.RequestID, u.SentTo)
	// The one gate for verdicts and errors, before the ledger or a log
	// sees any of it.
	p, perr := platform.Parse(src.Platform)
	if perr != nil {
		return true, perr
	}
	if err == nil {
		v, err = destination.GateProcessing(p.Spec(), v, u.Events)
	} else {
		err = destination.GateError(p.Spec(), err)
	}
	now := o.Now()
	res.Read++
	poll := ledger.Poll{Request: u.ID, At: now}
	switch {
	case errors.Is(err, destination.ErrBadAnswer):
		res.BadAnswers++
		o.Logger.Warn("reconcile: the platform's status answer was refused as inconsistent with the request; nothing recorded from it", "platform", src.Platform, "request_id", u.RequestID, "events", u.Events, "err", err)
		if now.Sub(u.At) < src.Schedule.GiveUp {
			return false, nil
		}
		poll.Verdict = destination.Processing{Status: ledger.ProcessingGaveUp, Final: true, Records: -1}
		res.GaveUp++
	case errors.Is(err, destination.ErrNoVerdict):
		poll.Verdict = destination.Processing{Status: ledger.ProcessingNoVerdict, Final: true, Records: -1}
		res.Final++
	case Fatal(err):
		return true, fmt.Errorf("reading processing status of request %s: %w", u.RequestID, err)
	case err != nil:
		if ctx.Err() != nil {
			return true, nil // the budget ran out mid-read: not the platform's failure
		}
		res.Failures++
		if res.FirstFailure == "" {
			res.FirstFailure = err.Error()
		}
		// Info, not Warn: every caller says the failures in one plain
		// line (Failures, FirstFailure); at the default level a line per
		// read repeated it in the cron mail.
		o.Logger.Info("reconcile: status read failed; read again next time", "platform", src.Platform, "request_id", u.RequestID, "err", err)
		// A 429 means the read quota is spent: stop this platform.
		var de *destination.Error
		return errors.As(err, &de) && de.Status == 429, nil
	case v.Final:
		for i := range v.Errors {
			if v.Errors[i].Records < 0 {
				// A FAILED request without counts and without a record
				// count: every event of the request failed.
				v.Errors[i].Records = int64(u.Events)
			}
		}
		poll.Verdict = v
		res.Final++
	case now.Sub(u.At) >= src.Schedule.GiveUp:
		poll.Verdict = destination.Processing{Status: ledger.ProcessingGaveUp, Final: true, Records: v.Records}
		res.GaveUp++
	default:
		poll.Verdict = v
		poll.Next = now.Add(src.Schedule.Wait(u.Polls + 1))
		// Never schedule past the window: the last read falls on it.
		if end := u.At.Add(src.Schedule.GiveUp); poll.Next.After(end) {
			poll.Next = end
		}
		res.Pending++
	}
	if err := o.Ledger.RecordPoll(context.WithoutCancel(ctx), poll); err != nil {
		return true, err
	}
	return false, nil
}

func countDue(rest []ledger.Unpolled, now time.Time, s destination.PollSchedule) int {
	n := 0
	for _, u := range rest {
		when := u.Next
		if u.Polls == 0 {
			when = u.At.Add(s.First)
		}
		if !now.Before(when) || now.Sub(u.At) >= s.GiveUp {
			n++
		}
	}
	return n
}

// Fatal reports whether a status read failed for a reason no later read
// in this pass can overcome — credentials, permissions, configuration —
// as the platform's error table classifies it for sending.
func Fatal(err error) bool {
	var de *destination.Error
	return errors.As(err, &de) && de.Action == platform.StopRun
}
