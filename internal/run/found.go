package run

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// failuresFound reads, before the run is recorded, the processing
// failures of earlier runs first read since the upload before this one
// (ledger.FailuresFoundAfter): by this night's reconcile, or by a `status`
// run in between. A ledger without a run has none.
func failuresFound(ctx context.Context, led *ledger.Ledger) ([]report.FoundFailure, error) {
	after, ok, err := led.LastRunStart(ctx)
	if err != nil || !ok {
		return nil, err
	}
	found, err := led.FailuresFoundAfter(ctx, after)
	if err != nil {
		return nil, err
	}
	out := make([]report.FoundFailure, 0, len(found))
	for _, f := range found {
		out = append(out, report.FoundFailure{Destination: f.Destination, Reason: f.Reason, Events: f.Events, ResentByNextUpload: f.Retry})
	}
	return out, nil
}

// failuresOutcome makes the night that first finds processing failures of
// earlier runs exit 3 (partial: something was not delivered), with one
// line saying what failed and what hashgate does about it. The platform
// took those events and then failed them: until this, such a night exited
// 0 while its summary said "0 processed ok, 4 failed", and alerting,
// which reads exit codes, heard of it only when the setting stop (three
// runs in a row) exited 1. A night that exits 1 or 3 for its own reasons
// keeps its code, and says the failures too. Reasons the platform calls
// expected (Spec.ExpectedFailures) are counted in the report only.
func failuresOutcome(err error, found []report.FoundFailure) error {
	var parts []string
	n := int64(0)
	for _, f := range found {
		name, _, _ := strings.Cut(f.Destination, ":")
		p, perr := platform.Parse(name)
		if perr != nil || p.Spec() == nil || p.Spec().ExpectedFailures[f.Reason] {
			continue
		}
		n += f.Events
		parts = append(parts, fmt.Sprintf("%s %s %d (%s)", p.String(), f.Reason, f.Events, failureWhatNext(p.Spec(), f)))
	}
	if n == 0 {
		return err
	}
	events := "events"
	if n == 1 {
		events = "event"
	}
	line := fmt.Sprintf("%d %s of earlier runs failed the platform's processing, found since the last upload: %s", n, events, strings.Join(parts, "; "))
	var ee *ExitError
	switch {
	case err == nil:
		return &ExitError{Code: ExitPartial, Err: errors.New(line)}
	case errors.As(err, &ee) && (ee.Code == ExitPartial || ee.Code == ExitFailure):
		return &ExitError{Code: ee.Code, Err: fmt.Errorf("%w; %s", err, line)}
	}
	return err
}

// failureWhatNext says what hashgate does with events that failed with f's
// reason: send them again from this upload on (the Filter leaves a
// retryable failure out of the done set; for an account setting, the
// platform's run count stops it), or leave them, counted, until a person
// requeues them.
func failureWhatNext(spec *platform.Spec, f report.FoundFailure) string {
	if setting, ok := spec.SettingReasons[f.Reason]; ok && spec.SettingRuns > 0 {
		return fmt.Sprintf("fix %s; this upload sends them again, and %d runs in a row with this reason stop %s until `hashgate upload --setting-fixed`", setting, spec.SettingRuns, spec.Title)
	}
	if f.ResentByNextUpload {
		return "this upload sends them again"
	}
	return "not sent again: fix the rows at the source, then `hashgate ledger requeue`"
}
