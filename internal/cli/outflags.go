package cli

import (
	"errors"

	"github.com/spf13/pflag"
)

// Output paths on the command line. "-" is standard output wherever a
// command writes its data to stdout without the flag (--out of upload
// --dry-run, channels, write, config init): "-" names standard input for
// every export argument, and a user who wrote `--out -` found a file named
// "-" in the working directory and nothing on the terminal (a review of the
// CLI against its docs). Where the flag adds a file beside stdout
// (--report, --html) "-" is refused: a report on stdout is --json, and a
// page is not data to pipe.

// stdoutPath is a string flag whose "-" means standard output: it is
// stored as "", the path the run layer reads as stdout.
type stdoutPath struct{ p *string }

func (s stdoutPath) String() string {
	if s.p == nil {
		return ""
	}
	return *s.p
}

func (s stdoutPath) Set(v string) error {
	if v == "-" {
		v = ""
	}
	*s.p = v
	return nil
}

func (stdoutPath) Type() string { return "string" }

// outVarP defines --out (and its shorthand) writing to FILE, "-" or unset
// for standard output.
func outVarP(fl *pflag.FlagSet, p *string, short, usage string) {
	fl.VarP(stdoutPath{p}, "out", short, usage)
}

// filePath is a string flag that must name a file: "-" is refused.
type filePath struct {
	p     *string
	other string // what to use for standard output instead
}

func (f filePath) String() string {
	if f.p == nil {
		return ""
	}
	return *f.p
}

func (f filePath) Set(v string) error {
	if v == "-" {
		return errors.New("needs a file; for standard output, " + f.other)
	}
	*f.p = v
	return nil
}

func (filePath) Type() string { return "string" }
