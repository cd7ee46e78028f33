package run

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/report"
)

// LastUpload is what `hashgate status` (and `ledger stats`) say of the
// newest run the ledger recorded, from its report: its exit code and, per
// destination, what did not go through and what waits. Zero counts are
// left out (JSON omitempty), as the lines are. Until this, a Google 503
// night's status listed the run with Meta only and exited 0, and a night
// the setting stop kept from Google printed a bare run header: nothing
// said what failed or still waited.
type LastUpload struct {
	RunID        string                  `json:"run_id"`
	ExitCode     int                     `json:"exit_code"`
	Destinations []LastUploadDestination `json:"destinations,omitempty"`
}

// LastUploadDestination is one destination of the last upload.
type LastUploadDestination struct {
	Destination string `json:"destination"`
	// NotSent: never sent, or cut short by the destination's stop.
	NotSent int `json:"not_sent,omitempty"`
	// Rejected: refused by the platform, by reason; unanswered events are
	// apart (they may have arrived).
	Rejected   map[string]int `json:"rejected,omitempty"`
	Unanswered int            `json:"unanswered,omitempty"`
	// Stopped is the destination's stop, in the words that name the
	// setting to fix; Cause is why its requests failed (an outage).
	Stopped string `json:"stopped,omitempty"`
	Cause   string `json:"cause,omitempty"`
	// Outage: the stop was the retry budget spent, not a setting: the
	// next upload tries again by itself.
	Outage bool `json:"stopped_by_outage,omitempty"`
	// Waiting: events the next upload sends again (not sent, rejected,
	// unanswered); UnconfirmedPastWindow: events that wait for a person
	// (`ledger confirm`, or `upload --resend-unconfirmed`).
	Waiting               int `json:"waiting_for_next_upload,omitempty"`
	UnconfirmedPastWindow int `json:"unconfirmed_past_dedup_window,omitempty"`
}

// ReadLastUpload reads the report of the newest run that was an upload
// for real: a `--validate` run recorded after it delivered nothing and
// says nothing of what the night left (a review: a validation the morning
// after an outage hid the events waiting). Each report is the copy the
// ledger keeps with the run, else the state directory's
// (reports/<run>.json, written after the outputs: a run whose ledger
// record failed). ok is false when the newest such run left no report (it
// did not finish), or none of the newest lastUploadRuns runs is one.
func ReadLastUpload(ctx context.Context, env *Env, led *ledger.Ledger) (LastUpload, bool, error) {
	ids, err := led.RunIDs(ctx, lastUploadRuns)
	if err != nil {
		return LastUpload{}, false, err
	}
	for _, id := range ids {
		sum, ok, err := readRunReport(ctx, env, led, id)
		if err != nil {
			return LastUpload{}, false, err
		}
		if !ok {
			return LastUpload{}, false, nil // the newest upload did not finish: nothing to say of it
		}
		if !sum.Validation {
			return lastUploadOf(id, sum), true, nil
		}
	}
	return LastUpload{}, false, nil
}

// lastUploadRuns is how many of the newest runs ReadLastUpload looks
// through for an upload for real: a few validations in a row, not a year.
const lastUploadRuns = 10

// readRunReport reads run id's report; ok is false when there is none (an
// unfinished or killed run).
func readRunReport(ctx context.Context, env *Env, led *ledger.Ledger, id string) (*report.Summary, bool, error) {
	raw, err := led.Report(ctx, id)
	if err != nil {
		return nil, false, err
	}
	if raw == "" {
		dir, derr := env.StateDir()
		if derr != nil {
			return nil, false, nil
		}
		b, rerr := os.ReadFile(filepath.Join(dir, "reports", id+".json"))
		if rerr != nil {
			return nil, false, nil // unfinished, or killed: nothing to say
		}
		raw = string(b)
	}
	var sum report.Summary
	if err := json.Unmarshal([]byte(raw), &sum); err != nil {
		return nil, false, fmt.Errorf("the report of run %s: %w", id, err)
	}
	return &sum, true, nil
}

