package run

import (
	"context"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// priorRevocations reads what the ledger remembers of the patients who
// withdrew: their digests, and those of the emails and phone numbers their
// withdrawing rows carried (pipeline.ReasonIdentifierWithdrawn), so that
// a patient renumbered by a new practice system stays out.
func priorRevocations(ctx context.Context, led *ledger.Ledger) (*pipeline.PatientRevocations, error) {
	prior, err := led.RevokedPatients(ctx)
	if err != nil {
		return nil, err
	}
	ids, err := led.RevokedIdentifiers(ctx)
	if err != nil {
		prior.Close()
		return nil, err
	}
	ws, err := led.IdentifierWithdrawers(ctx)
	if err != nil {
		prior.Close()
		ids.Close()
		return nil, err
	}
	return &pipeline.PatientRevocations{Prior: prior, PriorIdentifiers: ids, IdentifierWithdrawers: ws}, nil
}

// rememberRevocations has the ledger remember, as run runID's, the
// patients this run's rows withdrew and their identifiers; it returns how
// many patients the run remembers (ledger.AddRevokedPatients).
func rememberRevocations(ctx context.Context, led *ledger.Ledger, runID string, revoked *pipeline.PatientRevocations) (int, error) {
	n, err := led.AddRevokedPatients(ctx, runID, revoked.New.Each)
	if err != nil {
		return 0, err
	}
	return n, led.AddRevokedIdentifiers(ctx, runID, revoked.New.EachIdentifier)
}
