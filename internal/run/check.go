package run

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/export"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// CheckRequest is one `hashgate check`.
type CheckRequest struct {
	Config   *config.Config // loaded and validated
	Fixtures []string       // exports with an expect column
	// JSON prints one document on stdout instead of the lines — the
	// results as they are found, then CheckReport's counts — and no
	// summary on stderr.
	JSON bool
}

// CheckReport is the counts of `check --json`, what a CI job parses: the
// document is {"results": [CheckResult...], then these fields}. The
// results come first, each written as it is found (checkResults), so that
// check keeps nothing per row: it kept every result until the end, and
// text mode, which never read them, held 1.38 GB at 10M rows, half of them
// mismatching (a review). Kinds: "mismatch" (expected and got set),
// "bad_cell" (the expect cell is outside the grammar; never echoed),
// "no_rows" (a fixture without rows; line 0), "no_expect_column",
// "unreadable".
type CheckReport struct {
	Fixtures   int `json:"fixtures"`
	Rows       int `json:"rows"`
	Matched    int `json:"matched"`
	Mismatched int `json:"mismatched"`
	BadCells   int `json:"bad_cells"`
	Footer     int `json:"footer_rows"`
	// BookingsNotJudged: conversion.bookings is on, and check judges each
	// row's visit only — said in the report a CI reads, not only on a
	// stderr that --json and --quiet silence (a review).
	BookingsNotJudged bool `json:"bookings_not_judged,omitempty"`
	// RevokedEventIDsNotJudged counts the lines of consent.revocations_file
	// written as event ids, when check runs without the uploads' secret:
	// under the demo key they name no row, while the upload excludes their
	// rows (a review: CI green, silent on what it could not see).
	RevokedEventIDsNotJudged int `json:"revoked_event_ids_not_judged,omitempty"`
	// AgeJudged: input.columns.birth_date is mapped, and consent.min_age
	// judged, as in the run report; BirthDateBlank counts the rows that
	// passed with a blank birth date, of whom no age was judged (the note
	// pipeline.NoteBirthDateBlank). A gate that cannot see a child passed
	// CI in silence (a family-practice review, 2026-12-07).
	AgeJudged      bool `json:"age_judged"`
	BirthDateBlank int  `json:"birth_date_blank,omitempty"`
	// IdentifierFanOut is, per fixture that raised it, the alarm an
	// upload of it exits 3 on (report.IdentifierFanOut: one e-mail or
	// phone withdrew the rows of many other patient keys — a placeholder
	// or the clinic's own contact). check printed nothing of it: a config
	// missing input.not_patient_identifiers passed CI green (a review).
	// It sets no exit code of check's own: a fixture may hold such rows on
	// purpose, and every row's reason is judged by its expect cell.
	IdentifierFanOut []CheckFanOut `json:"identifier_fan_out,omitempty"`
}

// CheckFanOut is one fixture's fan-out alarm: its name and the alarm's
// counts (never a value).
type CheckFanOut struct {
	File string `json:"file"`
	*report.IdentifierFanOut
}

