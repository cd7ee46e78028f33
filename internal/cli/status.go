package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/destination/clients"
)

// StatusOptions are the inputs of `hashgate status`.
type StatusOptions struct {
	f          *Factory
	root       *rootOptions
	flags      *pflag.FlagSet
	RequestIDs []string
}

func newStatusCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &StatusOptions{f: f, root: root}
	return &cobra.Command{
		Use:   "status [REQUEST_ID...]",
		Short: "Show how Google processed uploaded requests (Data Manager requestStatus)",
		Long: `status asks the Data Manager API how it processed each request: SUCCESS,
PROCESSING, PARTIAL_SUCCESS or FAILED, the records ingested, and error counts
by reason (for example PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID after
a harmless resend). Google publishes the status between about 30 minutes and
24 hours after the upload. With no REQUEST_ID, the requests of the last run.`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			opts.RequestIDs, opts.flags = args, c.Flags()
			return statusRun(c.Context(), opts)
		},
	}
}

func statusRun(ctx context.Context, o *StatusOptions) error {
	f := o.f
	cfg, err := o.root.loadConfig(f, o.flags, nil)
	if err != nil {
		return err
	}
	ids := o.RequestIDs
	if len(ids) == 0 {
		lr, err := readLastRun(f)
		if err != nil {
			return &UsageError{Err: err}
		}
		ids = lr.RequestIDs[clients.StatusPlatform.String()]
		if len(ids) == 0 {
			fmt.Fprintln(f.IO.ErrOut, "hashgate status: the last run sent no request to Google")
			return nil
		}
	}
	hc, err := f.HTTPClient()
	if err != nil {
		return err
	}
	client, err := clients.NewGoogle(ctx, cfg, clientDeps(f), hc)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f.IO.Out)
	defer w.Flush()
	failed := 0
	for _, id := range ids {
		st, err := client.Status(ctx, id)
		if err != nil {
			failed++
			fmt.Fprintf(w, "%s\tERROR\t%v\n", id, err)
			continue
		}
		for _, d := range st.RequestStatusPerDestination {
			records := int64(0)
			if d.EventsIngestionStatus != nil {
				records = d.EventsIngestionStatus.RecordCount
			}
			var errs []string
			if d.ErrorInfo != nil {
				for _, e := range d.ErrorInfo.ErrorCounts {
					errs = append(errs, fmt.Sprintf("%s=%d", e.Reason, e.RecordCount))
				}
			}
			if len(errs) == 0 {
				errs = []string{"none"}
			}
			fmt.Fprintf(w, "%s\t%s\trecords=%d\terrors: %s\n", id, d.RequestStatus, records, strings.Join(errs, ", "))
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d of %d request statuses could not be retrieved", failed, len(ids))}
	}
	return nil
}
