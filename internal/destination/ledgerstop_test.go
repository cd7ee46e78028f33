package destination

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/identifier"
)

// failingObserver is a ledger whose every record fails with err.
type failingObserver struct {
	err                        error
	sending, sent, quarantined bool
}

func (o failingObserver) Sending(identifier.Platform, []*conversion.Conversion) error {
	if o.sending {
		return o.err
	}
	return nil
}

func (o failingObserver) Sent(identifier.Platform, []*conversion.Conversion, string, Outcome, string) error {
	if o.sent {
		return o.err
	}
	return nil
}

func (o failingObserver) Quarantined(identifier.Platform, *conversion.Conversion, string) error {
	if o.quarantined {
		return o.err
	}
	return nil
}

// TestALedgersStopKeepsItsWords (flake of
// TestALedgerDeletedMidRunStopsTheRun, session 23): the ledger's error
// that stops a run went through Scrub, made for a platform's text. Scrub
// made "…" of any run of 32 path characters (a state directory under a
// home, /srv/state/hashgate-clinic/ledger/ledger.db, is 42) or of 8
// digits, and cut the text at MaxMessage: a cron user read "ledger … was
// deleted while this run had it open" and not which ledger, nor the end of
// what to do. The test passed only when t.TempDir's random number had 8
// digits or more (its "…" then kept the path's tail the test looked for).
func TestALedgersStopKeepsItsWords(t *testing.T) {
	const path = "/var/lib/clinic-reception/hashgate/state/ledger.db"
	words := "ledger " + path + " was deleted while this run had it open: the run stopped sending; what it sent after that is recorded nowhere — put the ledger back from its backup before the next upload (a new one sends everything again and forgets the withdrawals)"
	gone := errors.New(words)
	for name, obs := range map[string]failingObserver{
		"before sending":      {err: gone, sending: true},
		"after sending":       {err: gone, sent: true},
		"a quarantined event": {err: gone, quarantined: true},
	} {
		t.Run(name, func(t *testing.T) {
			c := &scripted{max: 10, answer: ok, tooOld: 24 * time.Hour}
			in := convs(3)
			in[0].Time = now.Add(-48 * time.Hour) // quarantined before sending: too old
			r, _ := run(t, context.Background(), c, Options{Observer: obs}, in)
			if r.Fatal == nil {
				t.Fatalf("no stop: %+v", r)
			}
			if got := r.Fatal.Error(); !strings.Contains(got, words) {
				t.Errorf("the stop does not say the ledger's words whole:\n got %s\nwant %s", got, words)
			}
			if !errors.Is(r.Fatal, gone) {
				t.Errorf("the stop %v does not wrap the ledger's error", r.Fatal)
			}
		})
	}
}
