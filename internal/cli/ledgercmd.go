package cli

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/run"
)

// ledgerOptions is what every ledger subcommand shares: the factory, the
// root flags and the subcommand's own flag set, from which the ledger path
// is read.
type ledgerOptions struct {
	f     *Factory
	root  *rootOptions
	flags *pflag.FlagSet
}

// newLedgerCmd is the parent of the ledger subcommands, one file each
// (ledgerstats.go, ledgerlist.go, ledgerforget.go, ledgerrequeue.go,
// ledgerunrevoke.go, ledgerconfirm.go, ledgererase.go, ledgerfind.go).
func newLedgerCmd(f *Factory, root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger stats|list|forget|requeue|unrevoke|confirm|find|erase",
		Short: "Inspect, prune or requeue the record of what each platform ingested and did with it",
		Long: `The ledger (ledger.path, default $XDG_STATE_HOME/hashgate/ledger.db) holds, per
request, the destination (google:<operating account>/<conversion action>,
meta:<dataset id>), its event ids and what the platform answered, with the run
and request id, and the patients who withdrew consent (keyed digests, with
the run that saw it: unrevoke forgets a run's, or listed patients'), with
keyed digests of the e-mail addresses and phone numbers their withdrawing
rows carried. Keyed hashes under the clinic's secret reveal no chart number
to anyone without it, but to the clinic, which holds the key, they are
pseudonymous personal data (GDPR Recital 26): 'ledger find' answers a
patient's access request, 'ledger erase' an erasure request, keeping only
the withdrawal.`,
		Example: `  hashgate ledger stats
  hashgate ledger list --limit 7
  hashgate ledger forget --before 2025-01-01
  hashgate ledger requeue --run 20261123T020000Z-a1b2c3 --reason CONVERSION_PRECEDES_CLICK`,
		Args: subcommandArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	cmd.AddCommand(newLedgerStatsCmd(f, root), newLedgerListCmd(f, root), newLedgerForgetCmd(f, root), newLedgerRequeueCmd(f, root), newLedgerUnrevokeCmd(f, root), newLedgerConfirmCmd(f, root), newLedgerEraseCmd(f, root))
	cmd.AddCommand(newLedgerFindCmd(f, root)) // ledgerfind.go: a patient's access request
	return cmd
}

// open opens the ledger at ledger.path. The ledger commands read that key
// alone: a config whose export mapping is unfinished must not hide what
// was sent.
func (o *ledgerOptions) open(ctx context.Context, readOnly bool) (*ledger.Ledger, error) {
	_, lpath, err := o.config()
	if err != nil {
		return nil, err
	}
	return o.openPath(ctx, lpath, readOnly)
}

// openChanging opens the ledger at ledger.path to change it, and returns
// its path for recordChange.
func (o *ledgerOptions) openChanging(ctx context.Context) (*ledger.Ledger, string, error) {
	_, lpath, err := o.config()
	if err != nil {
		return nil, "", err
	}
	l, err := o.openPath(ctx, lpath, false)
	return l, lpath, err
}

// recordChange records the ledger's generation in the state directory
// once a command changed it (run.RecordLedgerChange; the change bumped it
// in its own transaction): the backup from before the change, put back,
// then stops the next upload.
// A failure is warned of; the change is made.
func (o *ledgerOptions) recordChange(ctx context.Context, l *ledger.Ledger, lpath string) {
	if err := run.RecordLedgerChange(context.WithoutCancel(ctx), o.f.env(o.root), l, lpath); err != nil {
		o.f.Logger.Warn("could not record the ledger's change in the state directory; a ledger restored from a backup taken before it is not noticed", "error", err)
	}
}

// configReading is the config of a ledger command that may read the
// clinic's exports (find, erase) and the ledger's path: validated as an
// upload's when it reads exports, whose rows are mapped as the upload maps
// them, and as the other ledger commands' otherwise. (find and erase each
// loaded it twice when given exports, the second time to validate.)
func (o *ledgerOptions) configReading(exports bool) (*config.Config, string, error) {
	var cfg *config.Config
	var err error
	if exports {
		cfg, err = o.root.loadConfig(o.f, o.flags, nil)
	} else {
		cfg, err = o.root.loadConfigFor(o.f, o.flags, nil, nil)
	}
	if err != nil {
		return nil, "", err
	}
	lpath, err := ledgerPath(o.f, cfg)
	return cfg, lpath, err
}

// config is the config the ledger commands read, and the ledger's path.
func (o *ledgerOptions) config() (*config.Config, string, error) {
	cfg, err := o.root.loadConfigFor(o.f, o.flags, nil, nil)
	if err != nil {
		return nil, "", err
	}
	lpath, err := ledgerPath(o.f, cfg)
	return cfg, lpath, err
}

