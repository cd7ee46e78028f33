package run

import (
	"errors"
	"testing"

	"github.com/hashgate/hashgate/internal/report"
)

// TestFanOutOutcomeExits: an identifier withdrawn tonight and one the
// ledger remembers that crossed on its own both make an upload (and
// `write`) exit 3 — a remembered crossing left the code at 0, so the
// re-run of a withdrawal night exited 0 where the first run exited 3; a
// failure keeps its 1 and says the alarm; no alarm changes nothing.
func TestFanOutOutcomeExits(t *testing.T) {
	var ee *ExitError
	for _, f := range []*report.IdentifierFanOut{
		{Remembered: true, RememberedKeys: 40, Rows: 40},
		{Tonight: true, PatientKeys: 11, Rows: 11},
	} {
		if err := fanOutOutcome(nil, f); !errors.As(err, &ee) || ee.Code != ExitPartial {
			t.Errorf("%+v: %v, want exit 3", f, err)
		}
		failed := &ExitError{Code: ExitFailure, Err: errors.New("nothing ingested")}
		if err := fanOutOutcome(failed, f); !errors.As(err, &ee) || ee.Code != ExitFailure || err.Error() == failed.Error() {
			t.Errorf("%+v after a failure: %v, want exit 1 with the alarm", f, err)
		}
	}
	if err := fanOutOutcome(nil, nil); err != nil {
		t.Errorf("no alarm: %v", err)
	}
	if err := fanOutOutcome(nil, &report.IdentifierFanOut{Remembered: true, Rows: 6}); err != nil {
		t.Errorf("remembered identifiers below the threshold: %v", err)
	}
}
