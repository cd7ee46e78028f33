package run

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// failuresFound reads, before the run is recorded, the processing
// failures of earlier runs no upload has said yet (ledger.FailureMarks,
// FailuresFoundAfter): read by this night's reconcile, or by a `status`
// run in between. Only the destinations this config sends to for real
// are read — not a validation's, nor another config's on a shared ledger —
// and every enabled destination's mark is set up first, so a run that
// says nothing (a validation) cannot hide them from the next. The
// ledger's counts come back too, for markFailuresSaid.
func failuresFound(ctx context.Context, led *ledger.Ledger, cfg *config.Config) ([]report.FoundFailure, []ledger.FoundFailure, error) {
	var all, live []string
	for _, p := range cfg.Enabled() {
		key := ledger.DestinationKey(p.String(), cfg.DestinationIdentity(p))
		all = append(all, key)
		if !cfg.TestRun(p) {
			live = append(live, key)
		}
	}
	marks, err := led.FailureMarks(ctx, all)
	if err != nil {
		return nil, nil, err
	}
	for key := range marks {
		if !slices.Contains(live, key) {
			delete(marks, key)
		}
	}
	found, err := led.FailuresFoundAfter(ctx, marks)
	if err != nil {
		return nil, nil, err
	}
	out := make([]report.FoundFailure, 0, len(found))
	for _, f := range found {
		out = append(out, report.FoundFailure{Destination: f.Destination, Reason: f.Reason, Events: f.Events, ResentByNextUpload: f.Retry})
	}
	return out, found, nil
}

// failuresOutcome makes the night that first finds processing failures of
// earlier runs exit 3 (partial: something was not delivered), with one
// line saying what failed and what hashgate does about it. The platform
// took those events and then failed them: until this, such a night exited
// 0 while its summary said "0 processed ok, 4 failed", and alerting,
// which reads exit codes, heard of it only when the setting stop (three
// runs in a row) exited 1. A night that exits 1 or 3 for its own reasons
// keeps its code, and says the failures too. Reasons the platform calls
// expected (Spec.ExpectedFailures) are counted in the report only. said
// is false only where the failures did not get into the outcome (a code
// other than 1 or 3): the next upload says them then.
func failuresOutcome(err error, found []report.FoundFailure) (_ error, said bool) {
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
		return err, true
	}
	events := "events"
	if n == 1 {
		events = "event"
	}
	line := fmt.Sprintf("%d %s of earlier runs failed the platform's processing, found since the last upload: %s", n, events, strings.Join(parts, "; "))
	var ee *ExitError
	switch {
	case err == nil:
		return &ExitError{Code: ExitPartial, Err: errors.New(line)}, true
	case errors.As(err, &ee) && (ee.Code == ExitPartial || ee.Code == ExitFailure):
		return &ExitError{Code: ee.Code, Err: fmt.Errorf("%w; %s", err, line)}, true
	}
	return err, false
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
