package run

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
)

// The safety net against event ids that changed by mistake (issue 21): a
// changed input.columns.order_id, a changed secret, or an order-id column
// whose values changed meaning make every conversion of a nightly export
// an event no platform has seen, and each platform would count every
// visit again. A nightly export overlaps the nights before, so its
// conversions are mostly ones the ledger knows; a run where more than half
// of a destination's conversions (at least newIDsMin, or what the
// destination accepted within the export's dates when that is fewer: a
// small clinic's) are dated on or before the newest event already
// delivered there and carry ids the ledger has never seen stops before
// anything is sent (exit 2, naming input.columns.order_id). A changed
// secret is stopped before that by the ledger's fingerprint of it
// (eventkey.go). `upload --accept-new-ids` proceeds, for a run a person
// has checked.
const (
	newIDsMin = 20
	// newIDsSample is how many conversions the net judges before it lets
	// any through: a run's first ones (exports run in date order, and the
	// oldest are the ones a ledger knows). The filter holds at most this
	// many until then.
	newIDsSample = 10000
)

// newIDsStop turns the net's verdict into the config error that names
// what to check; other errors pass unchanged. Among the causes are a new
// clinic system's migrated history under its own ids (migratedHistory),
// and an export of another clinic (an agency's review: 15 clinics' configs in
// one crontab, one job pointed at the wrong folder): its ids are all new
// to this config's ledger, and --accept-new-ids would send that clinic's
// patients to this one's accounts.
func newIDsStop(cfg *config.Config, err error) error {
	var ne *ledger.NewIDsError
	if !errors.As(err, &ne) {
		return err
	}
	// An order id holding the appointment time changes with the zone the
	// time is spelled in: this stop named only the column and the secret,
	// and an operator whose ids moved with the zone (or, before a zone was
	// required, with the offsets the export wrote) took --accept-new-ids
	// and sent every visit again (a review of time handling).
	timed := ""
	if h := cfg.OrderIDTime(); h != "" {
		timed = fmt.Sprintf("The order id includes the appointment time (column %q), which enters each id as the time in the clinic's zone: check timezone against the last upload's too "+
			"(an upload without one wrote each time in the UTC offset the export stated: a timezone with those offsets makes its ids again). ", h)
	}
	return &config.Error{Key: "input.columns.order_id", Problem: fmt.Sprintf(
		"%d of the %d conversions for %s are dated on or before %s, the newest event already delivered there, yet carry event ids the ledger has never seen; nothing was sent. "+
			"The order id no longer makes the ids it made: check input.columns.order_id and the secret (HASHGATE_SECRET) against the config of the last upload, "+
			"and that the export's order-id column still holds the same values. %s"+
			"Or this export is another clinic's (a wrong file or folder): check the export path the job reads against the config's clinic, and never pass --accept-new-ids for it. "+
			"%s. If these really are new conversions (visits entered late), "+
			"run `hashgate upload --accept-new-ids` once; a ledger restored from a backup is no such case (it lacks what it sent since: restore the newest backup)",
		ne.Unseen, ne.Conversions, ne.Destination, newestIn(cfg, ne.Newest), timed, migratedHistory(cfg, ne))}
}

// newestIn spells t in the clinic's zone (UTC without one).
func newestIn(cfg *config.Config, t time.Time) string {
	loc := cfg.Location()
	if loc == nil {
		loc = time.UTC
	}
	return t.In(loc).Format("2006-01-02 15:04 -07:00")
}

// idShapes is the leading-zeros check of the order ids (pipeline's
// IDShape): the shape the last upload read, from the ledger, and tonight's,
// recorded for the next once this run read its export without a stop.
type idShapes struct {
	cols        []string
	prior, seen pipeline.IDShape
	hasPrior    bool
	keyCol      string             // input.columns.patient_key (keyshape.go)
	keyDests    []string           // the destinations whose shapes (order ids', patient keys') are kept (keyDests)
	nights      pipeline.KeyNights // the last nights' patient keys (keyshape.go)
	// The exports that last added to the kept records (pipeline.KeptBy):
	// the patient keys' shapes read (one per shape merged), their long
	// keys' counts, the order ids' long counts. A run of the same export
	// adds nothing to them again.
	keysBy            []pipeline.KeptBy
	keyLongBy, longBy pipeline.KeptBy
}

