package run

import (
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/report"
)

// acceptance is `upload --accept-new-ids` on one run: whether it was
// asked, and which of the stops it passes would have stopped the run.
// The flag is for one night after a person checked the cause; left in a
// nightly crontab it passed them all every later night, unsaid (its
// sibling --accept-moved-times already said a night it passed nothing:
// movedTimesAccepted). Every stop is judged as on any night — the
// secret's and the withdrawals' fingerprints before the export is read
// (checkEventKey, revokedUnderAnotherKey), the order ids' zeros and zone
// and the consent words once it was (pipeline.Options.Accepted), the
// safety net when it decides (ledger.Net.Pass) — and each that would
// have stopped the run is noted here instead.
type acceptance struct {
	asked  bool
	passed []string // report.Stop* names
}

// pass reports whether the stop named stop is passed: false without the
// flag (the run stops); with it true, noting that the flag passed it.
func (a *acceptance) pass(stop string) bool {
	if a == nil || !a.asked {
		return false
	}
	if !slices.Contains(a.passed, stop) {
		a.passed = append(a.passed, stop)
	}
	return true
}

// pipeline is what the pipeline is told to pass (Options.Accepted): nil
// without the flag, and the pipeline stops.
func (a *acceptance) pipeline() func(string) {
	if a == nil || !a.asked {
		return nil
	}
	return func(stop string) { a.pass(stop) }
}

// acceptedNoneMsg is the night's warning when the flag passed nothing:
// what it would let through unseen on a later night.
const acceptedNoneMsg = "--accept-new-ids passed nothing tonight: none of the stops it passes " +
	"(the safety net on new event ids, the secret's fingerprint, the order ids' leading zeros and timezone, the patient keys' shape, the withdrawals' fingerprint, the consent words, the new rows' status words) " +
	"would have stopped this run. It is for one night; remove it from a nightly job, where it would let a changed secret, order-id column, " +
	"spreadsheet-trimmed ids or timezone through unseen (every visit sent again as new), withdrawn patients' visits under a new secret or a new numbering of patients, " +
	"or consent or status words that changed"

// acceptedSomeMsg is the night's warning when the flag passed stops,
// named in its "stops" attribute.
const acceptedSomeMsg = "--accept-new-ids passed stops that would have stopped this run (named in stops): " +
	"it is for one night, after a person checked their cause; remove it from a nightly job, where it would pass them again unseen"

// say puts into the run report the stops the flag passed (in
// report.AcceptableStops' order; [] for none) and says them on stderr, one
// line. The safety net's verdict is read from filter. complete: the run
// read its export and every stop was judged; only then is "passed
// nothing" said — a run stopped earlier judged some stops not at all.
func (a *acceptance) say(env *Env, sum *report.Summary, filter *ledger.Filter, complete bool) {
	if a == nil || !a.asked {
		return
	}
	if len(filter.NewIDsPassed()) > 0 {
		a.pass(report.StopNewEventIDs)
	}
	stops := []string{}
	for _, s := range report.AcceptableStops {
		if slices.Contains(a.passed, s) {
			stops = append(stops, s)
		}
	}
	sum.AcceptedStops = stops
	switch {
	case len(stops) > 0:
		env.Logger.Warn(acceptedSomeMsg, "stops", strings.Join(stops, ","))
	case complete:
		env.Logger.Warn(acceptedNoneMsg)
	}
}

// sayDryRunAccepts says, on a dry-run with --accept-new-ids, that the
// flag does nothing there: a dry-run stops on none of the stops it
// passes (it only warns of those it can foresee from a read-only look at
// the ledger: the safety net, the secret, the consent words), so "passed
// nothing" would be no verdict on the upload.
func sayDryRunAccepts(env *Env, r UploadRequest) {
	if r.AcceptNewIDs {
		env.Logger.Warn("--accept-new-ids does nothing with --dry-run: a dry-run stops on none of the stops it passes (it warns of those it can foresee: the safety net, the secret); " +
			"the upload without --dry-run stops on them, or with the flag says which it passed")
	}
}
