package run

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/clients"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/reconcile"
	"github.com/hashgate/hashgate/internal/report"
)

// DefaultStatusBudget bounds a `hashgate status` that names no --budget:
// a platform that answers slowly, or an endpoint that trickles its answer,
// cannot hold a terminal or a cron slot (issue 22). Google's status reads
// take well under a second each, within a quota of 300 a minute; two
// minutes read a night's requests many times over.
const DefaultStatusBudget = 2 * time.Minute

// StatusRequest is one `hashgate status`.
type StatusRequest struct {
	Config *config.Config
	// RequestIDs, when set, are asked about one by one and nothing is
	// recorded; otherwise every ingested request of recent runs without a
	// final verdict is read on the platform's schedule and recorded.
	RequestIDs []string
	// Since: report runs with requests this recent; 0 is the platform's
	// polling window plus a day.
	Since time.Duration
	// Budget bounds the reads (0: none; the CLI's default is
	// DefaultStatusBudget): the reconcile pass, the request ids asked
	// about and the quality questions all stop when it is spent.
	Budget time.Duration
	JSON   bool
}

// processingReader is a client that reads processing verdicts.
type processingReader interface {
	reconcile.Poller
	PollSchedule() destination.PollSchedule
}

// Status reconciles recent runs with what the platforms did with their
// events and prints, per run and destination: processed ok, failed by
// reason, warnings by reason, still processing.
func Status(ctx context.Context, env *Env, r StatusRequest) error {
	cfg := r.Config
	if r.Budget > 0 {
		// The whole command, not only the reconcile pass: the request ids
		// asked about and Meta's quality question stop too. The pass keeps
		// its own accounting of what the budget left unread.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, r.Budget+time.Second)
		defer cancel()
	}
	if len(r.RequestIDs) > 0 {
		src, err := statusSource(ctx, env, cfg)
		if err != nil {
			return err
		}
		if src == nil {
			return &UsageError{Err: fmt.Errorf("destinations.%s is not enabled: no platform to ask", clients.StatusPlatform.Spec().Name)}
		}
		return statusOfIDs(ctx, env, r, src)
	}
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		return err
	}
	// NoUpgrade: status writes the verdicts it reads, but is a report, run
	// by hand beside the cron job's uploads: upgrading the ledger there
	// made the cron job's older hashgate refuse it.
	led, err := ledger.Open(ctx, lpath, ledger.Options{Existing: true, NoUpgrade: true, Now: env.Now, Warn: func(m string) { env.Logger.Warn(m) }, Config: env.ConfigAbs})
	if errors.Is(err, ledger.ErrLocked) {
		return &ExitError{Code: ExitLocked, Err: fmt.Errorf("%w; an upload is running: it reads the verdicts of earlier runs itself", err)}
	}
	if err != nil {
		return err
	}
	defer led.Close()
	// A ledger older than its last run is the morning's first news: the
	// next upload stops on it (ledgerbehind.go), and what it lists is the
	// backup's, not last night's.
	behind, err := LedgerBehind(ctx, env, led, lpath)
	if err != nil {
		return err
	}
	src, err := statusSource(ctx, env, cfg)
	if err != nil {
		return err
	}
	runs, note, err := reconcileRuns(ctx, env, led, src, r.Since, r.Budget, cfg)
	if err != nil {
		return err
	}
	unanswered, err := unansweredEvents(ctx, led)
	if err != nil {
		return err
	}
	last := lastUploadOrWarn(ctx, env, led)
	prev := waitingUnderPrevious(ctx, env, led, cfg)
	if r.JSON {
		b, err := json.MarshalIndent(struct {
			Runs       []report.ProcessingRun `json:"runs"`
			Unanswered int                    `json:"sent_unanswered"`
			LastUpload *LastUpload            `json:"last_upload,omitempty"`
			Previous   *PreviousWaiting       `json:"previous_secret,omitempty"`
			Note       string                 `json:"note,omitempty"`
		}{runs, unanswered, last, prev, note}, "", "  ")
		if err != nil {
			return err
		}
		if _, err = env.Out.Write(append(b, '\n')); err != nil {
			return err
		}
		return cmp.Or(behindExit(behind, lpath), refusedExit(last))
	}
	if len(runs) == 0 {
		fmt.Fprintln(env.Out, "no run in the window had events ingested")
	}
	if err := report.WriteProcessing(env.Out, runs); err != nil {
		return err
	}
	if last != nil {
		if err := last.WriteText(env.Out); err != nil {
			return err
		}
	}
	if unanswered > 0 {
		fmt.Fprintf(env.Out, "%d events sent and never answered (timed out, or the run was stopped): they may have arrived; the next upload resends those still in its export under the same event ids, to Meta only within 6 days of their request (older: check Events Manager, then upload --resend-unconfirmed; see `hashgate ledger stats`)\n", unanswered)
	}
	if prev != nil {
		fmt.Fprintf(env.Out, "%d withdrawn patient(s) and %d identifier(s) remembered only under the previous secret since %s (the newest withdrawn %s): keep %s set while any remain — each moves to the secret when its patient reappears; a patient who withdrew by then and never comes back keeps it waiting, and a second rotation stops until none remain (or `hashgate ledger unrevoke --under-previous-secret` forgets them)\n",
			prev.Patients, prev.Identifiers, prev.Since, prev.Newest, PreviousSecretEnv)
	}
	if note != "" {
		fmt.Fprintln(env.ErrOut, "hashgate status: "+note)
	}
	return cmp.Or(behindExit(behind, lpath), refusedExit(last))
}