// loadIDShapes reads the last upload's shape. A shape the ledger cannot
// read is left out with a warning: the check is a guard, not a gate on
// every run.
func loadIDShapes(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config) (*idShapes, error) {
	s := &idShapes{cols: cfg.Input.Columns.OrderID, keyCol: cfg.Input.Columns.PatientKey}
	s.keyDests, _ = keyDests(cfg)
	// Kept per destination (ledger.OrderIDShape), as the patient keys'
	// shape is: kept per mapping alone, clinics sharing the default ledger
	// stopped each other (a review).
	v, zone, err := led.OrderIDShape(ctx, s.keyDests, s.cols)
	if err != nil || v == "" {
		return s, err
	}
	if err := s.prior.UnmarshalText([]byte(v)); err != nil {
		env.Logger.Warn("the ledger's record of the order ids' shape was not read; tonight's replaces it", "error", err)
		return s, nil
	}
	s.hasPrior = true
	// The zone is kept beside the shape, under its own key: the shape's
	// text stays what an older hashgate reads (a review: a fifth field
	// made it skip its zeros check).
	// A zone in the text (a hashgate of a day wrote it there) is newer
	// than the key it did not write (a review).
	if s.prior.Zone == "" {
		s.prior.Zone = zone
	}
	// How many long ids were rounded (pipeline's LongShape), kept beside
	// the shape under a key of its own; none kept (an older hashgate's
	// ledger), nothing to compare.
	if v, by, err := led.Rounding(ctx, ledger.OrderIDRounding, s.keyDests, s.cols); err != nil {
		return s, err
	} else if v != "" {
		if err := s.prior.UnmarshalLong([]byte(v)); err != nil {
			env.Logger.Warn("the ledger's record of the long order ids was not read; tonight's replaces it", "error", err)
		} else {
			s.longBy = keptBy(by)
		}
	}
	return s, s.loadKeys(ctx, env, led)
}

// apply has the pipeline compare with the last upload's shape (which
// --accept-new-ids passes: pipeline.Options.Accepted) and report tonight's.
func (s *idShapes) apply(opt *pipeline.Options) {
	if s.hasPrior {
		opt.PriorIDs = &s.prior
	}
	opt.SeenIDs, opt.KeyNights = &s.seen, s.nights
}

// record keeps tonight's shape for the next upload, over the last one's
// (pipeline.IDShape.Kept); accepted: the run passed --accept-new-ids;
// input: the export's SHA-256 (hex), which the patient keys' night is
// known by (recordKeys).
func (s *idShapes) record(ctx context.Context, led *ledger.Ledger, accepted bool, input string) error {
	if err := s.recordKeys(ctx, led, accepted, input); err != nil {
		return err
	}
	var prior *pipeline.IDShape
	if s.hasPrior {
		prior = &s.prior
	}
	kept := s.seen.Kept(prior, accepted)
	if prior != nil && !s.longBy.Adds(input, accepted) {
		// The long ids' counts this export added to already: its ids are
		// in them (pipeline.KeptBy). The parts' shape, which tonight's
		// replaces, is tonight's again.
		kept.Long = prior.Long
	}
	b, err := kept.MarshalText()
	if err != nil {
		return err
	}
	if err := led.SetOrderIDShape(ctx, s.keyDests, s.cols, string(b), kept.Zone); err != nil {
		return err
	}
	long, err := kept.MarshalLong()
	if err != nil {
		return err
	}
	by, _ := pipeline.NewKeptBy(input, accepted).MarshalText()
	return led.SetRounding(ctx, ledger.OrderIDRounding, s.keyDests, s.cols, string(long), string(by))
}

// allTestRuns: every enabled destination only validates (validate_only,
// a test event code). Such a run's ids are no events anywhere, so the
// shape it read is not what the next upload must match.
func allTestRuns(cfg *config.Config) bool {
	for _, p := range cfg.Enabled() {
		if !cfg.TestRun(p) {
			return false
		}
	}
	return true
}

// revokedUnderAnotherKey is the stop for a secret that changed under the
// remembered withdrawals (pipeline.PatientRevocations): their digests
// were made under the old secret and match no patient under the new one,
// so every withdrawn patient whose withdrawing row has left the export
// would be sent. It returns the config error that stops the run, or nil;
// --accept-new-ids (acc), which a new secret needs anyway (the safety
// net), goes on, saying so, and keeps the new secret's fingerprint.
//
// The fingerprint also covers the column's name, but a digest is of the
// secret and the key's value only (eventid.Deriver.RevokedPatient): a
// patient-key column renamed, or another config's header for the same
// chart numbers, leaves every withdrawal matching. When the ledger's
// fingerprint of the event-id key (the secret alone; secretKnown) is tonight's, only
// the column can have changed, and the messages say so rather than that
// the withdrawals "can no longer be matched" (a review: false there).
//
// It reads the previous secret first (HASHGATE_PREVIOUS_SECRET,
// prevsecret.go): nil without one; a weak one is the stop.
func revokedUnderAnotherKey(ctx context.Context, env *Env, led *ledger.Ledger, key string, cfg *config.Config, acc *acceptance) (*previousSecret, error) {
	prev, err := loadPreviousSecret(ctx, env, led, cfg, key)
	if err != nil {
		return nil, err
	}
	if prev == nil {
		// None given: a rotation under no withdrawal is still recorded
		// (rotatedUnderNone), and a zero previousSecret matches nothing.
		prev = &previousSecret{}
	}
	return prev, revokedUnder(ctx, env, led, key, cfg, acc, prev)
}

