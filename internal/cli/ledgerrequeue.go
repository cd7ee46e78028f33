package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
)

// LedgerRequeueOptions are the flags and arguments of `hashgate ledger requeue`.
type LedgerRequeueOptions struct {
	ledgerOptions
	RunID       string
	Destination string
	Reason      string
	EventIDs    []string
}

func newLedgerRequeueCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerRequeueOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "requeue (--run ID [--destination NAME] --reason R | EVENT_ID...)",
		Short: "Send again events that failed processing for good, once the source is fixed",
		Long: `requeue makes events the platform failed in processing with a final reason
sendable again, for after the clinic fixed the row at the source (a visit
dated before its click: CONVERSION_PRECEDES_CLICK; a malformed field:
INVALID_FORMAT; unknown, a reason Google reported that hashgate does not
know yet). The next upload sends them if the export still holds them.

Select a run's failures of one reason (R is the reason as "hashgate
status" and "ledger list --run" print it; its PROCESSING_ERROR_REASON_
prefix may be left out), optionally of one destination (a platform name or a
destination such as google:1234567890/555000111); or name events by their
ids, as "ledger list --run ID" prints them.

Nothing is deleted: the failure stays recorded as the platform gave it,
and the requeue beside it ("ledger list --run" shows both); the events'
next request records what the platform makes of them then. Events a
resend can help (TOO_RECENT_CLICK, consent not yet given, …) and events
rejected or quarantined on sending are resent by every upload already;
they need no requeue. An event the platform could not place (it counted
failures without naming records) is requeued with every event of its
request no error named: a processed one sent again is an adjustment with
the same value, not a second conversion.`,
		Example: `  hashgate ledger requeue --run 20261123T020000Z-a1b2c3 --reason CONVERSION_PRECEDES_CLICK
  hashgate ledger requeue --run 20261123T020000Z-a1b2c3 --destination google --reason INVALID_FORMAT
  hashgate ledger requeue 3f1c2a9e0b7d4c6e8a5f1b2c3d4e5f60`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			o.flags = c.Flags()
			o.EventIDs = args
			return ledgerRequeueRun(c.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.RunID, "run", "", "requeue this run's failures of --reason")
	cmd.Flags().StringVar(&o.Destination, "destination", "", "only this destination (google, or google:ACCOUNT/ACTION)")
	cmd.Flags().StringVar(&o.Reason, "reason", "", "the processing error reason as status prints it (the PROCESSING_ERROR_REASON_ prefix may be left out), or unknown")
	return cmd
}

// The grammars of what requeue is given. None of it is personal data, but
// nothing unvalidated is echoed: an error names the argument, not its value.
// They are compiled on first use, not at package initialisation, which
// every command pays: the bounded repetitions expand into programs of
// about 4,000 allocations and 300 KB (docs/performance.md, Start-up).
var (
	// runIDGrammar: ledger.StartRun's ids (20261123T020000Z-a1b2c3).
	runIDGrammar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}$`) })
	// eventIDGrammar: 128-bit event ids in hex, as the ledger prints them.
	eventIDGrammar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9a-fA-F]{32}$`) })
	// reasonGrammar: an enum word of the platform (upper case, digits, _).
	reasonGrammar = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Z][A-Z0-9_]{0,99}$`) })
	// destGrammar: a platform name, or a destination key
	// (google:<account>/<action>, meta:<dataset>).
	destGrammar = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}(:[0-9A-Za-z_./-]{1,200})?$`)
	})
)

