package run

import (
	"context"
	"slices"

	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// The patient keys' shape (pipeline.KeyShape) is kept beside the order
// ids' (idShapes), under keys of its own in the ledger: a new practice
// system that numbers patients anew under the same column stops the upload
// before its withdrawn patients are sent under their new keys.
//
// One per destination (ledger.PatientKeyShapes; a review: clinics sharing
// the default ledger, each its own accounts, stopped each other on
// alternate nights when it was kept per column alone), compared and
// recorded for this config's destinations whose events count (keyDests:
// a test run's keys are no patients anywhere), as the event-id key's
// fingerprint is (eventkey.go).

// loadKeys reads the shape of the patient keys of column s.keyCol ("":
// none mapped, nothing to read) kept for this config's destinations —
// their union, when they differ (a destination added to the config has
// none yet; one shape kept at several counts once) — once the order ids'
// was read (s.hasPrior: the shapes are compared together). A shape the ledger cannot read is left out with a
// warning, as the order ids' is.
func (s *idShapes) loadKeys(ctx context.Context, env *Env, led *ledger.Ledger) error {
	if s.keyCol == "" || !s.hasPrior || len(s.keyDests) == 0 {
		return nil
	}
	kept, by, err := led.PatientKeyShapes(ctx, s.keyDests, s.keyCol)
	if err != nil {
		return err
	}
	// How many long all-digit keys were rounded (pipeline.LongShape),
	// kept under a key of its own so that the shape's text stays what an
	// older hashgate reads.
	if v, longBy, err := led.Rounding(ctx, ledger.PatientKeyRounding, s.keyDests, []string{s.keyCol}); err != nil {
		return err
	} else if v != "" {
		if err := s.prior.KeyLong.UnmarshalText([]byte(v)); err != nil {
			env.Logger.Warn("the ledger's record of the long patient keys was not read; tonight's replaces it", "error", err)
			s.prior.KeyLong = pipeline.LongShape{}
		} else {
			s.keyLongBy = keptBy(longBy)
		}
	}
	read := map[string]bool{}
	for _, d := range s.keyDests {
		v, ok := kept[d]
		if !ok || read[v] {
			// The same shape kept at two destinations (each upload keeps
			// one for all of its config's) counts once: summed, its counts
			// would double each night, and tonight's keys weigh ever less
			// against them (pipeline.KeyShape.Kept).
			continue
		}
		read[v] = true
		var one pipeline.KeyShape
		if err := one.UnmarshalText([]byte(v)); err != nil {
			env.Logger.Warn("the ledger's record of the patient keys' shape was not read; tonight's replaces it", "error", err)
			continue
		}
		s.prior.Keys = one.Merge(s.prior.Keys)
		s.keysBy = append(s.keysBy, keptBy(by[d]))
	}
	return s.loadNights(ctx, env, led)
}

// loadNights reads the last nights' keys (pipeline.KeyNights) kept at the
// first of this config's destinations that has them: each upload keeps the
// same at all of its config's, and a destination added since has none. A
// record the ledger cannot read is left out with a warning: tonight's
// keys are judged with none before them.
func (s *idShapes) loadNights(ctx context.Context, env *Env, led *ledger.Ledger) error {
	kept, err := led.PatientKeyNights(ctx, s.keyDests, s.keyCol)
	if err != nil {
		return err
	}
	for _, d := range s.keyDests {
		v, ok := kept[d]
		if !ok {
			continue
		}
		if err := s.nights.UnmarshalText([]byte(v)); err != nil {
			env.Logger.Warn("the ledger's record of the last nights' patient keys was not read; tonight's starts it again", "error", err)
			s.nights = nil
		}
		return nil
	}
	return nil
}

// recordKeys keeps tonight's shape of the patient keys, added to the kept
// one (pipeline.KeyShape.Kept), and the last nights' keys with tonight's
// first (pipeline.KeyNights.Next: a night of the same export, input, is
// replaced), for the next upload to this config's destinations;
// accepted: the run passed --accept-new-ids. A kept record the same
// export added to already is kept as it is (pipeline.KeptBy.Adds): its
// keys are in it.
func (s *idShapes) recordKeys(ctx context.Context, led *ledger.Ledger, accepted bool, input string) error {
	if s.keyCol == "" || len(s.keyDests) == 0 {
		return nil
	}
	by, _ := pipeline.NewKeptBy(input, accepted).MarshalText()
	long := s.prior.KeyLong
	if s.keyLongBy.Adds(input, accepted) {
		long = s.seen.KeyLong.Kept(s.prior.KeyLong, accepted)
	}
	if long.Long > 0 {
		b, _ := long.MarshalText()
		if err := led.SetRounding(ctx, ledger.PatientKeyRounding, s.keyDests, []string{s.keyCol}, string(b), string(by)); err != nil {
			return err
		}
	}
	kept := s.prior.Keys
	if addsTo(s.keysBy, input, accepted) {
		// Keys that departed only by an Excel text formula's wrapper
		// (pipeline.IDShape.UnwrappedKeys) are the same keys: taken.
		kept = s.seen.Keys.Kept(s.prior.Keys, accepted || s.seen.UnwrappedKeys())
	}
	if kept.Total() == 0 {
		return nil
	}
	b, err := kept.MarshalText()
	if err != nil {
		return err
	}
	nights, err := s.nights.Next(s.seen.Keys, input).MarshalText()
	if err != nil {
		return err
	}
	return led.SetPatientKeyShapes(ctx, s.keyDests, s.keyCol, string(b), string(nights), string(by))
}

// keptBy reads the export the ledger keeps beside a record (ledger's
// keptinput.go). One it cannot read is no export known: the run adds to
// the record, as before there was one.
func keptBy(v string) pipeline.KeptBy {
	var k pipeline.KeptBy
	if k.UnmarshalText([]byte(v)) != nil {
		return pipeline.KeptBy{}
	}
	return k
}

// addsTo reports whether tonight's keys are added to the shape kept at
// several destinations, merged (loadKeys; by: the export that last added
// to each shape read): unless this export added to every one of them —
// kept without it at one (a destination an older hashgate wrote, a shape
// of before), this export's keys may not be in that one, and are added as
// before. No shape read: tonight's is the first.
func addsTo(by []pipeline.KeptBy, input string, accepted bool) bool {
	return len(by) == 0 || slices.ContainsFunc(by, func(k pipeline.KeptBy) bool { return k.Adds(input, accepted) })
}
