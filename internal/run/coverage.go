package run

import (
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/diagnostics"
	"github.com/hashgate/hashgate/internal/identifier"
)

// coverageObserver counts the identifiers of every batch a platform took
// into cov and passes every call on to next (the ledger's recorder). It
// lives here, not in diagnostics, so that diagnostics — read by report and
// through it by the pipeline — never imports a destination package.
type coverageObserver struct {
	cov  *diagnostics.Coverage
	next destination.Observer
}

var _ destination.Observer = coverageObserver{}

func (o coverageObserver) Sending(p identifier.Platform, batch []*conversion.Conversion) error {
	if o.next == nil {
		return nil
	}
	return o.next.Sending(p, batch)
}

// Sent counts a batch the platform ingested. A test run's validated batch
// is not counted: coverage is of ingested events (README: Identifier
// coverage), and a test run never counts as a real one.
func (o coverageObserver) Sent(p identifier.Platform, batch []*conversion.Conversion, requestID string, out destination.Outcome, reason string) error {
	if out == destination.Accepted {
		o.cov.Count(p, batch)
	}
	if o.next == nil {
		return nil
	}
	return o.next.Sent(p, batch, requestID, out, reason)
}

func (o coverageObserver) Quarantined(p identifier.Platform, c *conversion.Conversion, reason string) error {
	if o.next == nil {
		return nil
	}
	return o.next.Quarantined(p, c, reason)
}
