package run

import (
	"errors"
	"fmt"

	"github.com/hashgate/hashgate/internal/report"
)

// fanOutOutcome makes an upload whose identifier withdrawals fanned out
// (report.IdentifierFanOut: one withdrawal's e-mail or phone kept out the
// rows of many other patient keys — a placeholder or the clinic's own
// contact) exit 3, partial, with the alarm's line: the rows stay withdrawn
// (default-deny), but a night that sent 0 of 40 for one revocation must
// not look like success to cron (a review: exit 0). A failure keeps its
// code (1) and says the alarm too. Only an identifier withdrawn tonight
// (f.Tonight) changes the code: a remembered one's crossing was judged
// the night it was withdrawn, and the summary says it.
func fanOutOutcome(err error, f *report.IdentifierFanOut) error {
	if f == nil || !f.Tonight {
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
