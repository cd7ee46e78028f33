package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/run"
	"github.com/spf13/cobra"
)

// LedgerStatsOptions are the flags of `hashgate ledger stats`.
type LedgerStatsOptions struct {
	ledgerOptions
	JSON bool
}

func newLedgerStatsCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerStatsOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Count events per destination and state",
		Example: `  hashgate ledger stats
  hashgate ledger stats --json | jq '.events, .processing'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			o.flags = c.Flags()
			return ledgerStatsRun(c.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the counts as JSON")
	return cmd
}

func ledgerStatsRun(ctx context.Context, o *LedgerStatsOptions) error {
	l, err := o.open(ctx, true)
	if err != nil {
		return err
	}
	defer l.Close()
	st, err := l.Stats(ctx)
	if err != nil {
		return err
	}
	pt, err := l.ProcessingTotals(ctx)
	if err != nil {
		return err
	}
	last, ok, err := run.ReadLastUpload(ctx, o.f.env(o.root), l)
	if err != nil {
		o.f.Logger.Warn("could not read the last upload's report", "error", err)
	}
	if o.JSON {
		out := ledgerStatsJSON(l.Path(), st, pt)
		if ok {
			out.LastUpload = &last
		}
		return writeJSON(o.f.IO.Out, out)
	}
	w := bufio.NewWriter(o.f.IO.Out)
	fmt.Fprintf(w, "ledger %s (schema %d): %d runs", l.Path(), st.SchemaVers, st.Runs)
	if st.Runs > 0 {
		fmt.Fprintf(w, ", %s … %s", st.FirstRun, st.LastRun)
	}
	fmt.Fprintln(w)
	for _, p := range sortedKeys(st.Adopted) {
		fmt.Fprintf(w, "  %s entries from before destinations were told apart belong to %s\n", p, st.Adopted[p])
	}
	for _, d := range sortedKeys(st.FirstDelivered) {
		fmt.Fprintf(w, "  %s first delivered %s%s\n", d, st.FirstDelivered[d], horizonWhy(d))
	}
	for _, d := range sortedKeys(st.Events) {
		var parts []string
		for _, s := range ledger.States {
			if s == ledger.StateConfirmedByUser && st.Events[d][s] == 0 {
				continue // only where a person confirmed some (ledger confirm)
			}
			part := fmt.Sprintf("%s %d", strings.ReplaceAll(ledger.Label(s), "_", " "), st.Events[d][s])
			if s == ledger.StateKeptBack {
				// Beside quarantined, in words, with why: a first upload's
				// hold is not a failure (see ledger.StateKeptBack).
				part = fmt.Sprintf("kept back %d", st.Events[d][s])
				if st.Events[d][s] > 0 {
					part += " (" + destination.ReasonBeforeFirstUpload + ")"
				}
			}
			parts = append(parts, part)
		}
		fmt.Fprintf(w, "  %s: %s\n", d, strings.Join(parts, ", "))
	}
	for _, d := range sortedKeys(pt) {
		t := pt[d]
		fmt.Fprintf(w, "  %s processing (per request, as the platform reported it): processed ok %d, failed %d, failed and sent again %d, still processing %d, no verdict %d",
			d, t.OK, t.Failed, t.Resent, t.Processing, t.NoVerdict)
		if t.Requeued > 0 {
			fmt.Fprintf(w, "; requeued by hand %d", t.Requeued)
		}
		fmt.Fprintln(w)
	}
	if ok {
		// The last run's stop and what waits: the counts above say
		// nothing of a destination stopped before it sent (a review of
		// a month of nights).
		if err := last.WriteText(w); err != nil {
			return err
		}
	}
	return w.Flush()
}

// horizonWhy says, for a destination whose platform deduplicates only for
// a while (Meta), what its first delivery decides: the history kept back.
func horizonWhy(dest string) string {
	p, err := platform.Parse(strings.SplitN(dest, ":", 2)[0])
	if err != nil || p.Spec().DedupSafe() <= 0 {
		return ""
	}
	days := int(p.Spec().DedupSafe() / (24 * time.Hour))
	return fmt.Sprintf(" (events dated before it and %d days old or older are kept back as before_first_upload unless `upload --backfill`)", days)
}
