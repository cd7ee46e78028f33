package run

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// newSenders builds one Sender per enabled platform over the clients
// preflight built, reporting every batch to obs (the ledger). refused
// marks the events each platform refused alone on earlier nights, which
// the systemic guard does not count (destination.Options.RefusedBefore).
func newSenders(ctx context.Context, env *Env, cfg *config.Config, clients uploadClients, obs destination.Observer, refused *ledger.Marks) destination.Fanout {
	out := destination.Fanout{}
	for _, p := range cfg.Enabled() {
		c := clients[p]
		s := cfg.Sending(p)
		out[p] = destination.NewSender(ctx, c, destination.Options{
			BatchSize: s.BatchSize, Concurrency: s.Concurrency, RequestsPerMinute: s.RequestsPerMinute,
			RetryBudget: time.Duration(s.RetryBudgetMinutes) * time.Minute,
			Now:         env.Now, Sleep: env.Sleep, Observer: obs, Logger: env.Logger,
			RefusedBefore: func(c *conversion.Conversion) bool { return refused.Has(p, c.EventID) },
		})
		env.Logger.Debug("destination ready", "destination", p.String(), "batch_size", s.BatchSize,
			"concurrency", s.Concurrency, "requests_per_minute", s.RequestsPerMinute)
	}
	out.StopOnFatal() // credentials refused on one platform stop them all
	return out
}

// skipCounter reports conversions skipped because a platform already
// accepted them (the ledger filter).
type skipCounter interface {
	Skipped(p platform.Platform) int
}

// uploadResults turns Sender results into the report's view.
func uploadResults(senders destination.Fanout, sum *report.Summary, skips skipCounter, cfg *config.Config) []report.Upload {
	var out []report.Upload
	for _, p := range platform.All {
		s := senders[p]
		if s == nil {
			continue
		}
		r := s.Result()
		u := report.Upload{
			Destination: p.String(), Conversions: sum.Conversions[p.String()], SkippedAlreadyAccepted: skips.Skipped(p),
			Accepted: r.Accepted, Validated: r.Validated, Requests: r.Requests,
			Retries: r.Retries, Quarantined: r.Quarantined, Rejected: r.Rejected, Unsent: r.Unsent,
			RequestIDs: r.RequestIDs, ValidateOnly: cfg.ValidateOnly(p), TestMode: cfg.TestMode(p),
		}
		if len(r.Messages) > 0 {
			u.Messages = r.Messages
		}
		if r.Fatal != nil {
			u.Fatal = r.Fatal.Error()
			var de *destination.Error
			u.Outage = errors.As(r.Fatal, &de) && de.Reason == destination.ReasonRetryBudget
		}
		u.Cause, u.BadAnswers = r.Cause, r.BadAnswers
		out = append(out, u)
	}
	return out
}

