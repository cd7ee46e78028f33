package run

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/consent"
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

// Unrevoked is what UnrevokePatients did: of Listed patient keys, the
// ledger remembered Forgot as withdrawn, and forgets them.
type Unrevoked struct {
	Listed, Forgot int
}

// UnrevokePatients forgets the remembered withdrawals of the patients whose
// keys file lists ("-": env.In), whichever runs remembered them: a patient
// who gave consent again stayed out of every later upload, and `unrevoke
// --run` forgets a whole night's withdrawals, other patients' with them.
// The file is read as consent.revocations_file is (one key per line, a
// BOM honoured, a spreadsheet's CSV refused naming the line, never the
// value). The keys are digested as the upload digests the export's
// patient-key cells (pipeline.RememberedDigest), so the secret and
// input.columns.patient_key must be the uploads': under others the digests
// match no one, and that is a stop, not "forgot 0". Nothing is printed or
// kept of a key.
func UnrevokePatients(ctx context.Context, env *Env, led *ledger.Ledger, cfg *config.Config, file string) (Unrevoked, error) {
	column := cfg.Input.Columns.PatientKey
	switch {
	case cfg.Secret == "":
		return Unrevoked{}, &config.Error{Key: "secret", Problem: "unrevoke --patients needs the uploads' secret (HASHGATE_SECRET): the ledger remembers keyed digests of patient keys, never the keys"}
	case column == "":
		return Unrevoked{}, &config.Error{Key: "input.columns.patient_key", Problem: "unrevoke --patients needs the uploads' patient-key column: withdrawals are remembered by patient"}
	}
	var r io.Reader = env.In
	name := "stdin"
	if file != "-" {
		fh, err := os.Open(file)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return Unrevoked{}, &UsageError{Err: fmt.Errorf("--patients %s: %w", DisplayPath(file), err)}
		}
		defer fh.Close()
		r, name = fh, DisplayPath(file)
	}
	keys, err := consent.ReadRevocations(r, name)
	if err != nil {
		return Unrevoked{}, err
	}
	if len(keys) == 0 {
		return Unrevoked{}, &UsageError{Err: fmt.Errorf("--patients %s lists no patient key (one per line, as in input.columns.patient_key)", name)}
	}
	d := eventid.NewDeriver(cfg.Secret)
	n, same, err := led.RevokedElsewhere(ctx, d.RevokedKeyCheck(column))
	if err != nil {
		return Unrevoked{}, fmt.Errorf("ledger: %w", err)
	}
	if n > 0 && !same {
		return Unrevoked{}, &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d withdrawn patient(s) under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): the keys listed would match none of them; run with the uploads' secret and column; nothing was forgotten", n)}
	}
	// Two spellings of one key (00007001 and 7001) are one patient.
	seen := make(map[uint64]bool, len(keys))
	digests := make([]uint64, 0, len(keys))
	for k := range keys {
		if dg := pipeline.RememberedDigest(d, k); !seen[dg] {
			seen[dg] = true
			digests = append(digests, dg)
		}
	}
	forgot, err := led.ForgetRevokedDigests(ctx, digests)
	if err != nil {
		return Unrevoked{}, fmt.Errorf("ledger: %w", err)
	}
	return Unrevoked{Listed: len(digests), Forgot: forgot}, nil
}
