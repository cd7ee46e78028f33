package run

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
)

// uploadClients are the destinations' clients, built after preflight and
// before anything of the run is written.
type uploadClients map[platform.Platform]destination.Client

// preflight runs every check an upload makes before its first request:
// the secret's presence and strength and each enabled platform's account
// settings (config.ValidateUpload), no test mode in a plain upload
// (config.RefuseTestModes; validation runs pass validation=true), and
// each platform's credentials (Env.CheckCredentials: the Meta token
// present, token, key and secret files readable and not readable by
// others, a Google key file that parses). It builds nothing and makes no
// request. `upload` and `config validate --upload` both call it, so the
// validation says "valid for uploads" only when an upload would start.
// Every problem is reported at once, each naming its key.
func preflight(ctx context.Context, env *Env, cfg *config.Config, validation bool) error {
	errs := []error{cfg.ValidateUpload()}
	if !validation {
		errs = append(errs, cfg.RefuseTestModes())
	}
	if env.CheckCredentials != nil {
		for _, p := range cfg.Enabled() {
			errs = append(errs, env.CheckCredentials(ctx, cfg, p))
		}
	}
	return errors.Join(errs...)
}

// newClients builds each enabled platform's client (after preflight).
func newClients(ctx context.Context, env *Env, cfg *config.Config) (uploadClients, error) {
	out := uploadClients{}
	for _, p := range cfg.Enabled() {
		c, err := env.NewClient(ctx, cfg, p)
		if err != nil {
			return nil, err
		}
		out[p] = c
	}
	return out, nil
}

// settingStops refuses to send to a destination whose last
// Spec.SettingRuns runs with processing verdicts all failed with the same
// Spec.SettingReasons reason — an account or conversion-action setting
// (consent, enhanced-conversions terms, the action's attribution or
// counting): every event fails until a person changes it, so the run
// stops that destination with exit 1, naming the setting, instead of
// resending into it night after night. The events wait; once the setting
// is fixed, `upload --setting-fixed` sends again and the next verdicts
// tell.
func settingStops(ctx context.Context, led *ledger.Ledger, dests map[platform.Platform]ledger.Destination, senders destination.Fanout) error {
	for p, d := range dests {
		spec := p.Spec()
		if spec.SettingRuns <= 0 || d.Test || senders[p] == nil {
			continue
		}
		runs, err := led.RecentErrorReasons(ctx, d.Key, spec.SettingRuns)
		if err != nil {
			return err
		}
		if len(runs) < spec.SettingRuns {
			continue
		}
		for _, reason := range slices.Sorted(maps.Keys(spec.SettingReasons)) {
			every := true
			for _, r := range runs {
				every = every && r[reason]
			}
			if every {
				senders[p].Refuse(fmt.Errorf("%s failed processing in each of the last %d runs: fix %s; until then nothing more is sent to %s (the events wait), and after fixing it run `hashgate upload --setting-fixed`",
					reason, spec.SettingRuns, spec.SettingReasons[reason], spec.Title))
				break
			}
		}
	}
	return nil
}
