package run

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// newSenders builds one Sender per enabled platform, reporting every batch
// to obs (the ledger).
func newSenders(ctx context.Context, env *Env, cfg *config.Config, obs destination.Observer) (destination.Fanout, error) {
	out := destination.Fanout{}
	for _, p := range cfg.Enabled() {
		c, err := env.NewClient(ctx, cfg, p)
		if err != nil {
			return nil, err
		}
		s := cfg.Sending(p)
		out[p] = destination.NewSender(ctx, c, destination.Options{
			BatchSize: s.BatchSize, Concurrency: s.Concurrency, RequestsPerMinute: s.RequestsPerMinute,
			Now: env.Now, Sleep: env.Sleep, Observer: obs,
		})
	}
	return out, nil
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
			Accepted: r.Accepted, Requests: r.Requests,
			Retries: r.Retries, Quarantined: r.Quarantined, Rejected: r.Rejected, Unsent: r.Unsent,
			RequestIDs: r.RequestIDs, ValidateOnly: cfg.ValidateOnly(p),
		}
		if r.Fatal != nil {
			u.Fatal = r.Fatal.Error()
		}
		out = append(out, u)
	}
	return out
}

// uploadOutcome decides the exit status of an upload from its results:
// 1 on a fatal error, or when requests were tried and none got through
// (rejected or never sent); 3 when anything was quarantined, rejected or
// left unsent; 0 when every conversion to send was accepted.
func uploadOutcome(ups []report.Upload) error {
	given, accepted, problems, failed := 0, 0, 0, 0
	var fatal []string
	for _, u := range ups {
		given += u.Conversions - u.SkippedAlreadyAccepted
		accepted += u.Accepted
		problems += u.Unsent
		failed += u.Unsent
		for _, n := range u.Quarantined {
			problems += n
		}
		for _, n := range u.Rejected {
			problems += n
			failed += n
		}
		if u.Fatal != "" {
			fatal = append(fatal, u.Destination+": "+u.Fatal)
		}
	}
	switch {
	case len(fatal) > 0:
		return &ExitError{Code: ExitFailure, Err: errors.New(strings.Join(fatal, "; "))}
	case given > 0 && accepted == 0 && failed > 0:
		return &ExitError{Code: ExitFailure, Err: errors.New("no conversion was accepted")}
	case problems > 0:
		return &ExitError{Code: ExitPartial, Err: fmt.Errorf("%d of %d conversions were not accepted (see the summary)", problems, given)}
	}
	return nil
}