// CheckResult is one row (or fixture) that did not pass.
type CheckResult struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Kind     string `json:"kind"`
	Expected string `json:"expected,omitempty"`
	Got      string `json:"got,omitempty"`
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
		p, err := platform.Parse(strings.TrimSpace(name))
		v = strings.TrimSpace(v)
		if _, twice := e[p]; !found || err != nil || !valid(v) || !slices.Contains(enabled, p) || twice {
			return nil, false
		}
		e[p] = v
	}
	// Every enabled destination, or a destination the cell leaves out goes
	// unchecked: a fixture row "meta:include" passed while the config
	// read Google's consent from the wrong column and sent the row there
	// (a review's reproduction); a destination enabled later under old
	// fixtures would go unchecked the same way.
	if len(e) != len(enabled) {
		return nil, false
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
//
// A check must be able to fail, so what it cannot judge is an error, not
// a pass: a fixture with no rows (a truncated file turned CI green), and a
// cell that leaves an enabled destination out. input.skip_footer_lines
// drops an export's totals lines, but a fixture written by hand has none,
// and its last rows were dropped unchecked. A fixture is read as an upload
// reads the export — its last rows dropped as the footer, their cells
// withdrawing nothing (judged as rows, a footer row's revocation withdrew
// an earlier row the upload of the same file sent: a review) — and a
// dropped row whose expect cell is filled is a bad cell (Reader.Footer): its
// expectation cannot be judged, and the fixture does not end as the
// export does.
func Check(ctx context.Context, env *Env, r CheckRequest) error {
	cfg := r.Config
	// The refusal the upload of the same config makes, before any fixture
	// is read: a check that passes a config the upload refuses proves
	// nothing of the gate the upload runs.
	if err := consentHeaderErrors(cfg); err != nil {
		return err
	}
	// Event ids matter to check only through the revocations file, which
	// may list them: the configured secret when there is one.
	key, demo := eventKey(cfg)
	unjudged := 0
	rev, err := loadRevocations(cfg, func(id string) {
		if demo && eventid.Shaped(strings.ToLower(id)) {
			unjudged++
		}
	})
	if err != nil {
		return err
	}
	defer rev.Close()
	enabled := cfg.Enabled()
	footer := cfg.Input.SkipFooterLines
	out := bufio.NewWriter(env.Out)
	defer out.Flush()
	// bad counts expect cells outside the grammar: a fixture that is
	// wrong, not a gate that changed — told apart by the exit code (2, not
	// 5) when nothing else differs; a mismatch beside them still exits 5.
	rows, mismatches, bad, footers := 0, 0, 0, 0
	var empty []string
	rep := CheckReport{Fixtures: len(r.Fixtures)}
	results := newCheckResults(out, r.JSON)
	say := results.add
	// failed holds the fixtures that could not be read or run: each is
	// reported and the others are still judged — one broken fixture
	// stopped the whole check, and a mismatch found in another was lost
	// (exit 1 or 2, not 5; --json empty: a review of check as a CI job).
	var failed []error
	// notFixtures are the files without an expect column: no fixture at
	// all (an export given by mistake), a usage error like a fixture
	// without rows (exit 2), where a file that cannot be read exits 1.
	var notFixtures []error
	for _, fixture := range r.Fixtures {
		columns := map[export.Column][]string{export.Expect: {"expect"}}
		if st, err := os.Stat(fixture); err == nil && st.Mode().IsRegular() && st.Size() == 0 {
			// 0 bytes: a fixture without rows, as the help says (exit 2),
			// not a file that cannot be read.
			name := DisplayPath(fixture)
			empty = append(empty, name)
			say(CheckResult{File: name, Kind: "no_rows"}, "")
			continue
		}
		in, name, err := openVerified(ctx, env, fixture)
		if err != nil {
			failed = append(failed, err)
			say(CheckResult{File: DisplayPath(fixture), Kind: "unreadable"}, "")
			continue
		}
		judge := func(line int, expect string, oc pipeline.Outcome) {
			rows++
			want, ok := parseExpectation(expect, enabled)
			if !ok {
				bad++
				say(CheckResult{File: name, Line: line, Kind: "bad_cell"},
					fmt.Sprintf("%s:%d: expect cell is not include, exclude, exclude:<reason>, or <destination>:<that> for each enabled destination (%s), once each\n", name, line, platformNames(enabled)))
				return
			}
			got := expectation{}
			// A row every destination refused for a reason of its own
			// carries the first one's as the row's: each destination is
			// judged by its own (Google's "no" beside Meta's "revoked"
			// was reported as consent_denied for both).
			// The summary's per-destination counts (left_out_of) read
			// the same rule: Outcome.ReasonFor.
			for i, p := range oc.Platforms {
				got[p] = "include"
				if why := oc.ReasonFor(i); why != "" {
					got[p] = "exclude:" + why
				}
			}
			for _, p := range enabled {
				w := want[p]
				if w == got[p] || w == "exclude" && strings.HasPrefix(got[p], "exclude:") {
					continue
				}
				mismatches++
				say(CheckResult{File: name, Line: line, Kind: "mismatch", Expected: want.String(enabled), Got: got.String(enabled)},
					fmt.Sprintf("%s:%d: expected %s, got %s\n", name, line, want.String(enabled), got.String(enabled)))
				return
			}
		}
		before := rows
		opts := pipeline.Options{
			Config: cfg, Key: key, Input: in, InputName: name, Sink: discard{}, Now: env.Now(),
			Revocations: rev, Columns: columns, Observe: judge, Fixtures: true,
		}
		opts.Reader, err = pipeline.Open(opts)
		if err == nil {
			sum := report.New(name)
			err = pipeline.Run(ctx, opts, sum)
			rep.BirthDateBlank += sum.Notes[pipeline.NoteBirthDateBlank]
			if f := sum.IdentifierFanOut; f != nil {
				rep.IdentifierFanOut = append(rep.IdentifierFanOut, CheckFanOut{File: name, IdentifierFanOut: f})
			}
		}
		in.Close()
		if err != nil {
			if errors.Is(err, context.Canceled) {
				return err
			}
			if noExpectColumn(err) {
				notFixtures = append(notFixtures, err)
				say(CheckResult{File: name, Kind: "no_expect_column"}, "")
				continue
			}
			failed = append(failed, err)
			say(CheckResult{File: name, Kind: "unreadable"}, "")
			continue
		}
		// The footer an upload drops, read once by the same reader: a
		// row of it with a filled expect cell cannot be judged.
		for _, row := range opts.Reader.Footer() {
			if row.Get(export.Expect) == "" {
				footers++
				continue
			}
			rows++
			bad++
			say(CheckResult{File: name, Line: row.Line, Kind: "bad_cell"},
				fmt.Sprintf("%s:%d: an upload drops this row as the footer (input.skip_footer_lines: %d): leave its expect cell empty, or end the fixture with the footer lines the export has\n", name, row.Line, footer))
		}
		if rows == before {
			empty = append(empty, name)
			say(CheckResult{File: name, Kind: "no_rows"}, "")
		}
	}
	rep.Rows, rep.Matched, rep.Mismatched, rep.BadCells, rep.Footer = rows, rows-mismatches-bad, mismatches, bad, footers
	rep.BookingsNotJudged = cfg.Conversion.Bookings.Enabled
	rep.RevokedEventIDsNotJudged = unjudged
	rep.AgeJudged = cfg.MinAge() > 0
	if err := results.finish(rep); err != nil {
		return err
	}
	if err := out.Flush(); err != nil {
		return err
	}
	// The summary counts judged rows; with none, and an error to say why,
	// "0 rows, 0 matched" before that error said nothing of use.
	judgedNothing := rows == 0 && len(failed)+len(notFixtures)+len(empty) > 0
	if !env.Quiet && !r.JSON && !judgedNothing {
		fmt.Fprintf(env.ErrOut, "hashgate check: %d fixture(s), %d rows, %d matched, %d mismatched\n",
			len(r.Fixtures), rows, rows-mismatches-bad, mismatches)
		if footers > 0 {
			fmt.Fprintf(env.ErrOut, "hashgate check: %d last row(s) with an empty expect cell taken for the footer (input.skip_footer_lines), as an upload takes them\n", footers)
		}
		if unjudged > 0 {
			fmt.Fprintf(env.ErrOut, "hashgate check: consent.revocations_file lists %d event id(s), and check runs without the uploads' secret (HASHGATE_SECRET): under the demo key they name no row, while an upload excludes their rows — rows they withdraw are not judged\n", unjudged)
		}
		sayAge(env, rep)
		if cfg.Conversion.Bookings.Enabled {
			fmt.Fprintln(env.ErrOut, "hashgate check: conversion.bookings is on, and check judges each row's visit only: its booking (sent when the booking is made, under the consent at that time) is not checked")
		}
	}
	if !r.JSON {
		// An alarm, not chatter: said even under --quiet, as channels'
		// warnings are (--json carries it in the document).
		for _, f := range rep.IdentifierFanOut {
			fmt.Fprintf(env.ErrOut, "hashgate check: %s: warning: %s (an upload of it exits 3)\n", f.File, f.Message())
		}
	}
	switch {
	case mismatches > 0:
		// A mismatch is a gate that changed, whatever else is wrong: CI
		// that alerts on 5 must see it (bad cells and fixtures that could
		// not be read are said too).
		var also []string
		if bad > 0 {
			also = append(also, fmt.Sprintf("%d expect cell(s) outside the grammar", bad))
		}
		for _, err := range append(failed, notFixtures...) {
			also = append(also, err.Error())
		}
		if len(also) > 0 {
			return &ExitError{Code: ExitMismatch, Err: fmt.Errorf("%d row(s) mismatched; also: %s", mismatches, strings.Join(also, "; "))}
		}
		return &ExitError{Code: ExitMismatch}
	case len(failed) > 0:
		return errors.Join(append(failed, notFixtures...)...)
	case len(notFixtures) > 0:
		return &ExitError{Code: ExitUsage, Err: errors.Join(append(notFixtures,
			errors.New(`a fixture is an export with one more column, "expect", saying what the gate must do with each row (hashgate check --help)`))...)}
	case bad > 0:
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%d expect cell(s) check cannot judge — outside the grammar (include, exclude, exclude:<reason> with a reason hashgate names, or <destination>:<that> for each enabled destination), or on a row an upload drops as the footer: the fixture is wrong; fix it and check again", bad)}
	case len(empty) > 0:
		return &ExitError{Code: ExitUsage, Err: fmt.Errorf("%s: no rows to judge: a fixture without rows proves nothing (a truncated or empty file?)", strings.Join(empty, ", "))}
	}
	return nil
}

// noExpectColumn says err is a file's header lacking the expect column.
func noExpectColumn(err error) bool {
	var xe *export.Error
	return errors.As(err, &xe) && xe.MissingKey == export.Expect.Key()
}

// platformNames lists platforms by name, joined by ", ".
func platformNames(ps []platform.Platform) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.String()
	}
	return strings.Join(names, ", ")
}

