package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// LedgerUnrevokeOptions are the flags of `hashgate ledger unrevoke`.
type LedgerUnrevokeOptions struct {
	ledgerOptions
	Run string
}

func newLedgerUnrevokeCmd(f *Factory, root *rootOptions) *cobra.Command {
	o := &LedgerUnrevokeOptions{ledgerOptions: ledgerOptions{f: f, root: root}}
	cmd := &cobra.Command{
		Use:   "unrevoke --run ID",
		Short: "Forget the patients one run remembered as withdrawn (a consent column mapped wrong)",
		Long: `An upload remembers every patient whose consent a row of its export revokes
(input.columns.patient_key), so that the withdrawal outlives the row in a
rolling export: those patients are kept out of every later upload. A run
whose consent column was mapped wrong, or whose words were wrong, can make
many patients look withdrawn; unrevoke forgets the withdrawals that run
recorded, and the next upload judges those patients by its export alone —
unless another run saw them withdraw too: each run that reads a
withdrawal remembers it, so a genuine one is kept by the runs after.
The ledger holds only keyed digests of patient keys, so it cannot list
them. 'hashgate ledger list' shows the runs.`,
		Example: `  hashgate ledger unrevoke --run 20261205T190000Z-3f2a1c`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			o.flags = c.Flags()
			return ledgerUnrevokeRun(c.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Run, "run", "", "the run whose withdrawals to forget (required)")
	return cmd
}

func ledgerUnrevokeRun(ctx context.Context, o *LedgerUnrevokeOptions) error {
	o.Run = strings.TrimSpace(o.Run)
	if o.Run == "" {
		return &UsageError{Err: errors.New("--run ID is required: the run whose withdrawals to forget ('hashgate ledger list' shows the runs)")}
	}
	l, err := o.open(ctx, false)
	if err != nil {
		return err
	}
	defer l.Close()
	n, err := l.ForgetRevokedPatients(ctx, o.Run)
	if err != nil {
		return err // an unknown run exits 1, as requeue's does
	}
	fmt.Fprintf(o.f.IO.ErrOut, "hashgate ledger: forgot %d withdrawn patient(s) remembered by run %s\n", n, o.Run)
	return nil
}