// lastUploadOf reduces a run report to what LastUpload says.
func lastUploadOf(runID string, sum *report.Summary) LastUpload {
	lu := LastUpload{RunID: runID, ExitCode: sum.ExitCode}
	for _, u := range sum.Uploads {
		rejected := maps.Clone(u.Rejected)
		unanswered := rejected[report.UnansweredReason]
		delete(rejected, report.UnansweredReason)
		for k, v := range rejected {
			if v == 0 {
				delete(rejected, k)
			}
		}
		d := LastUploadDestination{Destination: u.Destination, NotSent: u.Unsent, Unanswered: unanswered, Stopped: u.Fatal, Cause: u.Cause, Outage: u.Outage,
			Waiting: u.Unsent + total(u.Rejected), UnconfirmedPastWindow: u.UnconfirmedPastWindow}
		if len(rejected) > 0 {
			d.Rejected = rejected
		}
		if d.NotSent+d.Unanswered+d.Waiting+d.UnconfirmedPastWindow > 0 || len(d.Rejected) > 0 || d.Stopped != "" {
			lu.Destinations = append(lu.Destinations, d)
		}
	}
	return lu
}

// WriteText writes the last upload's lines: nothing for a run that exited
// 0 with nothing left over, else its exit code and one line per non-zero
// count or stop of each destination.
func (lu LastUpload) WriteText(w io.Writer) error {
	if lu.ExitCode == 0 && len(lu.Destinations) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "last upload %s: exit %d\n", lu.RunID, lu.ExitCode)
	for _, d := range lu.Destinations {
		if d.Stopped != "" {
			fmt.Fprintf(&b, "  %s: stopped: %s\n", d.Destination, d.Stopped)
		}
		if d.NotSent > 0 {
			fmt.Fprintf(&b, "  %s: not sent %d", d.Destination, d.NotSent)
			if d.Cause != "" && (d.Stopped == "" || d.Outage) {
				fmt.Fprintf(&b, " (%s)", d.Cause) // a setting's stop said it above
			}
			b.WriteString("\n")
		}
		if n := total(d.Rejected); n > 0 {
			var rs []string
			for _, k := range slices.Sorted(maps.Keys(d.Rejected)) {
				rs = append(rs, fmt.Sprintf("%s %d", k, d.Rejected[k]))
			}
			fmt.Fprintf(&b, "  %s: rejected %d (%s)\n", d.Destination, n, strings.Join(rs, ", "))
		}
		if d.Unanswered > 0 {
			fmt.Fprintf(&b, "  %s: unanswered %d (may have arrived)\n", d.Destination, d.Unanswered)
		}
		switch {
		case d.Waiting > 0 && d.Stopped != "" && !d.Outage:
			fmt.Fprintf(&b, "  %s: %d events wait until the stop above is fixed\n", d.Destination, d.Waiting)
		case d.Waiting > 0:
			fmt.Fprintf(&b, "  %s: %d events wait for the next upload, which sends them again\n", d.Destination, d.Waiting)
		}
		if d.UnconfirmedPastWindow > 0 {
			fmt.Fprintf(&b, "  %s: %d events left unconfirmed past the deduplication window wait for a person: found at the platform, `hashgate ledger confirm --run ID`; missing, `hashgate upload --resend-unconfirmed`\n", d.Destination, d.UnconfirmedPastWindow)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// lastUploadOrWarn is ReadLastUpload for a report command: a report that
// cannot be read is warned of, never the command's failure; nil when
// there is none.
func lastUploadOrWarn(ctx context.Context, env *Env, led *ledger.Ledger) *LastUpload {
	lu, ok, err := ReadLastUpload(ctx, env, led)
	if err != nil {
		env.Logger.Warn("could not read the last upload's report", "error", err)
	}
	if !ok {
		return nil
	}
	return &lu
}
