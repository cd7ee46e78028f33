package run

import (
	"context"
	"errors"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
	"github.com/hashgate/hashgate/internal/export"
)

// Exit codes. They are decided here (Code) and nowhere else, and listed in
// `hashgate --help` so cron and alerting can rely on them.
const (
	ExitOK          = 0
	ExitFailure     = 1
	ExitUsage       = 2
	ExitPartial     = 3
	ExitLocked      = 4
	ExitMismatch    = 5
	ExitInterrupted = 130
)

// UsageError is a mistake in how hashgate was called.
type UsageError struct{ Err error }

func (e *UsageError) Error() string { return e.Err.Error() }
func (e *UsageError) Unwrap() error { return e.Err }

// ExitError carries an exit code chosen by a use case for an outcome that
// is not a plain failure (a partial run, a check mismatch). Its message may
// be empty when everything has already been said on stderr.
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

// Code maps an error returned by a command to the process exit code.
func Code(err error) int {
	var (
		ee  *ExitError
		ue  *UsageError
		ce  *config.Error
		cfe *config.FileError
		xe  *export.Error
		le  *consent.ListError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ee):
		return ee.Code
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &cfe), errors.As(err, &le):
		return ExitUsage
	case errors.As(err, &xe) && xe.Setting != "":
		// The encoding cannot be decided (a WPS re-save to GBK or Big5):
		// refused before anything is sent, mended by a setting.
		return ExitUsage
	case errors.As(err, &xe):
		return ExitFailure
	}
	return ExitFailure
}

func isLocked(err error) bool {
	var ee *ExitError
	return errors.As(err, &ee) && ee.Code == ExitLocked
}
