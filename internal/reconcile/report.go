package reconcile

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/hashgate/hashgate/internal/ledger"
)

// RunReport is what the platforms did with one run's events: the morning
// report. Its JSON keys are a stable interface, like the run report's.
type RunReport struct {
	RunID        string              `json:"run_id"`
	Destinations []DestinationReport `json:"destinations"`
}

// DestinationReport is one destination of a run. Ingested =
// ProcessedOK + failed events + StillProcessing + NoVerdict, when the
// platform reports processing; warned events are among ProcessedOK.
type DestinationReport struct {
	Destination string `json:"destination"`
	// Reports says whether the platform reports processing per request
	// at all; Meta does not (a 200 with events_received is all it says).
	Reports         bool     `json:"processing_reported"`
	Ingested        int64    `json:"ingested"`
	ProcessedOK     int64    `json:"processed_ok"`
	Failed          []Reason `json:"failed"`
	Warnings        []Reason `json:"warnings"`
	StillProcessing int64    `json:"still_processing"`
	NoVerdict       int64    `json:"no_verdict"`
	// Requests counts requests by the platform's status word
	// ("" = not read yet).
	Requests map[string]int `json:"requests_by_status"`
	Note     string         `json:"note,omitempty"`
}

// Reason is a count of events by processing reason.
type Reason struct {
	Reason string `json:"reason"`
	Events int64  `json:"events"`
	// ResentByNextUpload: a resend can overcome this failure, and the
	// next upload sends these events again.
	ResentByNextUpload bool `json:"resent_by_next_upload,omitempty"`
	// NotIdentified of Events were counted by the platform without saying
	// which records: those events cannot be named, and none is resent on
	// a guess.
	NotIdentified int64 `json:"events_not_identified,omitempty"`
}

// Report builds the morning report of runs from the ledger. Destinations
// of platforms among reporting get their processing figures; others
// (Meta) only what was ingested, with a note saying so.
func Report(ctx context.Context, l *ledger.Ledger, runs []string, reporting map[string]bool, notes map[string]string) ([]RunReport, error) {
	var out []RunReport
	for _, run := range runs {
		sums, err := l.Processing(ctx, run)
		if err != nil {
			return nil, err
		}
		rr := RunReport{RunID: run, Destinations: []DestinationReport{}}
		for _, s := range sums {
			platform, _, _ := strings.Cut(s.Destination, ":")
			d := DestinationReport{Destination: s.Destination, Ingested: s.Ingested, Failed: []Reason{}, Warnings: []Reason{}, Requests: s.Requests}
			if reporting[platform] {
				d.Reports = true
				d.ProcessedOK, d.StillProcessing, d.NoVerdict = s.OK, s.Processing, s.NoVerdict
				for _, f := range s.Failed {
					d.Failed = append(d.Failed, Reason{Reason: f.Reason, Events: f.Events, ResentByNextUpload: f.Resend, NotIdentified: f.Unattributed})
				}
				for _, w := range s.Warnings {
					d.Warnings = append(d.Warnings, Reason{Reason: w.Reason, Events: w.Events, NotIdentified: w.Unattributed})
				}
			} else {
				d.Requests = nil
			}
			d.Note = notes[platform]
			rr.Destinations = append(rr.Destinations, d)
		}
		out = append(out, rr)
	}
	return out, nil
}

// WriteText renders reports for people.
func WriteText(w io.Writer, reports []RunReport) error {
	var b strings.Builder
	for _, rr := range reports {
		fmt.Fprintf(&b, "run %s\n", rr.RunID)
		if len(rr.Destinations) == 0 {
			b.WriteString("  nothing ingested\n")
		}
		for _, d := range rr.Destinations {
			if !d.Reports {
				fmt.Fprintf(&b, "  %s: %d ingested", d.Destination, d.Ingested)
				if d.Note != "" {
					fmt.Fprintf(&b, " (%s)", d.Note)
				}
				b.WriteString("\n")
				continue
			}
			failed := int64(0)
			for _, f := range d.Failed {
				failed += f.Events
			}
			fmt.Fprintf(&b, "  %s: %d ingested; %d processed ok, %d failed, %d still processing", d.Destination, d.Ingested, d.ProcessedOK, failed, d.StillProcessing)
			if d.NoVerdict > 0 {
				fmt.Fprintf(&b, ", %d without a verdict", d.NoVerdict)
			}
			b.WriteString("\n")
			reasons(&b, "failed", d.Failed)
			reasons(&b, "warnings (counted, with a problem)", d.Warnings)
			if d.Note != "" {
				fmt.Fprintf(&b, "    %s\n", d.Note)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func reasons(b *strings.Builder, title string, list []Reason) {
	if len(list) == 0 {
		return
	}
	fmt.Fprintf(b, "    %s:\n", title)
	width := 0
	for _, r := range list {
		width = max(width, len(r.Reason))
	}
	for _, r := range list {
		fmt.Fprintf(b, "      %-*s %d", width, r.Reason, r.Events)
		var notes []string
		if r.ResentByNextUpload {
			notes = append(notes, "resent by the next upload")
		}
		if r.NotIdentified > 0 {
			notes = append(notes, fmt.Sprintf("%d not identified: the platform gave counts only", r.NotIdentified))
		}
		if len(notes) > 0 {
			fmt.Fprintf(b, " (%s)", strings.Join(notes, "; "))
		}
		b.WriteString("\n")
	}
}
