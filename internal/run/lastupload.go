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
	"time"

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
	RunID     string    `json:"run_id"`
	StartedAt time.Time `json:"started_at"`
	ExitCode  int       `json:"exit_code"`
	// Refused: the run stopped before sending (the safety net, a
	// structural stop) and was dropped from the ledger (dropRefusedRun);
	// RunID names its report in the state directory, Cause is the stop as
	// the run printed it — an error, which names no value.
	Refused      bool                    `json:"refused_before_sending,omitempty"`
	Cause        string                  `json:"cause,omitempty"`
	Destinations []LastUploadDestination `json:"destinations,omitempty"`
	// Earlier are the night's other uploads that did not end clean (a
	// night of two exports whose first was cut short), newest first: the
	// last one alone hid an exit 3 behind a clean second file.
	Earlier []LastUpload `json:"earlier_the_same_night,omitempty"`
	// written is when its report was written to the state directory
	// (zero when not there): the order of runs started in one second.
	written time.Time
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

// ReadLastUpload reads the report of the newest upload attempt for real,
// with the night's earlier ones that did not end clean: the runs the
// ledger recorded, and the runs refused before sending that it dropped
// (refusedUploads). A `--validate` run recorded after it delivered
// nothing and says nothing of what the night left (a review: a
// validation the morning after an outage hid the events waiting). Each
// report is the copy the ledger keeps with the run, else the state
// directory's (reports/<run>.json, written after the outputs: a run whose
// ledger record failed). ok is false when there is no such attempt: the
// newest recorded run left no report (it did not finish) and no refused
// one came after it, or none of the newest lastUploadRuns runs is one.
func ReadLastUpload(ctx context.Context, env *Env, led *ledger.Ledger) (LastUpload, bool, error) {
	ids, err := led.RunIDs(ctx, lastUploadRuns)
	if err != nil {
		return LastUpload{}, false, err
	}
	var (
		all   []LastUpload
		since time.Time // refused runs older than the newest recorded one's night are not said
	)
	if len(ids) > 0 {
		since = runIDTime(ids[0]).Add(-nightSpan)
	}
	for i, id := range ids {
		sum, ok, err := readRunReport(ctx, env, led, id)
		if err != nil {
			return LastUpload{}, false, err
		}
		if !ok {
			if i == 0 {
				since = runIDTime(id) // only a refused run after it is said
			}
			break // an unfinished run: nothing to say of it, nor of the nights before
		}
		if !sum.Validation {
			if len(all) == 0 {
				since = sum.StartedAt.Add(-nightSpan)
			}
			all = append(all, lastUploadOf(id, sum))
		}
	}
	all = append(all, refusedUploads(env, since)...)
	if len(all) == 0 {
		return LastUpload{}, false, nil
	}
	// Runs of the same instant (a clock that did not move) in the order
	// their reports were written, so that "last upload", "earlier the same
	// night" and status's exit name one run the last (a review: the good
	// run was said last, and the refused one after it "the last night's");
	// with no report written to tell them, recorded runs first.
	for i := range all {
		all[i].written = reportWritten(env, all[i].RunID)
	}
	slices.SortStableFunc(all, func(a, b LastUpload) int {
		if c := b.StartedAt.Compare(a.StartedAt); c != 0 {
			return c
		}
		return b.written.Compare(a.written)
	})
	last := all[0]
	for _, lu := range all[1:] {
		if last.StartedAt.Sub(lu.StartedAt) < nightSpan && !lu.clean() {
			last.Earlier = append(last.Earlier, lu)
		}
	}
	return last, true, nil
}

// reportWritten is when run id's report was written to the state
// directory; zero when it cannot be told.
func reportWritten(env *Env, id string) time.Time {
	if env.StateDir == nil {
		return time.Time{}
	}
	dir, err := env.StateDir()
	if err != nil {
		return time.Time{}
	}
	fi, err := os.Stat(filepath.Join(dir, "reports", id+".json"))
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}

// nightSpan is how far before the last upload attempt another counts as
// the same night's: a nightly job's files run within minutes of each
// other, and the night before is a day away.
const nightSpan = 12 * time.Hour

// clean is an upload that exited 0 with nothing left over: the morning
// report says nothing of it.
func (lu LastUpload) clean() bool {
	return lu.ExitCode == 0 && len(lu.Destinations) == 0 && !lu.Refused
}

// RefusedTonight says whether the last night's uploads hold one refused
// before sending: `status` exits 1 on it (refusedExit).
func (lu LastUpload) RefusedTonight() *LastUpload {
	if lu.Refused {
		return &lu
	}
	for i := range lu.Earlier {
		if lu.Earlier[i].Refused {
			return &lu.Earlier[i]
		}
	}
	return nil
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
	lu := LastUpload{RunID: runID, StartedAt: sum.StartedAt, ExitCode: sum.ExitCode}
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
// count or stop of each destination; then the same for each earlier upload
// of the night that did not end clean.
func (lu LastUpload) WriteText(w io.Writer) error {
	if lu.clean() && len(lu.Earlier) == 0 {
		return nil
	}
	var b strings.Builder
	lu.writeBlock(&b, "last upload")
	for _, e := range lu.Earlier {
		e.writeBlock(&b, "earlier the same night, upload")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeBlock writes one upload's lines under its header.
func (lu LastUpload) writeBlock(b *strings.Builder, header string) {
	if lu.Refused {
		fmt.Fprintf(b, "%s %s: exit %d, refused before sending: %s\n", header, lu.RunID, lu.ExitCode, strings.ReplaceAll(lu.Cause, "\n", " "))
		fmt.Fprintf(b, "  nothing was sent by it, and the ledger keeps no run of it (its report: reports/%s.json in the state directory)\n", lu.RunID)
		return
	}
	fmt.Fprintf(b, "%s %s: exit %d\n", header, lu.RunID, lu.ExitCode)
	for _, d := range lu.Destinations {
		if d.Stopped != "" {
			fmt.Fprintf(b, "  %s: stopped: %s\n", d.Destination, d.Stopped)
		}
		if d.NotSent > 0 {
			fmt.Fprintf(b, "  %s: not sent %d", d.Destination, d.NotSent)
			if d.Cause != "" && (d.Stopped == "" || d.Outage) {
				fmt.Fprintf(b, " (%s)", d.Cause) // a setting's stop said it above
			}
			b.WriteString("\n")
		}
		if n := total(d.Rejected); n > 0 {
			var rs []string
			for _, k := range slices.Sorted(maps.Keys(d.Rejected)) {
				rs = append(rs, fmt.Sprintf("%s %d", k, d.Rejected[k]))
			}
			fmt.Fprintf(b, "  %s: rejected %d (%s)\n", d.Destination, n, strings.Join(rs, ", "))
		}
		if d.Unanswered > 0 {
			fmt.Fprintf(b, "  %s: unanswered %d (may have arrived)\n", d.Destination, d.Unanswered)
		}
		switch {
		case d.Waiting > 0 && d.Stopped != "" && !d.Outage:
			fmt.Fprintf(b, "  %s: %d events wait until the stop above is fixed\n", d.Destination, d.Waiting)
		case d.Waiting > 0:
			fmt.Fprintf(b, "  %s: %d events wait for the next upload, which sends them again\n", d.Destination, d.Waiting)
		}
		if d.UnconfirmedPastWindow > 0 {
			fmt.Fprintf(b, "  %s: %d events left unconfirmed past the deduplication window wait for a person: found at the platform, `hashgate ledger confirm --run ID`; missing, `hashgate upload --resend-unconfirmed`\n", d.Destination, d.UnconfirmedPastWindow)
		}
	}
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
