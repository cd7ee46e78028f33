package run

import (
	"context"

	"github.com/hashgate/hashgate/internal/ledger"
)

// The patient keys' shape (pipeline.KeyShape) is kept beside the order
// ids' (idShapes), under its own key in the ledger: a new practice system
// that numbers patients anew under the same column stops the upload
// before its withdrawn patients are sent under their new keys.

// loadKeys reads the last upload's shape of the patient keys of column
// s.keyCol ("": none mapped, nothing to read), once the order ids' was
// read (s.hasPrior: the shapes are compared together). A shape the ledger
// cannot read is left out with a warning, as the order ids' is.
func (s *idShapes) loadKeys(ctx context.Context, env *Env, led *ledger.Ledger) error {
	if s.keyCol == "" || !s.hasPrior {
		return nil
	}
	v, err := led.PatientKeyShape(ctx, s.keyCol)
	if err != nil || v == "" {
		return err
	}
	if err := s.prior.Keys.UnmarshalText([]byte(v)); err != nil {
		env.Logger.Warn("the ledger's record of the patient keys' shape was not read; tonight's replaces it", "error", err)
	}
	return nil
}

// recordKeys keeps tonight's shape of the patient keys for the next upload
// (pipeline.KeyShape.Kept); accepted: the run passed --accept-new-ids.
func (s *idShapes) recordKeys(ctx context.Context, led *ledger.Ledger, accepted bool) error {
	if s.keyCol == "" {
		return nil
	}
	kept := s.seen.Keys.Kept(s.prior.Keys, accepted)
	if kept.Total() == 0 {
		return nil
	}
	b, err := kept.MarshalText()
	if err != nil {
		return err
	}
	return led.SetPatientKeyShape(ctx, s.keyCol, string(b))
}
