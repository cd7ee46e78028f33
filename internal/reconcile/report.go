package reconcile

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/hashgate/hashgate/internal/diagnostics"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/report"
)

// Report builds the morning report of runs from the ledger. Destinations
// of platforms among reporting get their processing figures; others
// (Meta) only what was ingested, with a note saying so.
func Report(ctx context.Context, l *ledger.Ledger, runs []string, reporting map[string]bool, notes map[string]string) ([]report.ProcessingRun, error) {
	var out []report.ProcessingRun
	for _, run := range runs {
		sums, err := l.Processing(ctx, run)
		if err != nil {
			return nil, err
		}
		rr := report.ProcessingRun{RunID: run, Destinations: []report.ProcessingDestination{}}
		cov := coverage(ctx, l, run)
		for _, s := range sums {
			platform, _, _ := strings.Cut(s.Destination, ":")
			d := report.ProcessingDestination{Destination: s.Destination, Ingested: s.Ingested, Failed: []report.ProcessingReason{}, Warnings: []report.ProcessingReason{}, Requests: s.Requests}
			if reporting[platform] {
				d.Reports = true
				d.ProcessedOK, d.StillProcessing, d.NoVerdict = s.OK, s.Processing, s.NoVerdict
				for _, f := range s.Failed {
					d.Failed = append(d.Failed, report.ProcessingReason{Reason: f.Reason, Events: f.Events, ResentByNextUpload: f.Resend, NotIdentified: f.Unattributed})
				}
				for _, a := range s.AlreadyRecorded {
					d.AlreadyRecorded = append(d.AlreadyRecorded, report.ProcessingReason{Reason: a.Reason, Events: a.Events, NotIdentified: a.Unattributed})
				}
				for _, w := range s.Warnings {
					d.Warnings = append(d.Warnings, report.ProcessingReason{Reason: w.Reason, Events: w.Events, NotIdentified: w.Unattributed})
				}
			} else {
				d.Requests = nil
			}
			d.Note = notes[platform]
			d.Coverage = cov[platform]
			rr.Destinations = append(rr.Destinations, d)
		}
		if len(rr.Destinations) > 0 { // a run that got nothing ingested has nothing to report
			out = append(out, rr)
		}
	}
	return out, nil
}

// coverage reads the identifier coverage the run's report kept, per
// platform; none when the run kept no report (it was killed) or an older
// hashgate wrote it.
func coverage(ctx context.Context, l *ledger.Ledger, run string) map[string]*diagnostics.Figures {
	out := map[string]*diagnostics.Figures{}
	raw, err := l.Report(ctx, run)
	if err != nil || raw == "" {
		return out
	}
	var sum report.Summary
	if json.Unmarshal([]byte(raw), &sum) != nil {
		return out
	}
	for _, u := range sum.Uploads {
		if u.Coverage != nil && !u.ValidateOnly {
			out[u.Destination] = u.Coverage
		}
	}
	return out
}