func (o *LedgerRequeueOptions) selection() (ledger.RequeueSelect, error) {
	var sel ledger.RequeueSelect
	switch {
	case o.RunID != "" && len(o.EventIDs) > 0:
		return sel, errors.New("give --run with --reason, or event ids, not both")
	case o.RunID == "" && len(o.EventIDs) == 0:
		return sel, errors.New("give --run ID --reason R, or the event ids to requeue (ledger list --run ID prints them)")
	case o.RunID == "" && (o.Reason != "" || o.Destination != ""):
		return sel, errors.New("--reason and --destination select within a run: give --run too")
	}
	if len(o.EventIDs) > 0 {
		seen := map[string]bool{}
		for i, id := range o.EventIDs {
			if !eventIDGrammar().MatchString(id) {
				return sel, fmt.Errorf("argument %d is not an event id: 32 hex characters, as `hashgate ledger list --run ID` prints them", i+1)
			}
			id = strings.ToLower(id)
			if !seen[id] {
				seen[id] = true
				sel.EventIDs = append(sel.EventIDs, id)
			}
		}
		return sel, nil
	}
	if !runIDGrammar().MatchString(o.RunID) {
		return sel, errors.New("--run is not a run id such as 20261123T020000Z-a1b2c3 (hashgate ledger list prints them)")
	}
	if o.Reason == "" {
		return sel, errors.New("--run needs --reason: the processing error reason to requeue, such as CONVERSION_PRECEDES_CLICK")
	}
	if !reasonGrammar().MatchString(o.Reason) && o.Reason != platform.Unknown {
		return sel, errors.New("--reason is not a reason word such as CONVERSION_PRECEDES_CLICK (upper case letters, digits and _)")
	}
	if o.Destination != "" && !destGrammar().MatchString(o.Destination) {
		return sel, errors.New("--destination is not a platform name (google) or a destination (google:1234567890/555000111)")
	}
	// A platform hashgate does not know would select nothing: a typo,
	// refused rather than answered "nothing requeued".
	if name, _, _ := strings.Cut(o.Destination, ":"); o.Destination != "" {
		if _, err := platform.Parse(name); err != nil {
			return sel, errors.New("--destination names no platform hashgate knows (google, or google:ACCOUNT/ACTION)")
		}
	}
	// R as status prints it, or without its prefix, or unknown (a reason
	// outside Google's set, as status counts it); a word Google does not
	// report is a typo, refused before the ledger is opened.
	reason, ok := platform.RequeueReason(o.Reason)
	if !ok {
		return sel, errors.New("--reason is not a processing error reason Google reports, nor unknown (hashgate status prints them; the PROCESSING_ERROR_REASON_ prefix may be left out)")
	}
	sel.RunID, sel.Destination, sel.Reason = o.RunID, o.Destination, reason
	return sel, nil
}

