package run

import (
	"context"
	"errors"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/destination"
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
