package run

import (
	"errors"
	"testing"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
)

// failingRestate is a Filter whose restatement counts fail.
type failingRestate struct{ st ledger.SentTimeCounts }

func (f failingRestate) SentTimes(platform.Platform) ledger.SentTimeCounts { return f.st }
func (failingRestate) Restated(platform.Platform) (ledger.RestateCounts, error) {
	return ledger.RestateCounts{}, errors.New("seen values unreadable")
}

// TestSentTimeCountsSurviveARestateCountError: the summary's sent-time
// counts are known whatever the restatement counts' error; an error
// there once dropped them.
func TestSentTimeCountsSurviveARestateCountError(t *testing.T) {
	var u report.Upload
	if err := filterCounts(&u, failingRestate{ledger.SentTimeCounts{Kept: 3, Unrecorded: 2}}, platform.Meta); err == nil {
		t.Fatal("the restatement counts' error was lost")
	}
	if u.KeptSentTime != 3 || u.SentTimeNotRecorded != 2 {
		t.Errorf("kept %d, not recorded %d; want 3, 2", u.KeptSentTime, u.SentTimeNotRecorded)
	}
}
