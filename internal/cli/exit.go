package cli

import (
	"context"
	"errors"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/export"
)

// Exit codes. They are decided here and nowhere else, and listed in
// `hashgate --help` (exitCodesHelp) so cron and alerting can rely on them.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitPartial     = 3
	ExitLocked      = 4
	ExitMismatch    = 5
	ExitInterrupted = 130
)

const exitCodesHelp = `Exit codes:
  0    everything eligible was processed
  1    failure: nothing could be done, or a fatal error
  2    usage or config error, or a refused run, before anything was written or sent
  3    partial: some rows were quarantined or rejected; the rest went through
  4    another run holds the ledger lock
  5    check: a fixture row did not match its expectation
  130  interrupted (SIGINT/SIGTERM) after a clean stop`

// UsageError is a mistake in how hashgate was called.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// ExitError carries an exit code chosen by a command for an outcome that is
// not a plain failure (a partial run, a check mismatch). Its message may be
// empty when the command has already said everything on stderr.
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return ""
	}
	return e.Err.Error()
}
func (e *ExitError) Unwrap() error { return e.Err }

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int {
	var (
		ee  *ExitError
		ue  *UsageError
		ce  *config.Error
		cfe *configFileError
		xe  *export.Error
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &cfe):
		return ExitUsage
	case errors.As(err, &xe):
		return ExitFailure
	}
	return ExitFailure
}
