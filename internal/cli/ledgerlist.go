package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/spf13/cobra"
)

// LedgerListOptions are the flags of `hashgate ledger list`.
type LedgerListOptions struct {
	ledgerOptions
	RunID string
	Limit int
	JSON  bool
}

func newLedgerListCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerListOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "list [--run ID]",
		Short: "List runs, or the events of one run",
		Long: `list prints the runs newest first, in the order they were recorded — not
by the start time each recorded, which a clock running fast dates ahead: a
run whose recorded start is later than the clock now is named on stderr
(JSON started_ahead_of_clock), and its times are not when it ran.`,
		Example: `  hashgate ledger list --limit 7
  hashgate ledger list --run 20261123T020000Z-a1b2c3
  hashgate ledger list --json | jq '.[] | select(.exit_code != 0)'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			o.flags = c.Flags()
			return ledgerListRun(c.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.RunID, "run", "", "list the events last touched by this run")
	cmd.Flags().IntVar(&o.Limit, "limit", 50, "how many runs to list")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the runs (or the run's events) as JSON")
	return cmd
}

func ledgerListRun(ctx context.Context, o *LedgerListOptions) error {
	// An error names the flag, never the value it was given.
	if o.RunID != "" && !runIDGrammar().MatchString(o.RunID) {
		return &UsageError{Err: errors.New("--run is not a run id such as 20261123T020000Z-a1b2c3 (hashgate ledger list prints them)")}
	}
	l, err := o.open(ctx, true)
	if err != nil {
		return err
	}
	defer l.Close()
	w := bufio.NewWriter(o.f.IO.Out)
	defer w.Flush()
	if o.RunID != "" {
		if err := requireRun(ctx, l, o.RunID); err != nil {
			return err
		}
		evs, err := l.Events(ctx, o.RunID)
		if err != nil {
			return err
		}
		if o.JSON {
			return writeJSON(o.f.IO.Out, ledgerEventsJSON(evs))
		}
		fmt.Fprintln(w, "destination\tevent_id\tstate\treason\trequest_id\tupdated_at")
		for _, e := range evs {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Destination, e.EventID, e.State, e.Reason, e.RequestID, e.UpdatedAt)
		}
		return w.Flush()
	}
	runs, err := l.Runs(ctx, o.Limit)
	if err != nil {
		return err
	}
	for _, r := range runs {
		if r.Ahead {
			fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: run %s recorded a start (%s) later than this clock: that night's clock ran fast; runs are listed in the order they were recorded\n", r.ID, r.StartedAt)
		}
	}
	if o.JSON {
		return writeJSON(o.f.IO.Out, ledgerRunsJSON(runs))
	}
	fmt.Fprintln(w, "run\tstarted\tfinished\texit\tingested\tsent\trejected\tquarantined\tkept_back\tvalidated\trestated\trequests\tversion\tnot_sent\tconfirmed_by_user")
	for _, r := range runs {
		exit := "-"
		if r.ExitCode.Valid {
			exit = fmt.Sprint(r.ExitCode.Int64)
		}
		// The columns added later go last, so a script reading the
		// earlier ones by position reads them still.
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%d\t%d\n", r.ID, r.StartedAt, r.FinishedAt, exit,
			r.Events[ledger.StateAccepted], r.Events[ledger.StateSent], r.Events[ledger.StateRejected], r.Events[ledger.StateQuarantined],
			r.Events[ledger.StateKeptBack], r.Events[ledger.StateValidated], r.Events[ledger.StateRestated], r.Requests, r.ToolVersion,
			r.Events[ledger.StateNotSent], r.Events[ledger.StateConfirmedByUser])
	}
	return w.Flush()
}