// refusedExit is status's exit 1, after its report, for a last night that
// holds an upload refused before sending: it sent nothing, the ledger
// keeps no run of it, and the next night stops the same way until a
// person fixes what the stop names — as for a ledger behind its record,
// the morning's alert should fire. A night cut short by an outage (exit
// 1 or 3, recorded) is not: its events wait and the next upload sends
// them by itself.
func refusedExit(last *LastUpload) error {
	if last == nil {
		return nil
	}
	r := last.RefusedTonight()
	if r == nil {
		return nil
	}
	which := "the last night's upload " + r.RunID
	if !last.Refused { // one of its earlier uploads: "last upload" names another run
		which = "an earlier upload of the last night, " + r.RunID + ","
	}
	return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%s was refused before sending (exit %d): nothing was sent by it; fix what its stop names (above), then the next upload sends", which, r.ExitCode)}
}

// PreviousWaiting is status's count of the withdrawals remembered only
// under the previous secret after a rotation (ledger.RevokedUnderPreviousKey):
// only the upload's stderr said it, and a withdrawal whose patient never
// reappears waits for good — the clinic reads here when it may drop
// HASHGATE_PREVIOUS_SECRET, or why a second rotation stops. Since is the
// rotation's day, Newest the newest withdrawal's, in the clinic's zone.
type PreviousWaiting struct {
	Patients    int    `json:"patients"`
	Identifiers int    `json:"identifiers"`
	Since       string `json:"since"`
	Newest      string `json:"newest_withdrawn"`
}

// waitingUnderPrevious is the ledger's PreviousWaiting; nil when none
// waits (or it could not be read: a warning).
func waitingUnderPrevious(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config) *PreviousWaiting {
	u, err := led.RevokedUnderPreviousKey(ctx)
	if err != nil {
		env.Logger.Warn("could not count the withdrawals remembered under the previous secret", "error", err)
		return nil
	}
	if u.Patients+u.Identifiers == 0 {
		return nil
	}
	day := func(ms int64) string { return time.UnixMilli(ms).In(cfg.Location()).Format(time.DateOnly) }
	return &PreviousWaiting{Patients: u.Patients, Identifiers: u.Identifiers, Since: day(u.Since), Newest: day(u.Newest)}
}

