package run

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// PreviousSecretEnv names the previous secret, given beside the new one
// while the ledger remembers withdrawals made under it (a rotation). The
// environment alone: never the config file, never a log.
const PreviousSecretEnv = "HASHGATE_PREVIOUS_SECRET"

// A rotated secret under remembered withdrawals: their digests are HMACs
// under the old secret (eventid.Deriver.RevokedPatient) and match no row
// under the new one, so a patient who withdrew a year ago, whose
// withdrawing row had left the export and whom nobody could list (the
// ledger cannot say who she is), was sent again once the operator passed
// the withdrawals' stop (--accept-new-ids). With the previous secret given
// (Env.PreviousSecret) the stop passes, the pipeline matches rows under
// both secrets (pipeline's prevkey.go), and each remembered withdrawal a
// row matched is re-keyed in the ledger (ledger.RekeyRevoked): the memory
// moves to the new secret as patients reappear, and every upload says how
// many remain under the old one (sayPreviousSecret).

// previousSecret is an upload's use of the previous secret.
type previousSecret struct {
	key, check string // the secret, and its fingerprint under tonight's patient-key column
	rotate     bool   // the secret changed: record the rotation once the run goes on
	// from is the fingerprint the rotation records as the previous
	// secret's: the ledger's, which check is when the one given is the
	// rotation's (passes); under no withdrawal (rotatedUnderNone) the one
	// given may be none, or another.
	from string
	use  bool // the pipeline matches under it
}

// previousKey is the previous secret every command that matches the
// ledger's withdrawals reads (env.PreviousSecret: the factory fills it
// from the environment for all of them), validated as the secret is
// (eventid.CheckKey), with its fingerprint under column: "" without one,
// or when it is the secret itself (the caller may say so). An upload
// (loadPreviousSecret), a dry-run and `write` (rememberedWithdrawals)
// read it here, so the review and the file hold back what the upload
// holds back: before, only the upload read it, and a dry-run after a
// rotation showed patients the upload kept out.
func previousKey(env *Env, key, column string) (prev, check string, err error) {
	prev = env.PreviousSecret
	if prev == "" || prev == key {
		return "", "", nil
	}
	if err := eventid.CheckKey(prev); err != nil {
		// The reason names HASHGATE_SECRET; never the value.
		return "", "", &config.Error{Key: "secret", Problem: strings.ReplaceAll(err.Error(), "HASHGATE_SECRET", PreviousSecretEnv)}
	}
	return prev, eventid.NewDeriver(prev).RevokedKeyCheck(column), nil
}

// loadPreviousSecret validates the previous secret (previousKey), and
// tells whether the ledger's withdrawals were remembered under it before
// a rotation (use). nil without one.
func loadPreviousSecret(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config, key string) (*previousSecret, error) {
	prev, check, err := previousKey(env, key, cfg.Input.Columns.PatientKey)
	if err != nil || prev == "" {
		if err == nil && env.PreviousSecret != "" {
			env.Logger.Warn(PreviousSecretEnv + " is the secret (HASHGATE_SECRET) itself: not used")
		}
		return nil, err
	}
	p := &previousSecret{key: prev, check: check}
	was, _, err := led.PreviousRevokedKey(ctx)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	p.use = was == p.check
	return p, nil
}

// passes reports whether the previous secret is the one the ledger's
// withdrawals were remembered under (was, their fingerprint): the
// withdrawals' stop of a new secret passes, and the rotation is recorded
// once the run goes on (recordRotation).
func (p *previousSecret) passes(was string) bool {
	if p == nil || was == "" || was != p.check {
		return false
	}
	p.rotate, p.from = true, was
	return true
}

