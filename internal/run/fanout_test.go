package run

import (
	"errors"
	"testing"

	"github.com/hashgate/hashgate/internal/report"
)

// TestFanOutOutcomeTonightOnly: only an identifier withdrawn by tonight's
// rows makes an upload exit 3; a remembered one's crossing is said in the
// summary and leaves the code as it was (0 here): it was judged the night
// it was withdrawn.
func TestFanOutOutcomeTonightOnly(t *testing.T) {
	if err := fanOutOutcome(nil, &report.IdentifierFanOut{Remembered: true, RememberedKeys: 40, Rows: 40}); err != nil {
		t.Errorf("remembered only: %v, want exit 0", err)
	}
	var ee *ExitError
	if err := fanOutOutcome(nil, &report.IdentifierFanOut{Tonight: true, PatientKeys: 11, Rows: 11}); !errors.As(err, &ee) || ee.Code != ExitPartial {
		t.Errorf("tonight: %v, want exit 3", err)
	}
}