// discard is a sink that keeps nothing: check needs outcomes, not output.
type discard struct{}

func (discard) Write(*conversion.Conversion) error { return nil }
func (discard) Close() error                       { return nil }

// checkResults writes each result of a check as it is found, and keeps
// none: a line in text mode, an element of the results array with --json
// (the counts, known only at the end, follow the array). Text mode writes
// nothing for a fixture that could not be judged: its error says it.
type checkResults struct {
	w    *bufio.Writer
	json bool
	n    int // elements written, for the commas between them
	err  error
}

func newCheckResults(w *bufio.Writer, asJSON bool) *checkResults {
	c := &checkResults{w: w, json: asJSON}
	if asJSON {
		w.WriteString("{\n  \"results\": [")
	}
	return c
}

// add writes res (--json) or line (text).
func (c *checkResults) add(res CheckResult, line string) {
	if !c.json {
		c.w.WriteString(line)
		return
	}
	// Indented as json.MarshalIndent(rep, "", "  ") indented the whole
	// report when it was built in memory.
	b, err := json.MarshalIndent(res, "    ", "  ")
	if err != nil {
		c.err = cmp.Or(c.err, err)
		return
	}
	if c.n > 0 {
		c.w.WriteByte(',')
	}
	c.n++
	c.w.WriteString("\n    ")
	c.w.Write(b)
}

// finish closes the results array and writes the counts after it.
func (c *checkResults) finish(rep CheckReport) error {
	if !c.json || c.err != nil {
		return c.err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if c.n > 0 {
		c.w.WriteString("\n  ")
	}
	// b is {"fixtures": …}: its fields follow the array's "],".
	c.w.WriteString("],")
	c.w.Write(b[1:])
	c.w.WriteByte('\n')
	return nil
}

// sayAge writes check's lines on the age rule: that none was judged, or
// how many rows passed with a blank birth date (CheckReport.AgeJudged).
func sayAge(env *Env, rep CheckReport) {
	switch {
	case !rep.AgeJudged:
		fmt.Fprintln(env.ErrOut, "hashgate check: age not judged (no input.columns.birth_date): a minor's row passes like an adult's")
	case rep.BirthDateBlank > 0:
		fmt.Fprintf(env.ErrOut, "hashgate check: %d row(s) passed with a blank birth date, no age judged (consent.require_birth_date excludes them as birth_date_missing)\n", rep.BirthDateBlank)
	}
}
