package cli

import (
	"context"
	"errors"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/run"
)

// ConfigValidateOptions are the inputs of `hashgate config validate`.
type ConfigValidateOptions struct {
	f      *Factory
	root   *rootOptions
	flags  *pflag.FlagSet
	Upload bool
}

func newConfigValidateCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &ConfigValidateOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "validate [--config F] [--upload]",
		Short: "Check a config without reading an export",
		Long: `config validate loads the configuration exactly as upload would — the file,
HASHGATE_* environment variables, a preset — and reports every problem at
once, each naming its key (and, for an unknown key, its file:line:column
and the closest known key). It reads no export and makes no network call.

With --upload it also runs every check a plain upload makes before its
first request — the same code: HASHGATE_SECRET and its strength, each
enabled platform's account settings, the Meta access token present, token,
key and secret files readable and not readable by others (0600), a Google
key file that parses, and no destinations.google.validate_only or
destinations.meta.test_event_code (they apply only to upload --validate).

Exit 0 when the config is valid, 2 when it is not: run it in CI on every
config change, beside 'hashgate check'.`,
		Example: `  hashgate config validate
  hashgate config validate --config /etc/hashgate/hashgate.yaml --upload`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(c *cobra.Command, _ []string) error {
			opts.flags = c.Flags()
			return configValidateRun(c.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Upload, "upload", false, "also run every check an upload makes before its first request (secret, accounts, credentials, no test mode)")
	return cmd
}

func configValidateRun(ctx context.Context, o *ConfigValidateOptions) error {
	f := o.f
	path, explicit := configPath(f, o.root.ConfigPath, o.root.configChanged)
	// Every problem at once: config.Validate's and what only run judges
	// (run.ConfigProblems), whichever fails.
	cfg, err := o.root.loadConfigFor(f, o.flags, nil, func(c *config.Config) error {
		return errors.Join(c.Validate(), run.ConfigProblems(c))
	})
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); !explicit && err != nil {
		// No file: what was validated is the environment's settings
		// (it named ./hashgate.yaml, which is not there: a review).
		path = "the configuration from the environment (no " + path + ")"
	}
	if o.Upload {
		// The same refusals an upload makes: a config others can write, a
		// secret in a file others can read.
		if err := o.root.checkConfigWritable(f, true); err != nil {
			return err
		}
		if err := o.root.checkSecretFile(f, cfg); err != nil {
			return err
		}
	}
	return run.ValidateConfig(ctx, f.env(o.root), run.ValidateRequest{Config: cfg, Path: path, Upload: o.Upload})
}
