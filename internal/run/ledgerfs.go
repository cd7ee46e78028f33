package run

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/ledger"
)

// ledgerStillThere checks, before the run reports its outcome, that the
// ledger it recorded in is still the file at its path (ledger.Gone): a
// ledger deleted after the last batch, or in a run that sent nothing, is
// an error the next night would not see, and it exits 1 saying so.
func ledgerStillThere(led *ledger.Ledger, err error) error {
	gone := led.Gone()
	if gone == nil || errors.Is(err, ledger.ErrLedgerGone) || err != nil && strings.Contains(err.Error(), ledger.StoppedSending) {
		return err
	}
	if err != nil {
		gone = fmt.Errorf("%w (and: %v)", gone, err)
	}
	return &ExitError{Code: ExitFailure, Err: gone}
}
