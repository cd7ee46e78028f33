package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/ledger"
)

func newLedgerCmd(f *Factory, root *rootOptions) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ledger stats|list|forget",
		Short: "Inspect or prune the record of what each platform ingested and did with it",
		Long: `The ledger (ledger.path, default $XDG_STATE_HOME/hashgate/ledger.db) holds, per
request, the destination (google:<operating account>/<conversion action>,
meta:<dataset id>), its event ids and what the platform answered, with the run
and request id. It holds no personal data: event ids are keyed hashes.`,
		Example: `  hashgate ledger stats
  hashgate ledger list --limit 7
  hashgate ledger forget --before 2025-01-01`,
		Args: subcommandArgs,
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	open := func(ctx context.Context, flags *pflag.FlagSet, readOnly bool) (*ledger.Ledger, error) {
		// The ledger commands read ledger.path alone: a config whose export
		// mapping is unfinished must not hide what was sent.
		cfg, err := root.loadConfigFor(f, flags, nil, nil)
		if err != nil {
			return nil, err
		}
		lpath, err := ledgerPath(f, cfg)
		if err != nil {
			return nil, err
		}
		l, err := ledger.Open(ctx, lpath, ledger.Options{ReadOnly: readOnly, Now: f.Now, Warn: func(m string) { f.Logger.Warn(m) }})
		if errors.Is(err, ledger.ErrLocked) {
			return nil, &ExitError{Code: ExitLocked, Err: fmt.Errorf("%w: an upload is running; try again when it ends", err)}
		}
		return l, err
	}
	var statsJSON bool
	stats := &cobra.Command{
		Use:   "stats",
		Short: "Count events per destination and state",
		Example: `  hashgate ledger stats
  hashgate ledger stats --json | jq '.events, .processing'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			l, err := open(c.Context(), c.Flags(), true)
			if err != nil {
				return err
			}
			defer l.Close()
			st, err := l.Stats(c.Context())
			if err != nil {
				return err
			}
			pt, err := l.ProcessingTotals(c.Context())
			if err != nil {
				return err
			}
			if statsJSON {
				return writeJSON(f.IO.Out, ledgerStatsJSON(l.Path(), st, pt))
			}
			w := bufio.NewWriter(f.IO.Out)
			fmt.Fprintf(w, "ledger %s (schema %d): %d runs", l.Path(), st.SchemaVers, st.Runs)
			if st.Runs > 0 {
				fmt.Fprintf(w, ", %s … %s", st.FirstRun, st.LastRun)
			}
			fmt.Fprintln(w)
			for _, p := range sortedKeys(st.Adopted) {
				fmt.Fprintf(w, "  %s entries from before destinations were told apart belong to %s\n", p, st.Adopted[p])
			}
			for _, d := range sortedKeys(st.Events) {
				var parts []string
				for _, s := range ledger.States {
					parts = append(parts, fmt.Sprintf("%s %d", ledger.Label(s), st.Events[d][s]))
				}
				fmt.Fprintf(w, "  %s: %s\n", d, strings.Join(parts, ", "))
			}
			for _, d := range sortedKeys(pt) {
				t := pt[d]
				fmt.Fprintf(w, "  %s processing (per request, as the platform reported it): processed ok %d, failed %d, failed and sent again %d, still processing %d, no verdict %d\n",
					d, t.OK, t.Failed, t.Resent, t.Processing, t.NoVerdict)
			}
			return w.Flush()
		},
	}
	stats.Flags().BoolVar(&statsJSON, "json", false, "print the counts as JSON")
	cmd.AddCommand(stats)
	var runID string
	var limit int
	var listJSON bool
	list := &cobra.Command{
		Use:   "list [--run ID]",
		Short: "List runs, or the events of one run",
		Example: `  hashgate ledger list --limit 7
  hashgate ledger list --run 20261123T020000Z-a1b2c3
  hashgate ledger list --json | jq '.[] | select(.exit_code != 0)'`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			l, err := open(c.Context(), c.Flags(), true)
			if err != nil {
				return err
			}
			defer l.Close()
			w := bufio.NewWriter(f.IO.Out)
			defer w.Flush()
			if runID != "" {
				evs, err := l.Events(c.Context(), runID)
				if err != nil {
					return err
				}
				if listJSON {
					return writeJSON(f.IO.Out, ledgerEventsJSON(evs))
				}
				fmt.Fprintln(w, "destination\tevent_id\tstate\treason\trequest_id\tupdated_at")
				for _, e := range evs {
					fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", e.Destination, e.EventID, e.State, e.Reason, e.RequestID, e.UpdatedAt)
				}
				return w.Flush()
			}
			runs, err := l.Runs(c.Context(), limit)
			if err != nil {
				return err
			}
			if listJSON {
				return writeJSON(f.IO.Out, ledgerRunsJSON(runs))
			}
			fmt.Fprintln(w, "run\tstarted\tfinished\texit\tingested\tsent\trejected\tquarantined\tvalidated\trequests\tversion")
			for _, r := range runs {
				exit := "-"
				if r.ExitCode.Valid {
					exit = fmt.Sprint(r.ExitCode.Int64)
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\n", r.ID, r.StartedAt, r.FinishedAt, exit,
					r.Events[ledger.StateAccepted], r.Events[ledger.StateSent], r.Events[ledger.StateRejected], r.Events[ledger.StateQuarantined],
					r.Events[ledger.StateValidated], r.Requests, r.ToolVersion)
			}
			return w.Flush()
		},
	}
	list.Flags().StringVar(&runID, "run", "", "list the events last touched by this run")
	list.Flags().IntVar(&limit, "limit", 50, "how many runs to list")
	list.Flags().BoolVar(&listJSON, "json", false, "print the runs (or the run's events) as JSON")
	cmd.AddCommand(list)
	var before string
	forget := &cobra.Command{
		Use:   "forget --before DATE",
		Short: "Delete events and runs older than DATE (YYYY-MM-DD)",
		Long: `forget deletes ledger entries last updated before DATE. Conversions it forgets
are sent again if a later export still contains them, and Meta counts a
resent event again: it deduplicates physical_store events only within 7
days (offline-events page, "Set Up Deduplication"). So keep at least the
platforms' event windows — 90 days for Google, 62 for Meta — beyond which
an event is too old to be sent at all. Uploads apply ledger.retention_days
(default 400) by themselves. A date in the future is refused: it would
forget everything.`,
		Example: `  hashgate ledger forget --before 2025-01-01`,
		Args:    usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			t, err := time.ParseInLocation("2006-01-02", before, time.Local)
			if err != nil {
				return &UsageError{Err: errors.New("--before must be a date YYYY-MM-DD")}
			}
			if t.After(f.Now()) {
				// Every entry is older than a future date: it would wipe the
				// ledger, and the next run would send everything again.
				return &UsageError{Err: fmt.Errorf("--before %s is in the future: it would forget every event, and the next upload would resend them all; give a past date", before)}
			}
			l, err := open(c.Context(), c.Flags(), false)
			if err != nil {
				return err
			}
			defer l.Close()
			n, err := l.Forget(c.Context(), t)
			if err != nil {
				return err
			}
			fmt.Fprintf(f.IO.ErrOut, "hashgate ledger: forgot %d events last updated before %s\n", n, before)
			return nil
		},
	}
	forget.Flags().StringVar(&before, "before", "", "date YYYY-MM-DD (required)")
	cmd.AddCommand(forget)
	return cmd
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
	// Processing: destination → the platform's processing verdicts, per
	// request as it reported them (destinations it reported on only).
	Processing map[string]ledgerProcessingOut `json:"processing"`
}

type ledgerProcessingOut struct {
	ProcessedOK     int64 `json:"processed_ok"`
	Failed          int64 `json:"failed"`
	FailedResent    int64 `json:"failed_and_sent_again"`
	StillProcessing int64 `json:"still_processing"`
	NoVerdict       int64 `json:"no_verdict"`
}

// ledgerStates are every state an event can be in (ledger.States).
var ledgerStates = ledger.States

// ledgerStatsJSON keys states by the word people read (ledger.Label):
// "ingested", not the stored "accepted".
func ledgerStatsJSON(path string, st ledger.Stats, pt map[string]ledger.ProcessingTotals) ledgerStatsOut {
	out := ledgerStatsOut{Path: path, SchemaVersion: st.SchemaVers, Runs: st.Runs, FirstRun: st.FirstRun, LastRun: st.LastRun,
		Events: map[string]map[string]int{}, Adopted: st.Adopted, Processing: map[string]ledgerProcessingOut{}}
	for d, byState := range st.Events {
		m := map[string]int{}
		for _, s := range ledgerStates {
			m[ledger.Label(s)] = byState[s]
		}
		out.Events[d] = m
	}
	for d, t := range pt {
		out.Processing[d] = ledgerProcessingOut{ProcessedOK: t.OK, Failed: t.Failed, FailedResent: t.Resent, StillProcessing: t.Processing, NoVerdict: t.NoVerdict}
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
}

func ledgerRunsJSON(runs []ledger.Run) []ledgerRunOut {
	out := make([]ledgerRunOut, 0, len(runs))
	for _, r := range runs {
		o := ledgerRunOut{ID: r.ID, StartedAt: r.StartedAt, FinishedAt: r.FinishedAt, ToolVersion: r.ToolVersion,
			InputSHA256: r.InputSHA256, Events: map[string]int{}, Requests: r.Requests}
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
