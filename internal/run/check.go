package run

import (
	"bufio"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// CheckRequest is one `hashgate check`.
type CheckRequest struct {
	Config   *config.Config // loaded and validated
	Fixtures []string       // exports with an expect column
}

// expectation is a parsed expect cell: per platform, "include",
// "exclude" (any reason) or "exclude:<reason>".
type expectation map[platform.Platform]string

// parseExpectation reads an expect cell. It returns ok=false for anything
// outside the grammar, so an unrecognised cell is never echoed.
func parseExpectation(cell string, enabled []platform.Platform) (expectation, bool) {
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

func (e expectation) String(enabled []platform.Platform) string {
	var parts []string
	for _, p := range enabled {
		if v, ok := e[p]; ok {
			parts = append(parts, p.String()+":"+v)
		}
	}
	return strings.Join(parts, ";")
}

// Check runs each fixture through the gate an upload uses and compares
// every row with its expect cell: mismatches on stdout as
// "file:line: expected X, got Y" (never a cell value), a summary on stderr,
// and ExitMismatch when any row differs.
func Check(ctx context.Context, env *Env, r CheckRequest) error {
	cfg := r.Config
	rev, err := loadRevocations(cfg)
	if err != nil {
		return err
	}
	// Event ids matter to check only through the revocations file, which
	// may list them: the configured secret when there is one.
	key, _ := eventKey(cfg)
	enabled := cfg.Enabled()
	out := bufio.NewWriter(env.Out)
	defer out.Flush()
	// bad counts expect cells outside the grammar: a fixture that is
	// wrong, not a gate that changed — told apart by the exit code (2, not
	// 5), so that CI does not report a typo in a fixture as a loosened
	// consent gate.
	rows, mismatches, bad := 0, 0, 0
	for _, fixture := range r.Fixtures {
		columns := map[export.Column][]string{export.Expect: {"expect"}}
		in, name, err := openVerified(env, fixture)
		if err != nil {
			return err
		}
		observe := func(line int, expect string, oc pipeline.Outcome) {
			rows++
			want, ok := parseExpectation(expect, enabled)
			if !ok {
				bad++
				fmt.Fprintf(out, "%s:%d: expect cell is not include, exclude, exclude:<reason> or <destination>:<that>;… for enabled destinations\n", name, line)
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
				fmt.Fprintf(out, "%s:%d: expected %s, got %s\n", name, line, want.String(enabled), got.String(enabled))
				return
			}
		}
		err = pipeline.Run(ctx, pipeline.Options{
			Config: cfg, Key: key, Input: in, InputName: name, Sink: discard{}, Now: env.Now(),
			Revocations: rev, Columns: columns, Observe: observe,
		}, report.New(name))
		in.Close()
		if err != nil {
			return err
		}
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if !env.Quiet {
		fmt.Fprintf(env.ErrOut, "hashgate check: %d fixture(s), %d rows, %d matched, %d mismatched\n",
			len(r.Fixtures), rows, rows-mismatches-bad, mismatches)
	}
	if bad > 0 {
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%d expect cell(s) outside the grammar (include, exclude, exclude:<reason> with a reason hashgate names, or <destination>:<that>;…): the fixture is wrong; fix it and check again", bad)}
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
