package run

import (
	"testing"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/diagnostics"
	"github.com/hashgate/hashgate/internal/identifier"
)

// recorder remembers what reached the next observer.
type recorder struct{ sending, sent, quarantined int }

func (r *recorder) Sending(identifier.Platform, []*conversion.Conversion) error {
	r.sending++
	return nil
}
func (r *recorder) Sent(identifier.Platform, []*conversion.Conversion, string, destination.Outcome, string) error {
	r.sent++
	return nil
}
func (r *recorder) Quarantined(identifier.Platform, *conversion.Conversion, string) error {
	r.quarantined++
	return nil
}

// TestCoverageObserverCountsWhatWasTaken: the observer passes every call
// on to the ledger's recorder and counts only batches the platform took.
func TestCoverageObserverCountsWhatWasTaken(t *testing.T) {
	next := &recorder{}
	cov := &diagnostics.Coverage{MinCell: 1}
	o := coverageObserver{cov: cov, next: next}
	g := identifier.Google
	batch := make([]*conversion.Conversion, 10)
	for i := range batch {
		batch[i] = &conversion.Conversion{Platform: g, GCLID: "Cj0KCQiA-test"}
	}
	_ = o.Sending(g, batch[:6])
	_ = o.Sent(g, batch[:6], "r1", destination.Accepted, "")
	_ = o.Sending(g, batch[6:])
	_ = o.Sent(g, batch[6:], "", destination.Rejected, "bad")
	_ = o.Quarantined(g, batch[0], "x")
	if next.sending != 2 || next.sent != 2 || next.quarantined != 1 {
		t.Fatalf("calls not passed on: %+v", next)
	}
	f := cov.Figures(g)
	if f == nil || f.Events == nil || *f.Events != 6 {
		t.Fatalf("counted %+v, want the 6 accepted events", f)
	}
}
