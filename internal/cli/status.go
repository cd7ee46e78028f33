package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination/clients"
)

// StatusOptions are the inputs of `hashgate status`.
type StatusOptions struct {
	f          *Factory
	root       *rootOptions
	flags      *pflag.FlagSet
	RequestIDs []string
	JSON       bool
}

func newStatusCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &StatusOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "status [REQUEST_ID...]",
		Short: "Show how Google processed uploaded requests (Data Manager requestStatus)",
		Long: `status asks the Data Manager API how it processed each request: SUCCESS,
PROCESSING, PARTIAL_SUCCESS or FAILED, the records ingested, and error counts
by reason (for example PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID after
a harmless resend). Google publishes the status between about 30 minutes and
24 hours after the upload. With no REQUEST_ID, the requests of the last run.`,
		Example: `  hashgate status
  hashgate status 6d3f9c1e-1b2a-4c5d-8e9f-0a1b2c3d4e5f
  hashgate status --json | jq '.[] | select(.request_status != "SUCCESS")'`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			opts.RequestIDs, opts.flags = args, c.Flags()
			return statusRun(c.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the statuses as JSON")
	return cmd
}

// statusJSON is one element of `hashgate status --json` (README, "JSON
// output"): one per request and destination, or one with error set when the
// status could not be retrieved.
type statusJSON struct {
	RequestID     string             `json:"request_id"`
	RequestStatus string             `json:"request_status,omitempty"`
	RecordCount   int64              `json:"record_count"`
	Errors        []statusErrorCount `json:"errors"`
	Error         string             `json:"error,omitempty"`
}

type statusErrorCount struct {
	Reason      string `json:"reason"`
	RecordCount int64  `json:"record_count"`
}

// statusConfig checks the keys status reads — the Google destination's
// endpoint and timeout; credentials are checked when they are used —
// so a config whose export mapping is unfinished still answers.
func statusConfig(c *config.Config) error {
	g := c.Destinations.Google
	var errs []error
	if g.Endpoint == "" {
		errs = append(errs, &config.Error{Key: "destinations.google.endpoint", Problem: "must not be empty"})
	}
	if g.TimeoutSeconds < 1 {
		errs = append(errs, &config.Error{Key: "destinations.google.timeout_seconds", Problem: fmt.Sprintf("must be at least 1, got %d", g.TimeoutSeconds)})
	}
	return errors.Join(errs...)
}

func statusRun(ctx context.Context, o *StatusOptions) error {
	f := o.f
	cfg, err := o.root.loadConfigFor(f, o.flags, nil, statusConfig)
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
			if o.JSON {
				return writeJSON(f.IO.Out, []statusJSON{})
			}
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
	var rows []statusJSON
	failed := 0
	for _, id := range ids {
		st, err := client.Status(ctx, id)
		if err != nil {
			failed++
			rows = append(rows, statusJSON{RequestID: id, Errors: []statusErrorCount{}, Error: err.Error()})
			continue
		}
		for _, d := range st.RequestStatusPerDestination {
			row := statusJSON{RequestID: id, RequestStatus: d.RequestStatus, Errors: []statusErrorCount{}}
			if d.EventsIngestionStatus != nil {
				row.RecordCount = d.EventsIngestionStatus.RecordCount
			}
			if d.ErrorInfo != nil {
				for _, e := range d.ErrorInfo.ErrorCounts {
					row.Errors = append(row.Errors, statusErrorCount{Reason: e.Reason, RecordCount: e.RecordCount})
				}
			}
			rows = append(rows, row)
		}
	}
	if o.JSON {
		if rows == nil {
			rows = []statusJSON{}
		}
		if err := writeJSON(f.IO.Out, rows); err != nil {
			return err
		}
	} else if err := writeStatusText(f.IO.Out, rows); err != nil {
		return err
	}
	if failed > 0 {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("%d of %d request statuses could not be retrieved", failed, len(ids))}
	}
	return nil
}

// writeStatusText prints one tab-separated line per request and destination.
func writeStatusText(out io.Writer, rows []statusJSON) error {
	w := bufio.NewWriter(out)
	for _, r := range rows {
		if r.Error != "" {
			fmt.Fprintf(w, "%s\tERROR\t%s\n", r.RequestID, r.Error)
			continue
		}
		var errs []string
		for _, e := range r.Errors {
			errs = append(errs, fmt.Sprintf("%s=%d", e.Reason, e.RecordCount))
		}
		if len(errs) == 0 {
			errs = []string{"none"}
		}
		fmt.Fprintf(w, "%s\t%s\trecords=%d\terrors: %s\n", r.RequestID, r.RequestStatus, r.RecordCount, strings.Join(errs, ", "))
	}
	return w.Flush()
}