// rotatedUnderNone is revokedUnder's judgement when the ledger remembers
// no withdrawal (check: tonight's fingerprint). The fingerprint follows
// the run's, as before; but where the secret changed (the ledger's
// event ids for this config's destinations were made under another: the
// secret's own stop, judgeEventKeys), it is a rotation all the same, and
// recorded as one once the run goes on (recordRotation):
// the events sent before it carry the old secret's ids, and an erasure
// by exports or order ids without HASHGATE_PREVIOUS_SECRET must say they
// may remain (ledger.SentBeforeRotation). Before, only a rotation under
// remembered withdrawals was recorded, and such an erasure said "erased
// 0 event entries", exit 0, leaving the patient's visits in the ledger.
// A changed patient-key column under the same secret changes no event
// id: no rotation. Nor is a ledger that kept no fingerprint yet, nor a
// config's first upload to a ledger another config's fingerprint is in
// (an agency's shared ledger): its destinations hold no event id of its
// own under any secret.
func rotatedUnderNone(ctx context.Context, led *ledger.Ledger, key string, cfg *config.Config, check string, p *previousSecret) error {
	was, err := led.RevokedKey(ctx)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if was == check {
		return nil
	}
	kept, err := led.EventKeys(ctx)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	rotated := len(judgeEventKeys(kept, cfg, eventid.NewDeriver(key).EventKeyCheck()).changed) > 0
	if was == "" || !rotated {
		if err := led.SetRevokedKey(ctx, check); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		return nil
	}
	// Identifiers may still wait under the older secret (an erasure's):
	// the second rotation's stop, as under remembered withdrawals.
	if err := olderSecretWaits(ctx, led); err != nil {
		return err
	}
	p.rotate, p.from = true, was
	return nil
}

// recordRotation records, for a run that goes on (stop, the secret's own
// stop, is nil; else it is returned), the rotation tonight's run makes:
// that the withdrawals the ledger remembers were made under the previous
// secret and tonight's is the fingerprint from now on (p.rotate) — or,
// where no withdrawal fingerprint moves with it, the event ids' rotation
// a person accepted (keys.from, judgeEventKeys: --accept-new-ids past the
// secret's own stop). A config without input.columns.patient_key keeps
// no withdrawal fingerprint, and neither does a ledger no upload with one
// has run on: their rotations were never recorded, and an erasure by
// exports without the previous secret — erase needs the column, uploads
// do not, so a clinic adds it to erase — said "erased 0 event entries",
// exit 0, leaving the visits sent before it (ledger.RotateEventKey).
func (p *previousSecret) recordRotation(ctx context.Context, led *ledger.Ledger, cfg *config.Config, key string, keys *eventKeyCheck, stop error) error {
	if stop != nil {
		return stop
	}
	var from string // the event ids' previous key
	if keys != nil {
		from = keys.from
	}
	if p == nil || !p.rotate {
		if from == "" {
			return nil
		}
		if err := led.RotateEventKey(ctx, from); err != nil {
			return fmt.Errorf("ledger: %w", err)
		}
		return nil
	}
	if err := led.RotateRevokedKey(ctx, p.from, eventid.NewDeriver(key).RevokedKeyCheck(cfg.Input.Columns.PatientKey), from); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	// Matched under the previous secret only when the one given is the
	// rotation's: none given, or another, matches nothing of the ledger's.
	p.use = p.key != "" && p.check == p.from
	return nil
}

// apply has the pipeline match under the previous secret too.
func (p *previousSecret) apply(opt *pipeline.Options) {
	if p != nil && p.use {
		opt.PreviousKey = p.key
	}
}

// rekey re-keys in the ledger the withdrawals tonight's rows matched under
// the previous secret, then says how many remain under it; first, with or
// without a previous secret (p nil), those matched under a patient key's
// Excel text formula (rekeyUnwrapped).
func (p *previousSecret) rekey(ctx context.Context, env *Env, led *ledger.Ledger, revoked *pipeline.PatientRevocations) {
	rekeyUnwrapped(ctx, env, led, revoked)
	if p != nil && p.use && revoked != nil {
		if _, err := led.RekeyRevoked(ctx, revoked.Rekeyed.Each); err != nil {
			env.Logger.Warn("could not move the withdrawals matched under the previous secret to the new one; they are matched under both again next time", "error", err)
		}
	}
	sayPreviousSecret(ctx, env, led, p != nil && p.use)
}

