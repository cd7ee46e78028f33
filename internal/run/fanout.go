package run

import (
	"errors"
	"fmt"

	"github.com/hashgate/hashgate/internal/report"
)

// fanOutOutcome makes an upload (or `write`) whose identifier
// withdrawals fanned out (report.IdentifierFanOut: one withdrawal's
// e-mail or phone kept out the rows of many other patient keys — a
// placeholder or the clinic's own contact) exit 3, partial, with the
// alarm's line: the rows stay withdrawn (default-deny), but a night that
// sent 0 of 40 for one revocation must not look like success to cron (a
// review: exit 0). A failure keeps its code (1) and says the alarm too.
// An identifier the ledger remembers that crosses on its own exits 3 as
// one withdrawn tonight does: judged together and said only, a re-run of
// the withdrawal night's export (its placeholder remembered by then)
// exited 0 where the first run exited 3, and a remembered placeholder was
// never alarmed again (a review). The line is an error, so --quiet, which
// hides the summary, still prints it.
func fanOutOutcome(err error, f *report.IdentifierFanOut) error {
	if !f.Exits() {
		return err
	}
	var ee *ExitError
	switch {
	case err == nil:
		return &ExitError{Code: ExitPartial, Err: errors.New(f.Message())}
	case errors.As(err, &ee) && (ee.Code == ExitPartial || ee.Code == ExitFailure):
		return &ExitError{Code: ee.Code, Err: fmt.Errorf("%w; %s", err, f.Message())}
	}
	return err
}
