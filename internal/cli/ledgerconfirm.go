package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
)

// LedgerConfirmOptions are the flags of `hashgate ledger confirm`.
type LedgerConfirmOptions struct {
	ledgerOptions
	RunID       string
	Destination string
}

func newLedgerConfirmCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerConfirmOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "confirm --run ID [--destination NAME]",
		Short: "Record as delivered the events a run left unconfirmed, once you found them at the platform",
		Long: `confirm settles events a run sent without learning the answer (a crash, a
timeout, a count the platform did not match). Within the platform's
deduplication window the next upload resends them under the same event
ids; past it (Meta: 6 days) a resend would count any that arrived twice,
so the uploads keep them back and the summary says "conversions left
unconfirmed".

Look for them in the platform (Meta: Events Manager, the dataset's events
of that night). If they arrived, confirm them: the ledger records them as
delivered, confirmed_by_user ("ledger stats" and "ledger list" say so;
never "ingested", which only the platform's answer records), and no upload
sends or reports them again. If they are missing, send them instead with
'hashgate upload --resend-unconfirmed'. confirm sends nothing.

Select a run ("hashgate ledger list" prints them), optionally one
destination (a platform name or a destination such as meta:998877). A
validation (upload --validate) is refused: it delivers nothing, answered
or not, and the real upload sends its conversions.`,
		Example: `  hashgate ledger confirm --run 20261123T020000Z-a1b2c3
  hashgate ledger confirm --run 20261123T020000Z-a1b2c3 --destination meta`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			o.flags = c.Flags()
			return ledgerConfirmRun(c.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.RunID, "run", "", "confirm the events this run left unconfirmed")
	cmd.Flags().StringVar(&o.Destination, "destination", "", "only this destination (meta, or meta:DATASET)")
	return cmd
}

func ledgerConfirmRun(ctx context.Context, o *LedgerConfirmOptions) error {
	// An error names the flag, never the value it was given.
	switch {
	case o.RunID == "":
		return &UsageError{Err: errors.New("--run ID is required: the run whose unconfirmed events you found at the platform ('hashgate ledger list' shows the runs)")}
	case !runIDGrammar().MatchString(o.RunID):
		return &UsageError{Err: errors.New("--run is not a run id such as 20261123T020000Z-a1b2c3 (hashgate ledger list prints them)")}
	case o.Destination != "" && !destGrammar().MatchString(o.Destination):
		return &UsageError{Err: errors.New("--destination is not a platform name (meta) or a destination (meta:998877)")}
	}
	if name, _, _ := strings.Cut(o.Destination, ":"); o.Destination != "" {
		if _, err := platform.Parse(name); err != nil {
			return &UsageError{Err: fmt.Errorf("--destination names no platform hashgate knows: want one of %s, or a destination such as meta:998877", platformNames())}
		}
	}
	l, lpath, err := o.openChanging(ctx)
	if err != nil {
		return err
	}
	defer l.Close()
	if err := requireRun(ctx, l, o.RunID); err != nil {
		return err
	}
	got, err := l.Confirm(ctx, ledger.ConfirmSelect{RunID: o.RunID, Destination: o.Destination})
	if errors.Is(err, ledger.ErrValidationRun) {
		return &UsageError{Err: err}
	}
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if len(got) > 0 {
		o.recordChange(ctx, l, lpath)
	}
	if len(got) == 0 {
		fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: run %s left no event unconfirmed%s: nothing to confirm\n", o.RunID, destinationWords(o.Destination))
		return nil
	}
	for _, d := range sortedKeys(got) {
		fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: %s: %d events of run %s recorded as delivered (confirmed_by_user); no upload sends them again\n", d, got[d], o.RunID)
	}
	return nil
}

// destinationWords is " at D" for a destination selected, "" for all.
func destinationWords(d string) string {
	if d == "" {
		return ""
	}
	return " at " + d
}
