package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/run"
)

// StatusOptions are the inputs of `hashgate status`.
type StatusOptions struct {
	f          *Factory
	root       *rootOptions
	flags      *pflag.FlagSet
	RequestIDs []string
	Since      time.Duration
	Budget     time.Duration
	JSON       bool
}

func newStatusCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &StatusOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "status [REQUEST_ID...]",
		Short: "What the platforms did with what they ingested: processed, failed by reason, warnings, still processing",
		Long: `An upload's "ingested" means the platform took the request, nothing more.
Google then processes every event and may still fail it (EVENT_TOO_OLD,
CLICK_NOT_FOUND, consent, enhanced-conversions terms not signed) or count it
with a warning; it publishes its verdict per request (Data Manager
requestStatus) between about 30 minutes and 24 hours after the upload.

With no REQUEST_ID, status reads the verdict of every ingested request of
recent runs that has none yet, on Google's schedule (the first read 30
minutes after the upload, then waits growing 1.3-fold up to an hour; none
after 24 hours), within its read quota. It records each event's outcome in
the ledger — the record indices Google returns map back to event ids — and
prints, per run and destination: processed ok, failed by reason, warnings by
reason, still processing, and the identifier coverage of what was ingested.
Events that failed for a reason a resend can overcome (TOO_RECENT_CLICK,
INTERNAL_ERROR, consent or terms fixed in the account) are sent again by the
next upload; the others are final and never resent. Requests not due yet
are left for a later status or upload: it is safe to run at any time.

With REQUEST_IDs, status asks about those requests and records nothing.

When the last night's upload was refused before sending (exit 2, or 1 for
a structural stop), status says so in a last line ("the last night's
upload … was refused before sending") and exits 1 after its report: the
next night stops the same way until a person fixes what the stop names,
so the morning's alert fires. A night cut short by an outage is not such
a night: its events wait for the next upload, and status exits 0.

Reading stops after --budget (2 minutes unless given; 0 for none), so a
slow or stalling platform cannot hold a terminal or a cron slot: what was
not read is said, and read by the next status or upload.

Meta reports no verdict per event after its 200 (events_received). For a
Meta dataset admitted to Meta's offline Dataset Quality beta, status also
prints Meta's own quality score (0-10) and recommendation per event name
("offline quality Purchase: 6.8/10 — Meta recommends: …"; README, Meta);
a dataset outside the beta or out of the token's reach says so.

After a secret rotation (HASHGATE_PREVIOUS_SECRET, the old one, beside
HASHGATE_SECRET) status says how many withdrawals still wait under the
previous secret and since when: keep it until none remain.`,
		Example: `  hashgate status
  hashgate status --json | jq '.runs[].destinations[] | {destination, processed_ok, failed}'
  hashgate status 6d3f9c1e-1b2a-4c5d-8e9f-0a1b2c3d4e5f`,
		Args: usageArgs(cobra.ArbitraryArgs),
		RunE: func(c *cobra.Command, args []string) error {
			opts.RequestIDs, opts.flags = args, c.Flags()
			return statusRun(c.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&opts.JSON, "json", false, "print JSON (snake_case keys) on stdout")
	fl.DurationVar(&opts.Since, "since", 0, "report runs with requests this recent (default: Google's 24-hour window plus a day)")
	fl.DurationVar(&opts.Budget, "budget", run.DefaultStatusBudget, "stop reading after this long; what is left is read next time (0: no limit)")
	return cmd
}

func statusRun(ctx context.Context, o *StatusOptions) error {
	f := o.f
	// The arguments first, before the config or the credentials: a
	// mistyped one is a usage error (exit 2), named by its flag or
	// position. A request id is printed back and sent to the platform, so
	// one outside the grammar of request ids is refused, never echoed.
	if o.Budget < 0 {
		return &UsageError{Err: errors.New("--budget must be 0 (no limit) or a positive duration such as 2m")}
	}
	if o.Since < 0 {
		return &UsageError{Err: errors.New("--since must be a positive duration such as 72h (0: Google's window plus a day)")}
	}
	for i, id := range o.RequestIDs {
		if destination.RequestID(id) != id || id == "" {
			return &UsageError{Err: fmt.Errorf("argument %d is not a request id (1 to 128 letters, digits and -_.:/=+, as the upload summary and the report's request_ids give them)", i+1)}
		}
	}
	cfg, err := o.root.loadConfigFor(f, o.flags, nil, (*config.Config).ValidateStatus)
	if err != nil {
		return err
	}
	return run.Status(ctx, f.env(o.root), run.StatusRequest{
		Config: cfg, RequestIDs: o.RequestIDs, Since: o.Since, Budget: o.Budget, JSON: o.JSON,
	})
}
