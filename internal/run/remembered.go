package run

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// rememberedWithdrawals reads, for the commands that send nothing
// themselves, the patients the uploads remembered as withdrawn
// (pipeline.PatientRevocations), so that what they show or write leaves
// those patients out as the next upload will: a dry-run's review CSV is
// what a privacy officer reads as "what would be sent", and `write`'s file
// is uploaded by hand, where no ledger stands between it and the platform.
// Both read the export alone before, and showed or wrote the visits of a
// patient whose withdrawing row had left a rolling export.
//
// It changes nothing: no ledger (no upload has run with this
// ledger.path), no state directory or no patient_key column gives nil; the
// ledger is opened read-only, without the run lock (an upload may be
// running; SQLite's WAL lets it read beside one).
//
// Withdrawals remembered under another secret or patient-key column match
// no one here. With stop (`write`, whose file reaches the platform) that
// is the upload's stop, a config error naming the secret; otherwise (the
// dry-run, often run without the secret, on the demo key) a warning that
// the review shows visits the upload would keep out.
func rememberedWithdrawals(ctx context.Context, env *Env, cfg *config.Config, key string, stop bool) (*pipeline.PatientRevocations, error) {
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		return nil, nil // no state directory: no upload ran here
	}
	if _, err := os.Lstat(lpath); errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	led, err := ledger.Open(ctx, lpath, ledger.Options{ReadOnly: true, Existing: true, Now: env.Now, Warn: func(m string) { env.Logger.Warn(m) }})
	if err != nil {
		return nil, fmt.Errorf("ledger (the withdrawals earlier uploads remembered): %w", err)
	}
	defer led.Close()
	column := cfg.Input.Columns.PatientKey
	if column == "" {
		if all, _, err := led.RememberedRevoked(ctx, ""); err == nil && all > 0 {
			env.Logger.Warn("the ledger remembers patients who withdrew consent, but input.columns.patient_key is not set: they are not recognised, and their visits are in this output once their withdrawing rows have left the export", "patients", all)
		}
		return nil, nil
	}
	n, _, err := led.RevokedElsewhere(ctx, eventid.NewDeriver(key).RevokedKeyCheck(column))
	switch {
	case err != nil:
		return nil, fmt.Errorf("ledger: %w", err)
	case n > 0 && stop:
		return nil, &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d patient(s) who withdrew consent, under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): this file could not leave them out, and their visits would be in it once their withdrawing rows have left the export; "+
				"run with the secret and column of the uploads; nothing was written", n)}
	case n > 0:
		env.Logger.Warn("the ledger remembers patients who withdrew consent under another secret (HASHGATE_SECRET) or patient-key column: this dry-run cannot recognise them and shows visits the upload keeps out; run it with the uploads' secret and input.columns.patient_key", "patients", n)
		return nil, nil
	}
	prior, err := led.RevokedPatients(ctx)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	if len(prior) == 0 {
		return nil, nil
	}
	return &pipeline.PatientRevocations{Prior: prior}, nil
}
