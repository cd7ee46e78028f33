package cli

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// CheckOptions are the inputs of `hashgate check`.
type CheckOptions struct {
	f        *Factory
	root     *rootOptions
	flags    *pflag.FlagSet
	Fixtures []string
}

func newCheckCmd(f *Factory, root *rootOptions, runF func(context.Context, *CheckOptions) error) *cobra.Command {
	opts := &CheckOptions{f: f, root: root}
	return &cobra.Command{
		Use:   "check [--config F] FIXTURE...",
		Short: "Prove the consent gate against fixtures with an expect column (for CI)",
		Long: `check runs each FIXTURE — an export in the configured layout with one more
column, "expect" — through the same gate upload uses, and compares every row:

  include                                   used for every enabled destination
  exclude                                   excluded, for any reason
  exclude:consent_denied                    excluded for that reason
  google:include;meta:exclude:consent_scoped   per destination

Each mismatch prints as "file:line: expected X, got Y" on stdout (never a
cell value); a summary goes to stderr. Exit 0 when every row matches, 5 on
any mismatch. Run it in CI on every config change: a change that loosens the
gate then fails the build.

Reasons: ` + strings.Join(pipeline.Reasons(), ", ") + `.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Fixtures, opts.flags = args, c.Flags()
			if runF != nil {
				return runF(c.Context(), opts)
			}
			return checkRun(c.Context(), opts)
		},
	}
}

// expectation is a parsed expect cell: per platform, "include",
// "exclude" (any reason) or "exclude:<reason>".
type expectation map[identifier.Platform]string

// parseExpectation reads an expect cell. It returns ok=false for anything
// outside the grammar, so an unrecognised cell is never echoed.
func parseExpectation(cell string, enabled []identifier.Platform) (expectation, bool) {
	cell = strings.TrimSpace(strings.ToLower(cell))
	if cell == "" {
		return nil, false
	}
	e := expectation{}
	valid := func(v string) bool {
		if v == "include" || v == "exclude" {
			return true
		}
		r, ok := strings.CutPrefix(v, "exclude:")
		return ok && slices.Contains(pipeline.Reasons(), r)
	}
	if !strings.Contains(cell, ";") && valid(cell) {
		for _, p := range enabled {
			e[p] = cell
		}
		return e, true
	}
	for _, part := range strings.Split(cell, ";") {
		name, v, found := strings.Cut(strings.TrimSpace(part), ":")
		p, err := platform.Parse(name)
		if !found || err != nil || !valid(v) || !slices.Contains(enabled, p) {
			return nil, false
		}
		e[p] = v
	}
	return e, true
}

func (e expectation) String(enabled []identifier.Platform) string {
	var parts []string
	for _, p := range enabled {
		if v, ok := e[p]; ok {
			parts = append(parts, p.String()+":"+v)
		}
	}
	return strings.Join(parts, ";")
}

func checkRun(ctx context.Context, o *CheckOptions) error {
	f := o.f
	path, explicit := configPath(f, o.root.ConfigPath, o.root.configChanged)
	cfg, err := loadConfig(f, path, explicit, o.flags, nil)
	if err != nil {
		return err
	}
	rev, err := loadRevocations(cfg)
	if err != nil {
		return err
	}
	// Event ids matter to check only through the revocations file, which
	// may list them: the configured secret when there is one.
	key, _ := eventKey(cfg)
	enabled := cfg.Enabled()
	out := bufio.NewWriter(f.IO.Out)
	defer out.Flush()
	rows, mismatches := 0, 0
	for _, fixture := range o.Fixtures {
		pats, err := scanRevokedPatients(ctx, f, cfg, fixture, key)
		if err != nil {
			return err
		}
		in, name, err := openInput(f, fixture)
		if err != nil {
			pats.Close()
			return err
		}
		observe := func(row export.Row, oc pipeline.Outcome) {
			rows++
			want, ok := parseExpectation(row.Get(export.Expect), enabled)
			if !ok {
				mismatches++
				fmt.Fprintf(out, "%s:%d: expect cell is not include, exclude, exclude:<reason> or <destination>:<that>;… for enabled destinations\n", name, row.Line)
				return
			}
			got := expectation{}
			for i, p := range oc.Platforms {
				switch {
				case oc.Reason != "":
					got[p] = "exclude:" + oc.Reason
				case oc.Skipped[i] != "":
					got[p] = "exclude:" + oc.Skipped[i]
				default:
					got[p] = "include"
				}
			}
			for _, p := range enabled {
				w, checked := want[p]
				if !checked || w == got[p] || w == "exclude" && strings.HasPrefix(got[p], "exclude:") {
					continue
				}
				mismatches++
				fmt.Fprintf(out, "%s:%d: expected %s, got %s\n", name, row.Line, want.String(enabled), got.String(enabled))
				return
			}
		}
		err = pipeline.Run(ctx, pipeline.Options{
			Config: cfg, Key: key, Input: in, InputName: name, Sink: discard{},
			Revocations: rev.list, RevokedPatients: pats, Columns: map[export.Column][]string{export.Expect: {"expect"}},
			Observe: observe,
		}, report.New(name))
		in.Close()
		pats.Close()
		if err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if !o.root.Quiet {
		fmt.Fprintf(f.IO.ErrOut, "hashgate check: %d fixture(s), %d rows, %d matched, %d mismatched\n",
			len(o.Fixtures), rows, rows-mismatches, mismatches)
	}
	if mismatches > 0 {
		return &ExitError{Code: ExitMismatch}
	}
	return nil
}

// discard is a sink that keeps nothing: check needs outcomes, not output.
type discard struct{}

func (discard) Write(*conversion.Conversion) error { return nil }
func (discard) Close() error                       { return nil }