// openPath opens the ledger at lpath (Existing: a missing one is an error).
func (o *ledgerOptions) openPath(ctx context.Context, lpath string, readOnly bool) (*ledger.Ledger, error) {
	l, err := ledger.Open(ctx, lpath, ledger.Options{ReadOnly: readOnly, Existing: true, Now: o.f.Now, Warn: func(m string) { o.f.Logger.Warn(m) }, Config: configAbsOf(o.f, o.root)})
	if errors.Is(err, ledger.ErrLocked) {
		return nil, &ExitError{Code: ExitLocked, Err: fmt.Errorf("%w; an upload or another ledger command is using it: try again when it ends", err)}
	}
	return l, err
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// The JSON shapes of `ledger stats --json` and `ledger list --json`,
// documented in README ("JSON output"): snake_case keys, counts for every
// state (zero included) so a monitor need not test for absence.

type ledgerStatsOut struct {
	Path          string                    `json:"path"`
	SchemaVersion int                       `json:"schema_version"`
	Runs          int                       `json:"runs"`
	FirstRun      string                    `json:"first_run,omitempty"`
	LastRun       string                    `json:"last_run,omitempty"`
	Events        map[string]map[string]int `json:"events"` // destination → state → count
	// Adopted: platform → the destination that adopted entries migrated
	// from a ledger without destinations, and when.
	Adopted map[string]string `json:"adopted,omitempty"`
	// FirstDelivered: destination → when this ledger first delivered
	// there (its horizon: Meta keeps back events dated 6 days or more
	// before it, unless upload --backfill).
	FirstDelivered map[string]string `json:"first_delivered,omitempty"`
	// Processing: destination → the platform's processing verdicts, per
	// request as it reported them (destinations it reported on only).
	Processing map[string]ledgerProcessingOut `json:"processing"`
	// LastUpload: the newest run's exit code and, per destination, what
	// did not go through and what waits (run.LastUpload); absent when the
	// ledger has no run with a report.
	LastUpload *run.LastUpload `json:"last_upload,omitempty"`
}

type ledgerProcessingOut struct {
	ProcessedOK     int64 `json:"processed_ok"`
	Failed          int64 `json:"failed"`
	FailedResent    int64 `json:"failed_and_sent_again"`
	StillProcessing int64 `json:"still_processing"`
	NoVerdict       int64 `json:"no_verdict"`
	// Requeued: failed events requeued by hand (ledger requeue).
	Requeued int64 `json:"requeued"`
}

// ledgerStates are every state an event can be in (ledger.States).
var ledgerStates = ledger.States

// ledgerStatsJSON keys states by the word people read (ledger.Label):
// "ingested", not the stored "accepted".
func ledgerStatsJSON(path string, st ledger.Stats, pt map[string]ledger.ProcessingTotals) ledgerStatsOut {
	out := ledgerStatsOut{Path: path, SchemaVersion: st.SchemaVers, Runs: st.Runs, FirstRun: st.FirstRun, LastRun: st.LastRun,
		Events: map[string]map[string]int{}, Adopted: st.Adopted, FirstDelivered: st.FirstDelivered, Processing: map[string]ledgerProcessingOut{}}
	for d, byState := range st.Events {
		m := map[string]int{}
		for _, s := range ledgerStates {
			m[ledger.Label(s)] = byState[s]
		}
		out.Events[d] = m
	}
	for d, t := range pt {
		out.Processing[d] = ledgerProcessingOut{ProcessedOK: t.OK, Failed: t.Failed, FailedResent: t.Resent, StillProcessing: t.Processing, NoVerdict: t.NoVerdict, Requeued: t.Requeued}
	}
	return out
}

type ledgerRunOut struct {
	ID          string         `json:"id"`
	StartedAt   string         `json:"started_at"`
	FinishedAt  string         `json:"finished_at,omitempty"`
	ExitCode    *int64         `json:"exit_code"` // null: the run has not finished (or was killed)
	ToolVersion string         `json:"tool_version"`
	InputSHA256 string         `json:"input_sha256,omitempty"`
	Events      map[string]int `json:"events"` // state → count
	Requests    int            `json:"requests"`
	// StartedAhead: started_at is later than the clock now (a night whose
	// clock ran fast); the list is in the order the runs were recorded.
	StartedAhead bool `json:"started_ahead_of_clock,omitempty"`
}

func ledgerRunsJSON(runs []ledger.Run) []ledgerRunOut {
	out := make([]ledgerRunOut, 0, len(runs))
	for _, r := range runs {
		o := ledgerRunOut{ID: r.ID, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, ToolVersion: r.ToolVersion,
			InputSHA256: r.InputSHA256, Events: map[string]int{}, Requests: r.Requests, StartedAhead: r.Ahead}
		if r.ExitCode.Valid {
			code := r.ExitCode.Int64
			o.ExitCode = &code
		}
		for _, s := range ledgerStates {
			o.Events[ledger.Label(s)] = r.Events[s]
		}
		out = append(out, o)
	}
	return out
}

type ledgerEventOut struct {
	Destination string `json:"destination"`
	EventID     string `json:"event_id"`
	State       string `json:"state"`
	Reason      string `json:"reason,omitempty"`
	RequestID   string `json:"request_id,omitempty"`
	UpdatedAt   string `json:"updated_at"`
}

func ledgerEventsJSON(evs []ledger.Event) []ledgerEventOut {
	out := make([]ledgerEventOut, 0, len(evs))
	for _, e := range evs {
		out = append(out, ledgerEventOut{Destination: e.Destination, EventID: e.EventID, State: e.State, Reason: e.Reason, RequestID: e.RequestID, UpdatedAt: e.UpdatedAt})
	}
	return out
}