// rekeyUnwrapped moves in the ledger the withdrawals tonight's rows
// matched under their patient key's Excel text formula as an older
// hashgate read it (="00101") to the key's text (ledger.RekeyLiteral): a
// plain re-save of the export then withholds them too.
func rekeyUnwrapped(ctx context.Context, env *Env, led *ledger.Ledger, revoked *pipeline.PatientRevocations) {
	if revoked == nil || !revoked.Unwrapped.Any() {
		return
	}
	if _, err := led.RekeyLiteral(ctx, revoked.Unwrapped.Each); err != nil {
		env.Logger.Warn("could not move the withdrawals remembered under a patient key's text formula (=\"…\") to its text; they are matched under the formula again while the export writes it", "error", err)
	}
}

// sayPreviousSecret tells, after a rotation, how many withdrawals the
// ledger remembers only under the previous secret: while any remain,
// dropping HASHGATE_PREVIOUS_SECRET sends those patients again once their
// withdrawing rows have left the export. given: it was given and used.
func sayPreviousSecret(ctx context.Context, env *Env, led *ledger.Ledger, given bool) {
	u, err := led.RevokedUnderPreviousKey(ctx)
	switch {
	case err != nil:
		env.Logger.Warn("could not count the withdrawals remembered under the previous secret; keep "+PreviousSecretEnv+" set", "error", err)
	case u.Patients+u.Identifiers == 0:
		if given {
			env.Logger.Warn("no withdrawal is remembered under the previous secret any more: " + PreviousSecretEnv + " may be removed from the uploads' environment; give it to `ledger erase` by exports or order ids until retention (ledger.retention_days) has passed since the rotation: the events sent before it are under its event ids")
		}
	case given:
		env.Logger.Warn("withdrawals remembered only under the previous secret, matched through "+PreviousSecretEnv+" and moved to the new one as their patients reappear: keep it set while any remain", "patients", u.Patients, "identifiers", u.Identifiers)
	default:
		env.Logger.Warn("withdrawals remembered only under the previous secret are not matched: their patients' visits are sent once their withdrawing rows have left the export; set "+PreviousSecretEnv+" to the previous secret beside HASHGATE_SECRET", "patients", u.Patients, "identifiers", u.Identifiers)
	}
}

// olderSecretWaits is the stop of a second rotation while withdrawals
// still wait under the first one's previous secret (an older secret than
// the last upload's). The ledger keeps one previous secret: recording the
// new rotation (ledger.RotateRevokedKey) would leave those digests under
// a secret nobody gives any more, and their patients — whom hashgate
// cannot name — sent once their withdrawing rows have left the export (a
// review: A→B, then B→C with B as the previous secret, sent a patient
// who withdrew under A). --accept-new-ids does not pass it: a rotation
// needs that flag anyway, for the secret's own stop.
func olderSecretWaits(ctx context.Context, led *ledger.Ledger) error {
	u, err := led.RevokedUnderPreviousKey(ctx)
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	if u.Patients+u.Identifiers == 0 {
		return nil
	}
	return olderSecretStop(fmt.Sprintf("%d withdrawn patient(s) and %d identifier(s)", u.Patients, u.Identifiers))
}

// olderSecretStop is olderSecretWaits' error: what waits (counts only)
// and the two ways on.
func olderSecretStop(what string) error {
	return &config.Error{Key: "secret", Problem: fmt.Sprintf(
		"the ledger remembers %s under an older secret, the one before the last upload's, still waiting to be moved as their patients reappear: "+
			"a second rotation now would leave them matching nothing, and their patients' visits would be sent once their withdrawing rows have left the export; "+
			"keep the last upload's secret as HASHGATE_SECRET and the older one as %s until `hashgate status` says none remain, "+
			"or forget them knowingly with `hashgate ledger unrevoke --under-previous-secret` (their patients' visits are then sent) and rotate after; nothing was sent",
		what, PreviousSecretEnv)}
}
