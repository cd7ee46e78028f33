package clients

import (
	"testing"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/destination/google"
	"github.com/hashgate/hashgate/internal/destination/meta"
)

// TestSettledCoversTheClients keeps destination.Settled's list next to
// the clients' pre-flight reasons: every reason about the conversion
// itself is settled, the one time cures is not.
func TestSettledCoversTheClients(t *testing.T) {
	for _, r := range []string{
		google.ReasonTooOld, google.ReasonNoIdentifier, google.ReasonClickIDs, google.ReasonTooManyIDs,
		google.ReasonBadCurrency, google.ReasonBadTransaction,
		meta.ReasonTooOld, meta.ReasonNoIdentifier, meta.ReasonWeakIdentifiers, meta.ReasonPurchaseNoValue, meta.ReasonPurchaseZero,
		destination.ReasonRejected + ":INVALID_PARAMETER",
	} {
		if !destination.Settled(r) {
			t.Errorf("%s is not settled", r)
		}
	}
	for _, r := range []string{google.ReasonInFuture, meta.ReasonInFuture, destination.ReasonRetriesExhausted,
		destination.ReasonStopped, destination.ReasonRetryBudget, destination.ReasonUnisolated} {
		if destination.Settled(r) {
			t.Errorf("%s is settled: time or a retry may change it", r)
		}
	}
}