// revokedUnder is revokedUnderAnotherKey's stop, given the previous secret.
func revokedUnder(ctx context.Context, env *Env, led *ledger.Ledger, key string, cfg *config.Config, acc *acceptance, prev *previousSecret) error {
	d := eventid.NewDeriver(key)
	check := d.RevokedKeyCheck(cfg.Input.Columns.PatientKey)
	n, unknown, err := led.RevokedUnderAnotherKey(ctx, check)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if n == 0 {
		return rotatedUnderNone(ctx, led, key, cfg, check, prev)
	}
	sameSecret, err := secretKnown(ctx, led, cfg, key)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	// The previous secret given (HASHGATE_PREVIOUS_SECRET) is the one they
	// were made under: they are matched under both, and moved to this one
	// as their patients reappear (prevsecret.go).
	if !unknown && !sameSecret {
		if err := olderSecretWaits(ctx, led); err != nil {
			return err
		}
		was, err := led.RevokedKey(ctx)
		if err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if prev.passes(was) {
			env.Logger.Warn("the withdrawals remembered under the previous secret are matched under it too ("+PreviousSecretEnv+") and moved to this one as their patients reappear: keep it set until none remains", "patients", n)
			return nil
		}
	}
	accept := acc.pass(report.StopWithdrawalFingerprint)
	switch {
	case !accept && unknown:
		return &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d patient(s) who withdrew consent from before it kept a fingerprint of the secret (HASHGATE_SECRET) and patient-key column (input.columns.patient_key) they were made under: it cannot tell whether this run recognises them; "+
				"if neither changed since, run `hashgate upload --accept-new-ids` once (it keeps this run's fingerprint); otherwise list those patients in consent.revocations_file first; nothing was sent", n)}
	case !accept && sameSecret:
		return &config.Error{Key: "input.columns.patient_key", Problem: fmt.Sprintf(
			"the ledger remembers %d patient(s) who withdrew consent under another patient-key column; the secret (HASHGATE_SECRET) is the one they were made under, and a withdrawal is remembered by the key's value, not the column's name: "+
				"they still match where this column holds the same values (the same chart numbers under another header), and not where it holds another identifier, whose withdrawn patients' visits would be sent once their withdrawing rows have left the export; "+
				"if it holds the same values, run `hashgate upload --accept-new-ids` once (it keeps this column's fingerprint); otherwise use the column of the last upload, or list those patients in consent.revocations_file first; nothing was sent", n)}
	case !accept:
		return &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d patient(s) who withdrew consent, under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): under another secret this run cannot recognise them, and their visits would be sent once their withdrawing rows have left the export; "+
				"run with the secret and column of the last upload, or keep them: set %s to the secret they were made under, beside the new HASHGATE_SECRET (each upload then matches them under both and moves each to the new secret as its patient reappears; hashgate cannot say who they are, so listing them in consent.revocations_file is the only other way); nothing was sent. %s", n, PreviousSecretEnv, rotationAdvice(oldSecretThrough(ctx, led, cfg)))}
	}
	switch {
	case unknown:
		env.Logger.Warn("the withdrawals remembered before the ledger kept a fingerprint are taken as made under this secret and patient-key column", "patients", n)
	case sameSecret:
		env.Logger.Warn("the withdrawals remembered under the previous patient-key column still match where this column holds the same values (the secret is unchanged); those of patients this column names otherwise do not: list them in consent.revocations_file", "patients", n)
	default:
		env.Logger.Warn("the withdrawals remembered under the previous secret can no longer be matched (if only the patient-key column changed, they match where it holds the same values); set "+PreviousSecretEnv+" to the previous secret, or list those patients in consent.revocations_file", "patients", n)
		// Kept as a rotation, recorded once the run goes on
		// (recordRotation, with the event ids'): the previous secret given
		// later still matches them (prevsecret.go), and each upload counts
		// them.
		was, err := led.RevokedKey(ctx)
		if err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		if was != "" {
			prev.rotate, prev.from = true, was
		}
		return nil
	}
	if err := led.SetRevokedKey(ctx, check); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}