func ledgerRequeueRun(ctx context.Context, o *LedgerRequeueOptions) error {
	sel, err := o.selection()
	if err != nil {
		return &UsageError{Err: err}
	}
	l, lpath, err := o.openChanging(ctx)
	if err != nil {
		return err
	}
	defer l.Close()
	if sel.RunID != "" {
		if err := requireRun(ctx, l, sel.RunID); err != nil {
			return err
		}
	}
	res, err := l.Requeue(ctx, sel)
	if err != nil {
		return err
	}
	o.recordChange(ctx, l, lpath)
	w := o.f.IO.ErrOut
	for _, q := range res.Requeued {
		reason := platform.ShortProcessingReason(q.Reason)
		if q.Events > 0 {
			fmt.Fprintf(w, "hashgate ledger: requeued %d events that %s failed with %s", q.Events, q.Destination, reason)
			if q.Unplaced > 0 {
				fmt.Fprintf(w, " (%d of them because the platform did not say which of their request's events failed)", q.Unplaced)
			}
			fmt.Fprintln(w, "; the next upload sends them again if the export still holds them")
		}
		if q.Already > 0 {
			fmt.Fprintf(w, "hashgate ledger: %d events that %s failed with %s were requeued before\n", q.Already, q.Destination, reason)
		}
		if q.Retryable > 0 {
			fmt.Fprintf(w, "hashgate ledger: %d events that %s failed with %s need no requeue: a resend can overcome that reason, so every upload sends them again\n", q.Retryable, q.Destination, reason)
		}
	}
	if len(res.Unknown) > 0 {
		// Not "nothing to requeue" alone: what state the event is in, and
		// what sends it (a review: an event never sent, or ingested with
		// a fee changed since, was answered only that).
		states, err := l.EventStates(ctx, res.Unknown)
		if err != nil {
			return err
		}
		for _, id := range res.Unknown {
			// Validated above: 32 hex characters, safe to print.
			evs := states[strings.ToLower(id)]
			if len(evs) == 0 {
				fmt.Fprintf(w, "hashgate ledger: event %s is not in the ledger: no upload recorded it (the next upload sends it if the export holds it); nothing to requeue\n", id)
			}
			for _, e := range evs {
				state, words := unrequeuableWords(e)
				fmt.Fprintf(w, "hashgate ledger: event %s at %s is %s: %s\n", id, e.Destination, state, words)
			}
		}
	}
	// Requeuing what is already requeued is a repeat, not a failure: a
	// script that runs the same requeue twice (a retried cron step) finds
	// the state it asked for, so it exits 0, as `ledger forget` does.
	already := 0
	for _, q := range res.Requeued {
		already += q.Already
	}
	if res.Total() == 0 && already > 0 && len(res.Unknown) == 0 {
		return nil
	}
	if res.Total() == 0 {
		what := "of the events given"
		if sel.RunID != "" {
			what = fmt.Sprintf("of run %s", sel.RunID)
			if sel.Destination != "" {
				what += " to " + sel.Destination
			}
			what += " with " + platform.ShortProcessingReason(sel.Reason)
		}
		return fmt.Errorf("nothing requeued: no event %s failed processing for good without being requeued already (hashgate status and ledger list --run show the failures)", what)
	}
	return nil
}

// unrequeuableWords say, for an event requeue cannot requeue (no final
// processing failure), its state as the summaries name it and what sends
// it.
func unrequeuableWords(e ledger.Event) (state, words string) {
	if e.State == ledger.StateAccepted {
		name, _, _ := strings.Cut(e.Destination, ":")
		if p, err := platform.Parse(name); err == nil && p.Spec().Restatement != "" {
			return "ingested", "no failure recorded, nothing to requeue; a fee changed since it was sent goes again only with destinations." + name + ".restate, never by requeue"
		}
		return "ingested", "no failure recorded, nothing to requeue"
	}
	return e.State, unrequeuableStateWords(e)
}

func unrequeuableStateWords(e ledger.Event) string {
	switch e.State {
	case ledger.StateNotSent, ledger.StateRejected:
		return "the next upload sends it if the export still holds it; nothing to requeue"
	case ledger.StateSent:
		return "sent and never answered: the next upload resends it (to Meta only within 6 days of its request; past that, ledger confirm or upload --resend-unconfirmed); nothing to requeue"
	case ledger.StateConfirmedByUser:
		return "recorded delivered by ledger confirm; nothing to requeue"
	case ledger.StateValidated:
		return "only validated (a test run); the next real upload sends it; nothing to requeue"
	case ledger.StateKeptBack:
		return "kept back before the first upload to this destination; upload --backfill sends it; nothing to requeue"
	case ledger.StateQuarantined:
		return "held back (" + e.Reason + "); requeue does not send it — see the upload summary for why"
	}
	return "no final processing failure; nothing to requeue"
}

// requireRun fails when the ledger holds no run with the id given: a
// mistyped or pruned run id is said as such, not answered with an empty
// list or "nothing requeued" as if the run had sent nothing. The id has
// passed runIDGrammar (or is printed by the ledger itself): safe to echo.
func requireRun(ctx context.Context, l *ledger.Ledger, runID string) error {
	ok, err := l.HasRun(ctx, runID)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("no run %s in the ledger (hashgate ledger list prints the runs it holds; ledger forget removes old ones)", runID)
	}
	return nil
}
