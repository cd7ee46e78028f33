package cli

import "github.com/hashgate/hashgate/internal/run"

// Exit codes: decided in one place, package run (run.Code), re-exported
// for the commands that return them.
const (
	ExitOK          = run.ExitOK
	ExitFailure     = run.ExitFailure
	ExitUsage       = run.ExitUsage
	ExitPartial     = run.ExitPartial
	ExitLocked      = run.ExitLocked
	ExitMismatch    = run.ExitMismatch
	ExitInterrupted = run.ExitInterrupted
)

const exitCodesHelp = `Exit codes:
  0    every new conversion was ingested, or there was nothing new to send
       (rows held back in earlier runs for a reason that cannot change by
       itself — too old, a Purchase without a value, an invalid identifier —
       are reported as "held back in earlier runs" and never set the code)
  1    failure: a fatal error, an export with no data rows, or nothing new ingested
  2    usage or config error, or a refused run, before anything was written or sent
       (also when the export shows the config no longer fits it: dates that
       need a setting, event ids the ledger never saw, a secret other than
       the ledger's, a consent column whose words changed or that is empty,
       a revocations list that is not one id per line, conversions the
       ledger holds coming back at other event times — a new clinic system,
       another export sharing the ledger, or a changed timezone — patient
       keys of a new numbering, long order ids or patient keys a
       spreadsheet rounded to 15 digits, an export whose encoding must be
       set (input.encoding), new rows whose status words changed, rows
       naming another clinic; README, Exit codes)
  3    partial: some new conversions were quarantined, rejected or not sent;
       the rest went through — or the platform failed events of earlier
       runs in processing, said once, by the upload that first finds them —
       or ledger erase / unrevoke --patients after a rotation without
       HASHGATE_PREVIOUS_SECRET: records under the previous secret may remain
  4    another run holds the ledger lock
  5    check: a fixture row did not match its expectation
  130  interrupted (SIGINT/SIGTERM) after a clean stop
  131  interrupted twice: the second signal stopped the drain at once`

// UsageError is a mistake in how hashgate was called.
type UsageError = run.UsageError

// ExitError carries an exit code chosen by a command (run.ExitError).
type ExitError = run.ExitError

// exitCode maps an error returned by a command to the process exit code.
func exitCode(err error) int { return run.Code(err) }