// uploadOutcome decides the exit status of an upload from tonight's new
// conversions — those not ingested before (SkippedAlreadyAccepted) and not
// held back in an earlier run for a reason that cannot change by itself
// (HeldEarlier: too old, a Purchase without a value, an identifier that
// cannot be sent; reported, never counted here), and not kept back on a
// first upload to a platform with a deduplication window (dedupWindow):
//
//   - 1 when a destination stopped for something a person must fix (its
//     message says what), or when there was something new to send and
//     nothing was ingested (rejected, quarantined — every event too old —
//     or never sent). A destination stopped by an outage (its retry
//     budget spent) is not such a stop: its unsent events are counted as
//     not sent, so one platform down beside another that took everything
//     exits 3, whatever the night's volume (a month's simulation got 3 for
//     five waiting visits and 1 for forty);
//   - 3 when any new conversion was quarantined, rejected or left unsent,
//     or when events left unconfirmed (a crash, a timeout) are past the platform's
//     deduplication window (dedupWindow) and were not resent;
//   - 0 when every new conversion was ingested — or, in a test mode,
//     validated (a validation run that passed exits 0, though nothing
//     counts) — and when there was nothing new to send.
//
// README's exit-code table and the root command's --help say the same.
func uploadOutcome(ups []report.Upload) error {
	given, accepted, problems, unconfirmed := 0, 0, 0, 0
	var fatal, why, partial []string
	for _, u := range ups {
		fresh := u.Conversions - u.SkippedAlreadyAccepted - u.HeldEarlier - u.KeptBeforeFirstUpload - u.UnconfirmedPastWindow
		given += fresh
		unconfirmed += u.UnconfirmedPastWindow - u.UnconfirmedEarlier // once, the night first kept back
		accepted += u.Accepted + u.Validated
		n := u.Unsent + total(u.Quarantined) + total(u.Rejected)
		problems += n
		if u.Fatal != "" && !u.Outage {
			fatal = append(fatal, u.Destination+": "+u.Fatal)
		}
		if u.Accepted+u.Validated == 0 && fresh > 0 {
			why = append(why, u.Destination+" "+outcomeWords(u))
		}
		if n > 0 {
			partial = append(partial, u.Destination+" "+outcomeWords(u))
		}
	}
	switch {
	case len(fatal) > 0:
		return &ExitError{Code: ExitFailure, Err: errors.New(strings.Join(fatal, "; "))}
	case given > 0 && accepted == 0:
		// Nothing new got through — whether refused, held back as too old
		// or never sent — is a failure, not a partial success: the night
		// delivered nothing.
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("no conversion was ingested: %s", strings.Join(why, "; "))}
	case problems > 0:
		// Where they went, by destination and reason: under --quiet this
		// line is all an alert gets (a review of the morning).
		return &ExitError{Code: ExitPartial, Err: fmt.Errorf("%d of %d new conversions were not ingested: %s", problems, given, strings.Join(partial, "; "))}
	case unconfirmed > 0:
		// Past the platform's deduplication window a resend may count
		// twice, and not resending may lose them: a person decides. Said
		// the night they are first kept back (UnconfirmedEarlier).
		return &ExitError{Code: ExitPartial, Err: fmt.Errorf("%d conversions left unconfirmed by an earlier run are past the platform's deduplication window and were not resent (see the summary: found at the platform, ledger confirm --run ID records them delivered; missing, upload --resend-unconfirmed resends them); later nights keeping them back do not exit 3 for them again", unconfirmed)}
	}
	return nil
}

// outcomeWords says where one destination's conversions went instead:
// "quarantined 5 (event_too_old 5)", "rejected 3 (retries_exhausted 3:
// connection refused (127.0.0.1:1), after 10 attempts)". Requests that
// may have arrived are said apart from the rejected: "unanswered 40 (may
// have arrived: resent by the next run under the same event ids)".
func outcomeWords(u report.Upload) string {
	var parts []string
	rejected := maps.Clone(u.Rejected)
	unanswered := rejected[destination.ReasonUnanswered]
	delete(rejected, destination.ReasonUnanswered)
	for _, g := range []struct {
		what string
		m    map[string]int
	}{{"quarantined", u.Quarantined}, {"rejected", rejected}} {
		if n := total(g.m); n > 0 {
			var rs []string
			for _, k := range slices.Sorted(maps.Keys(g.m)) {
				rs = append(rs, fmt.Sprintf("%s %d", k, g.m[k]))
			}
			parts = append(parts, fmt.Sprintf("%s %d (%s)", g.what, n, strings.Join(rs, ", ")))
		}
	}
	switch {
	case unanswered > 0 && u.TestMode != "":
		parts = append(parts, fmt.Sprintf("unanswered %d (%s)", unanswered, report.TestUnansweredWords))
	case unanswered > 0:
		parts = append(parts, fmt.Sprintf("unanswered %d (may have arrived: resent by the next run under the same event ids)", unanswered))
	}
	if u.Unsent > 0 {
		parts = append(parts, fmt.Sprintf("not sent %d", u.Unsent))
	}
	s := strings.Join(parts, ", ")
	if u.Cause != "" {
		s += ": " + u.Cause
	}
	return s
}

func total(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
