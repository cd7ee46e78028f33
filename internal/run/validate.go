package run

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
)

// ValidateRequest is one `hashgate config validate`.
type ValidateRequest struct {
	Config *config.Config // loaded, validated and judged by ConfigProblems
	Path   string         // the file it came from, for the message
	Upload bool           // also check what a real upload needs
}

// ValidateConfig checks, with Upload, everything a plain upload checks
// before its first request (preflight), for a config loaded with
// config.Validate and ConfigProblems (config validate joins them at load:
// judging them here again read consent.revocations_file twice), and the
// stop on the secret the ledger's fingerprints make (predictEventKey,
// reading the ledger without changing it). It reads no export and makes
// no request. On success it says so on stderr (unless Quiet).
func ValidateConfig(ctx context.Context, env *Env, r ValidateRequest) error {
	cfg := r.Config
	if r.Upload {
		// The checks a plain upload makes before its first request, the
		// same code (preflight): the token present, the key and secret
		// files readable and 0600, the secret's strength, no test mode.
		err := preflight(ctx, env, cfg, false)
		// And the stop on the secret the ledger's fingerprints make before
		// the export is read (eventkey.go): an agency's second clinic
		// validated, then stopped on the first's fingerprint.
		key, _ := eventKey(cfg)
		stop, shared := predictEventKey(ctx, env, cfg, key)
		if err = errors.Join(err, stop); err != nil {
			return err
		}
		if shared != "" {
			env.Logger.Warn(shared)
		}
	}
	if env.Quiet {
		return nil
	}
	var dests []string
	for _, p := range cfg.Enabled() {
		dests = append(dests, p.String())
	}
	what := "dry-runs"
	if r.Upload {
		what = "uploads"
	}
	if _, err := fmt.Fprintf(env.ErrOut, "hashgate: %s is valid for %s to %s\n", r.Path, what, strings.Join(dests, " and ")); err != nil {
		return err
	}
	for _, n := range cfg.Notices() {
		if _, err := fmt.Fprintf(env.ErrOut, "  %s\n", n); err != nil {
			return err
		}
	}
	return nil
}

// ConfigProblems are the problems of a config that config.Validate cannot
// judge (it imports no inspect and opens no file): a consent column that
// is no consent or a birth date that is another person's (consentHeaderErrors),
// consent.revocations_file unreadable,
// and the channels and spend sections, which the upload's validation
// leaves to the channel report. `config validate` joins them to
// config.Validate's when it loads the config: a config with every destination
// disabled got "enable at least one destination" alone, and its consent
// column was named only once one was enabled. None of them needs a
// destination to be judged.
func ConfigProblems(cfg *config.Config) error {
	errs := []error{consentHeaderErrors(cfg)}
	rev, err := loadRevocations(cfg, nil)
	if err != nil {
		errs = append(errs, err)
	}
	rev.Close() // read to be judged, not used
	return errors.Join(append(errs, cfg.ValidateReport())...)
}

// ConsentHeaderErrors is the consent column check every run makes before
// it reads an export (consentHeaderErrors), for the commands that join it
// to config.Validate's problems when they load the config (upload, its
// dry-run, write, check): named with every other problem at once, not
// after them.
func ConsentHeaderErrors(cfg *config.Config) error { return consentHeaderErrors(cfg) }