// behindExit is status's exit 1 for a ledger older than its last run, as
// for the other ledgers it cannot report on (no ledger, an empty file).
func behindExit(behind *LedgerRecord, lpath string) error {
	if behind == nil {
		return nil
	}
	return &ExitError{Code: ExitFailure, Err: errors.New(behindProblem(behind, lpath))}
}

// unansweredEvents counts the ledger's events whose latest request went
// out and got no answer: the platform may hold them. A morning whose night
// timed out is not "nothing sent" (a review of the morning: status said
// so of 40 events the platform had taken).
func unansweredEvents(ctx context.Context, led *ledger.Ledger) (int, error) {
	st, err := led.Stats(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, byState := range st.Events {
		n += byState[ledger.StateSent]
	}
	return n, nil
}

// statusSource is the platform that reports processing, when enabled.
func statusSource(ctx context.Context, env *Env, cfg *config.Config) (*reconcile.Source, error) {
	p := clients.StatusPlatform
	if !cfg.Destination(p).Enabled {
		return nil, nil
	}
	c, err := env.NewClient(ctx, cfg, p)
	if err != nil {
		return nil, err
	}
	pr, ok := c.(processingReader)
	if !ok {
		return nil, fmt.Errorf("the %s client reads no processing status", p)
	}
	return &reconcile.Source{Platform: p.Spec().Name, Poller: pr, Schedule: pr.PollSchedule()}, nil
}

// reconcileRuns makes one pass and reports the runs of the window. A
// failed pass is a note, not an error, unless it is fatal (credentials).
//
// With askQuality set (an interactive status, not the nightly upload), a
// platform that reports no processing is asked what it says about match
// quality (Meta's Dataset Quality API), and its answer replaces the
// standing note.
func reconcileRuns(ctx context.Context, env *Env, led *ledger.Ledger, src *reconcile.Source, since, budget time.Duration, askQuality *config.Config) ([]report.ProcessingRun, string, error) {
	reporting, notes := map[string]bool{}, map[string]string{}
	offline := map[string][]report.QualityEvent{}
	for _, p := range platform.All {
		if clients.ProcessingNote(p, "") == "" {
			continue
		}
		quality := ""
		if askQuality != nil && askQuality.Destination(p).Enabled {
			if c, err := env.NewClient(ctx, askQuality, p); err == nil {
				var events []report.QualityEvent
				q, evs := clients.Quality(ctx, c)
				for _, e := range evs {
					qe := report.QualityEvent{EventName: e.EventName, Recommendation: e.Recommendation}
					if e.HasScore {
						score := e.Composite
						qe.CompositeScore = &score
					}
					events = append(events, qe)
				}
				quality, offline[p.Spec().Name] = q, events
			}
		}
		notes[p.Spec().Name] = clients.ProcessingNote(p, quality)
	}
	var note string
	lookback := since
	if src != nil {
		reporting[src.Platform] = true
		if lookback <= 0 {
			lookback = reconcile.Lookback(src.Schedule)
		}
		res, err := reconcile.Run(ctx, reconcile.Options{Ledger: led, Sources: []reconcile.Source{*src}, Now: env.Now, Budget: budget, Logger: env.Logger})
		if err != nil {
			return nil, "", err
		}
		env.Logger.Info("processing verdicts read", "reads", res.Read, "final", res.Final, "pending", res.Pending, "not_due", res.NotDue, "gave_up", res.GaveUp, "left", res.Left)
		var parts []string
		if res.Left > 0 {
			parts = append(parts, fmt.Sprintf("%d requests due were not read (time budget or read quota): the next status or upload reads them", res.Left))
		}
		if res.Failures > 0 {
			parts = append(parts, fmt.Sprintf("%d status reads failed and are retried next time (the first: %s)", res.Failures, res.FirstFailure))
		}
		if res.BadAnswers > 0 {
			parts = append(parts, fmt.Sprintf("%d status answers were refused as inconsistent with their request (a count or record index outside it, or an unknown status): nothing was recorded from them; they are read again next time", res.BadAnswers))
		}
		note = strings.Join(parts, "; ")
	}
	if lookback <= 0 {
		lookback = 48 * time.Hour
	}
	// One verdict on this clock for the window and the note: each read
	// groups every request by run.
	slow, err := led.ClockBehind(ctx)
	if err != nil {
		return nil, "", err
	}
	window, err := led.RunsSince(ctx, env.Now().Add(-lookback), slow.Behind)
	if err != nil {
		return nil, "", err
	}
	if cb := clockBehindNote(env, slow); cb != "" {
		note = strings.TrimPrefix(note+"; "+cb, "; ")
	}
	ids, ahead := make([]string, len(window)), map[string]bool{}
	for i, w := range window {
		ids[i], ahead[w.ID] = w.ID, w.Ahead
	}
	runs, err := reconcile.Report(ctx, led, ids, reporting, notes)
	for i := range runs {
		runs[i].RecordedAhead = ahead[runs[i].RunID]
	}
	// The quality answer is the config's dataset's: under a destination
	// the config does not name (another dataset_id since, or a ledger
	// shared with another config) it would be another dataset's verdict
	// printed as this one's (a review of the morning).
	var asked map[platform.Platform]ledger.Destination
	if askQuality != nil {
		asked = ledgerDestinations(askQuality)
	}
	for i := range runs {
		for j := range runs[i].Destinations {
			d := &runs[i].Destinations[j]
			name, _, _ := strings.Cut(d.Destination, ":")
			p, err := platform.Parse(name)
			if w, ok := asked[p]; err == nil && ok && w.Key != d.Destination && clients.ProcessingNote(p, "") != "" {
				d.Note = clients.ProcessingNote(p, fmt.Sprintf("offline match quality not asked for it: the config names %s", w.Key))
				continue
			}
			d.OfflineQuality = offline[name]
		}
	}
	return runs, note, err
}

// statusOfIDs asks about request ids given on the command line.
func statusOfIDs(ctx context.Context, env *Env, r StatusRequest, src *reconcile.Source) error {
	type entry struct {
		RequestID string                    `json:"request_id"`
		Status    string                    `json:"status"`
		Final     bool                      `json:"final"`
		Records   int64                     `json:"records"`
		Errors    []report.ProcessingReason `json:"errors"`
		Warnings  []report.ProcessingReason `json:"warnings"`
		Error     string                    `json:"error,omitempty"`
	}
	var out []entry
	failed := 0
	for _, id := range r.RequestIDs {
		if ctx.Err() != nil {
			failed++
			out = append(out, entry{RequestID: id, Status: "NOT_READ", Errors: []report.ProcessingReason{}, Warnings: []report.ProcessingReason{},
				Error: "not read: the time budget (--budget) ran out; ask again"})
			continue
		}
		// The actions the request named are not known here (nil): every
		// status Google answers for it is taken.
		v, err := src.Poller.Processing(ctx, id, nil)
		if err == nil {
			// The request's size is not known here (-1): the gate checks
			// the status, reasons and the answer's own arithmetic.
			v, err = destination.GateProcessing(clients.StatusPlatform.Spec(), v, -1)
		} else {
			err = destination.GateError(clients.StatusPlatform.Spec(), err)
		}
		e := entry{RequestID: id, Status: v.Status, Final: v.Final, Records: v.Records, Errors: []report.ProcessingReason{}, Warnings: []report.ProcessingReason{}}
		switch {
		case errors.Is(err, destination.ErrNoVerdict):
			e.Status, e.Final, e.Error = ledger.ProcessingNoVerdict, true, "no status for this request id (a validate-only request, or unknown)"
		case err != nil && ctx.Err() != nil:
			failed++
			e.Status, e.Error = "NOT_READ", "not read: the time budget (--budget) ran out; ask again"
		case errors.Is(err, destination.ErrBadAnswer):
			failed++
			e.Status, e.Error = "BAD_ANSWER", err.Error()
		case reconcile.Fatal(err):
			return err
		case err != nil:
			failed++
			e.Status, e.Error = "ERROR", err.Error()
		}
		for _, c := range v.Errors {
			e.Errors = append(e.Errors, report.ProcessingReason{Reason: c.Reason, Events: c.Records, ResentByNextUpload: c.Retry})
		}
		for _, c := range v.Warnings {
			e.Warnings = append(e.Warnings, report.ProcessingReason{Reason: c.Reason, Events: c.Records})
		}
		out = append(out, e)
	}
	if r.JSON {
		b, err := json.MarshalIndent(out, "", "  ")
		if err != nil {
			return err
		}
		if _, err := env.Out.Write(append(b, '\n')); err != nil {
			return err
		}
	} else {
		var b strings.Builder
		for _, e := range out {
			fmt.Fprintf(&b, "%s\t%s", e.RequestID, e.Status)
			if e.Records >= 0 && e.Error == "" {
				fmt.Fprintf(&b, "\trecords=%d", e.Records)
			}
			for _, kind := range []struct {
				name string
				list []report.ProcessingReason
			}{{"errors", e.Errors}, {"warnings", e.Warnings}} {
				var parts []string
				for _, c := range kind.list {
					parts = append(parts, fmt.Sprintf("%s=%d", c.Reason, c.Events))
				}
				if len(parts) > 0 {
					fmt.Fprintf(&b, "\t%s: %s", kind.name, strings.Join(parts, ", "))
				}
			}
			if e.Error != "" {
				fmt.Fprintf(&b, "\t%s", e.Error)
			}
			b.WriteString("\n")
		}
		if _, err := fmt.Fprint(env.Out, b.String()); err != nil {
			return err
		}
	}
	if failed > 0 {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d of %d request statuses could not be read", failed, len(r.RequestIDs))}
	}
	return nil
}

// reconcileEarlier reads, within budget, the processing verdicts of
// earlier runs and reports them. It never fails the upload: whatever goes
// wrong is a note in the report, and the next run reads again.
func reconcileEarlier(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config, budget time.Duration) ([]report.ProcessingRun, string) {
	if budget <= 0 {
		cb, err := led.ClockBehind(ctx)
		if err != nil {
			return nil, ""
		}
		return nil, clockBehindNote(env, cb)
	}
	src, err := statusSource(ctx, env, cfg)
	if err != nil {
		return nil, "processing of earlier runs not read: " + err.Error()
	}
	runs, note, err := reconcileRuns(ctx, env, led, src, 0, budget, nil)
	if err != nil {
		env.Logger.Warn("could not read the processing of earlier runs", "error", err)
		return nil, "processing of earlier runs not read: " + err.Error()
	}
	return runs, note
}

// clockBehindNote is the one line said, in place of a line per run, when
// this clock is behind the runs the ledger recorded last
// (ledger.ClockBehind, cb, read once by the caller): "" otherwise. A clock a year slow listed a year
// of runs, each said to be from a night whose clock ran fast, and its
// upload quarantined the night's visits as event_in_future, exit 1,
// without a word about this clock. The upload is not stopped for it:
// nothing dated after this clock is sent (the quarantine), and the
// morning after one fast night looks the same for one run.
func clockBehindNote(env *Env, cb ledger.ClockBehindLedger) string {
	if !cb.Behind {
		return ""
	}
	days := int(cb.Newest.Sub(env.Now()) / (24 * time.Hour))
	return fmt.Sprintf("this machine's clock looks behind: the last runs the ledger recorded are dated after it, the newest (run %s) at %s, %d days ahead of this clock; "+
		"runs dated after this clock are not listed, and tonight's visits dated after it are quarantined as event_in_future. Check the clock (NTP, timedatectl) — "+
		"or, if it is right, the clocks of those nights ran fast",
		cb.RunID, cb.Newest.Format(time.RFC3339), days)
}
