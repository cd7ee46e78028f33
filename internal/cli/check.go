package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/run"
)

// CheckOptions are the inputs of `hashgate check`.
type CheckOptions struct {
	f        *Factory
	root     *rootOptions
	flags    *pflag.FlagSet
	Fixtures []string
	JSON     bool
}

func newCheckCmd(f *Factory, root *rootOptions) *cobra.Command {
	opts := &CheckOptions{f: f, root: root}
	cmd := &cobra.Command{
		Use:   "check [--config F] [--json] FIXTURE...",
		Short: "Prove the consent gate against fixtures with an expect column (for CI)",
		Long: `check runs each FIXTURE — an export in the configured layout with one more
column, "expect" — through the same gate upload uses, and compares every row:

  include                                   used for every enabled destination
  exclude                                   excluded, for any reason
  exclude:consent_denied                    excluded for that reason
  google:include;meta:exclude:consent_scoped   per destination, naming
                                            every enabled one, once

Each mismatch prints as "file:line: expected X, got Y" on stdout (never a
cell value); a summary goes to stderr. --json prints one report on stdout
instead: per row that did not pass, file, line, kind (mismatch, bad_cell,
no_rows, no_expect_column, unreadable), expected and got, each written as
it is found, then the counts. Exit 0 when every row matches; 5 on any
mismatch, whatever else is wrong; otherwise 1 when a fixture cannot be
read, and 2 when an expect cell is outside the grammar above or a fixture
has no rows or no expect column (the fixture is wrong, not the gate), or
when the config maps a consent column that is no consent, as upload
refuses it. Run it in CI on every config
change: a change that loosens the gate then fails the build.

Reasons: ` + strings.Join(pipeline.Reasons(), ", ") + `.`,
		Example: `  hashgate check --config hashgate.yaml testdata/consent/example.csv
  hashgate check --config hashgate.yaml fixtures/*.csv || echo "the consent gate changed"`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Fixtures, opts.flags = args, c.Flags()
			return checkRun(c.Context(), opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the results as one JSON report on stdout (no summary on stderr)")
	return cmd
}

func checkRun(ctx context.Context, o *CheckOptions) error {
	f := o.f
	cfg, err := o.root.loadConfig(f, o.flags, nil)
	if err != nil {
		return err
	}
	return run.Check(ctx, f.env(o.root), run.CheckRequest{Config: cfg, Fixtures: o.Fixtures, JSON: o.JSON})
}
