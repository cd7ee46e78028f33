package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/hashgate/hashgate/internal/diagnostics"
)

// ProcessingRun is what the platforms did with one run's events: the morning
// report. Its JSON keys are a stable interface, like the run report's.
type ProcessingRun struct {
	RunID string `json:"run_id"`
	// RecordedAhead: the run recorded requests dated later than the clock
	// that reads them — a night whose clock ran fast. The runs are listed
	// in the order they were recorded; its dates are not when it ran.
	RecordedAhead bool                    `json:"recorded_ahead_of_clock,omitempty"`
	Destinations  []ProcessingDestination `json:"destinations"`
}

// ProcessingDestination is one destination of a run. Ingested =
// ProcessedOK + failed + already recorded events + StillProcessing +
// NoVerdict, when the
// platform reports processing; warned events are among ProcessedOK.
type ProcessingDestination struct {
	Destination string `json:"destination"`
	// Reports says whether the platform reports processing per request
	// at all; Meta does not (a 200 with events_received is all it says).
	Reports     bool               `json:"processing_reported"`
	Ingested    int64              `json:"ingested"`
	ProcessedOK int64              `json:"processed_ok"`
	Failed      []ProcessingReason `json:"failed"`
	Warnings    []ProcessingReason `json:"warnings"`
	// AlreadyRecorded: events the platform already held (Google's
	// DUPLICATE_TRANSACTION_ID, DUPLICATE_GCLID) — not failures.
	AlreadyRecorded []ProcessingReason `json:"already_recorded,omitempty"`
	StillProcessing int64              `json:"still_processing"`
	NoVerdict       int64              `json:"no_verdict"`
	// Requests counts requests by the platform's status word
	// ("" = not read yet).
	Requests map[string]int `json:"requests_by_status"`
	// Coverage is the identifier coverage of the events the run got
	// ingested at this destination's platform, from the run's report.
	Coverage *diagnostics.Figures `json:"identifier_coverage,omitempty"`
	Note     string               `json:"note,omitempty"`
	// OfflineQuality is the platform's own verdict on the dataset's
	// offline events, per event name, when `status` asked and the platform
	// answered (Meta's Dataset Quality API for offline events; the Note
	// says it in words).
	OfflineQuality []QualityEvent `json:"offline_quality,omitempty"`
}

// QualityEvent is a platform's quality verdict on one event name.
type QualityEvent struct {
	EventName string `json:"event_name"`
	// CompositeScore is 0–10; absent when the platform gave none that
	// could be read.
	CompositeScore *float64 `json:"composite_score,omitempty"`
	Recommendation string   `json:"recommendation,omitempty"`
}

// ProcessingReason is a count of events by processing reason.
type ProcessingReason struct {
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

// WriteProcessing renders the processing of runs for people: the
// morning report.
func WriteProcessing(w io.Writer, reports []ProcessingRun) error {
	var b strings.Builder
	for _, rr := range reports {
		fmt.Fprintf(&b, "run %s", rr.RunID)
		if rr.RecordedAhead {
			b.WriteString(" (recorded with a time ahead of this clock: that night's clock ran fast; listed in the order the runs were recorded)")
		}
		b.WriteString("\n")
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
				coverage(&b, d.Coverage)
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
			if n := reasonEvents(d.AlreadyRecorded); n > 0 {
				fmt.Fprintf(&b, ", %d already recorded", n)
			}
			b.WriteString("\n")
			processingReasons(&b, "failed", d.Failed)
			processingReasons(&b, "warnings (counted, with a problem)", d.Warnings)
			processingReasons(&b, "already recorded (the platform held them already: not failed)", d.AlreadyRecorded)
			coverage(&b, d.Coverage)
			if d.Note != "" {
				fmt.Fprintf(&b, "    %s\n", d.Note)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func reasonEvents(list []ProcessingReason) int64 {
	n := int64(0)
	for _, r := range list {
		n += r.Events
	}
	return n
}

func processingReasons(b *strings.Builder, title string, list []ProcessingReason) {
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

func coverage(b *strings.Builder, f *diagnostics.Figures) {
	if f != nil {
		fmt.Fprintf(b, "    identifier coverage: %s\n", f.Text())
	}
}
