package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/meta"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/report"
)

// metaTokenEnv carries Meta's access token; the config file never does.
const metaTokenEnv = "HASHGATE_META_ACCESS_TOKEN"

// newSenders builds one Sender per enabled platform, reporting every batch
// to obs (the ledger).
func newSenders(ctx context.Context, f *Factory, cfg *config.Config, obs destination.Observer) (destination.Fanout, error) {
	out := destination.Fanout{}
	for _, p := range cfg.Enabled() {
		c, err := newClient(ctx, f, cfg, p)
		if err != nil {
			return nil, err
		}
		s := cfg.Sending(p)
		out[p] = destination.NewSender(ctx, c, destination.Options{
			BatchSize: s.BatchSize, Concurrency: s.Concurrency, RequestsPerMinute: s.RequestsPerMinute,
			Now: f.Now, Sleep: f.Sleep, Observer: obs,
		})
	}
	return out, nil
}

func newClient(ctx context.Context, f *Factory, cfg *config.Config, p identifier.Platform) (destination.Client, error) {
	hc, err := f.HTTPClient()
	if err != nil {
		return nil, err
	}
	switch p {
	case identifier.Meta:
		m := cfg.Destinations.Meta
		token, err := secretFrom(f, metaTokenEnv, m.AccessTokenFile, "destinations.meta.access_token_file")
		if err != nil {
			return nil, err
		}
		if token == "" {
			return nil, &config.Error{Key: "destinations.meta.access_token_file", Problem: "no Meta access token: set " + metaTokenEnv + " or name a file (mode 0600)"}
		}
		appSecret := ""
		if m.AppSecretFile != "" {
			if appSecret, err = secretFrom(f, "", m.AppSecretFile, "destinations.meta.app_secret_file"); err != nil {
				return nil, err
			}
		}
		c, err := meta.New(meta.Config{
			GraphURL: m.GraphURL, APIVersion: m.APIVersion, DatasetID: m.DatasetID,
			AccessToken: token, AppSecret: appSecret, TestEventCode: m.TestEventCode,
			MaxEventAge:    time.Duration(m.MaxEventAgeDays) * 24 * time.Hour,
			LimitedDataUse: m.LimitedDataUse, LDUCountry: m.LDUCountry, LDUState: m.LDUState,
			Timeout: time.Duration(m.TimeoutSeconds) * time.Second,
		}, hc)
		if err != nil {
			return nil, &config.Error{Key: "destinations.meta", Problem: err.Error()}
		}
		return c, nil
	case identifier.Google:
		return newGoogleClient(ctx, f, cfg, hc)
	}
	return nil, fmt.Errorf("no client for %s", p)
}

// secretFrom reads a secret from the environment variable env (when not
// empty) or else from file, which must not be readable by group or others.
// Errors name the key and the file, never the secret.
func secretFrom(f *Factory, env, file, key string) (string, error) {
	if env != "" {
		if v := strings.TrimSpace(f.Getenv(env)); v != "" {
			return v, nil
		}
	}
	if file == "" {
		return "", nil
	}
	st, err := os.Stat(file)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s: %v", file, err)}
	}
	if st.Mode().Perm()&0o077 != 0 {
		return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s is readable by others (mode %04o): chmod 600 it", file, st.Mode().Perm())}
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", &config.Error{Key: key, Problem: fmt.Sprintf("%s: cannot read", file)}
	}
	return strings.TrimSpace(string(b)), nil
}

// skipCounter reports conversions skipped because a platform already
// accepted them (the ledger filter).
type skipCounter interface {
	Skipped(p identifier.Platform) int
}

// uploadResults turns Sender results into the report's view.
func uploadResults(senders destination.Fanout, sum *report.Summary, skips skipCounter, validateOnly bool) []report.Upload {
	var out []report.Upload
	for _, p := range identifier.Platforms {
		s := senders[p]
		if s == nil {
			continue
		}
		r := s.Result()
		u := report.Upload{
			Destination: p.String(), Conversions: sum.Conversions[p.String()], SkippedAlreadyAccepted: skips.Skipped(p),
			Accepted: r.Accepted, Requests: r.Requests,
			Retries: r.Retries, Quarantined: r.Quarantined, Rejected: r.Rejected, Unsent: r.Unsent,
			RequestIDs: r.RequestIDs, ValidateOnly: validateOnly && p == identifier.Google,
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
