package run

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/spool"
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
// It changes nothing (ledger.ReadWithdrawals). What it could not apply is
// said in the summary and the JSON report (sum.WithdrawalsUnknown, which
// --quiet does not hide from the report), and for write (stop) is a stop
// where a file would carry a withdrawn patient the upload keeps out:
//   - no ledger at ledger.path: nothing to apply — but with a patient-key
//     column, write says that an upload's ledger kept elsewhere (another
//     user, another XDG_STATE_HOME) is not read;
//   - a ledger that cannot be read (permissions, corrupt, newer schema):
//     write stops (exit 1); a dry-run goes on, saying so;
//   - withdrawals made under another secret or patient-key column match no
//     one: write stops as the upload does (exit 2, naming the secret); a
//     dry-run says so — on the demo key, that the uploads' secret is
//     needed; under another secret, that an upload with this config stops;
//   - no patient-key column: they cannot be recognised, as for the upload.
//
// After a rotation the previous secret (HASHGATE_PREVIOUS_SECRET,
// previousKey) is read as the upload reads it, and set on opt
// (PreviousKey) where the upload would match under it: what waits under
// it is held back here too, and a second rotation the upload stops
// (olderSecretWaits) is said, or for write the stop.
func rememberedWithdrawals(ctx context.Context, env *Env, cfg *config.Config, sum *report.Summary, key string, demo, stop bool, opt *pipeline.Options) (err error) {
	opt.Revoked, opt.PreviousKey, err = remembered(ctx, env, cfg, sum, key, demo, stop)
	return err
}

// remembered is rememberedWithdrawals' reading: the withdrawals, and the
// previous secret to match them under too ("": none).
func remembered(ctx context.Context, env *Env, cfg *config.Config, sum *report.Summary, key string, demo, stop bool) (*pipeline.PatientRevocations, string, error) {
	column := cfg.Input.Columns.PatientKey
	lpath, err := LedgerPath(env, cfg)
	var usage *UsageError
	if errors.As(err, &usage) {
		return nil, "", err // a relative XDG_STATE_HOME: where the uploads' ledger is cannot be known
	}
	if err != nil {
		return nil, "", nil // no state directory: no upload ran here
	}
	w, err := ledger.ReadWithdrawals(ctx, lpath)
	n := w.Patients.Len()
	defer func() {
		w.Patients.Close() // not handed to the run (nil once it is)
		w.Identifiers.Close()
		w.Withdrawers.Close()
	}()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if stop && column != "" {
			where := "another user's, or under another XDG_STATE_HOME: set ledger.path"
			if cfg.Ledger.Path != "" {
				where = "check ledger.path"
			}
			sum.WithdrawalsUnknown = fmt.Sprintf("no ledger at %s: this file leaves out only the withdrawals its export and consent.revocations_file show, not those an upload's ledger kept elsewhere (%s)", DisplayPath(lpath), where)
		}
		return nil, "", nil
	case err != nil && stop:
		return nil, "", fmt.Errorf("ledger %s could not be read (%s): it holds the withdrawals the uploads remembered, which this file must leave out", DisplayPath(lpath), readCause(err))
	case err != nil:
		sum.WithdrawalsUnknown = fmt.Sprintf("the ledger %s could not be read (%s): this review leaves out only the withdrawals its export shows", DisplayPath(lpath), readCause(err))
		return nil, "", nil
	case n == 0:
		return nil, "", nil
	case column == "":
		sum.WithdrawalsUnknown = fmt.Sprintf("the ledger remembers %d patient(s) who withdrew consent, but input.columns.patient_key is not set: they are not recognised, and their visits are here once their withdrawing rows have left the export", n)
		return nil, "", nil
	}
	prev, prevCheck, err := previousKey(env, key, column)
	waiting := w.UnderPrevious.Patients + w.UnderPrevious.Identifiers
	counts := fmt.Sprintf("%d withdrawn patient(s) and %d identifier(s)", w.UnderPrevious.Patients, w.UnderPrevious.Identifiers)
	if err != nil {
		if stop {
			return nil, "", err
		}
		sum.WithdrawalsUnknown = err.Error() + ": an upload stops on it (exit 2)"
	}
	check := eventid.NewDeriver(key).RevokedKeyCheck(column)
	switch {
	case prev == "" || waiting == 0 && w.Check == check:
		prev = "" // nothing waits under it
	case w.Check == check && w.PrevCheck == prevCheck:
		// After the rotation: matched under both, as the upload matches.
	case w.Check == prevCheck && waiting > 0:
		// A second rotation while withdrawals wait under an older secret.
		if stop {
			return nil, "", olderSecretStop(counts)
		}
		sum.WithdrawalsUnknown = fmt.Sprintf("%s wait under an older secret than %s: an upload with this config stops (exit 2) before it sends anything; this review shows their visits", counts, PreviousSecretEnv)
		return nil, "", nil
	case w.Check == prevCheck:
		// The rotation's first night: every withdrawal is the previous
		// secret's, matched under it as the upload will.
		w.Check = check
	default:
		prev = "" // another secret's: the upload ignores it too
	}
	if w.Check == check && prev == "" && waiting > 0 {
		sum.WithdrawalsUnknown = fmt.Sprintf("%s remembered only under the previous secret are not matched without %s: an upload without it sends their visits too, and so does this", counts, PreviousSecretEnv)
	}
	if w.Check != check {
		switch {
		case w.Check == "" && stop:
			return nil, "", &config.Error{Key: "secret", Problem: fmt.Sprintf(
				"the ledger remembers %d patient(s) who withdrew consent from before it kept a fingerprint of the secret and patient-key column they were made under: run one upload first (`hashgate upload --accept-new-ids` if neither changed), then write; nothing was written", n)}
		case w.Check == "":
			sum.WithdrawalsUnknown = fmt.Sprintf("the ledger remembers %d patient(s) who withdrew consent from before it kept a fingerprint of the secret and patient-key column they were made under: an upload with this config stops (exit 2) until one runs with --accept-new-ids; this review shows their visits", n)
		case stop:
			return nil, "", &config.Error{Key: "secret", Problem: fmt.Sprintf(
				"the ledger remembers %d patient(s) who withdrew consent, under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): this file could not leave them out, and their visits would be in it once their withdrawing rows have left the export; "+
					"run with the secret and column of the uploads; nothing was written", n)}
		case demo:
			sum.WithdrawalsUnknown = fmt.Sprintf("the ledger remembers %d patient(s) who withdrew consent; this dry-run runs on the public demo key and cannot recognise them, so their visits are in this review: set HASHGATE_SECRET to the uploads' secret", n)
		default:
			sum.WithdrawalsUnknown = fmt.Sprintf("the ledger remembers %d patient(s) who withdrew consent, under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): an upload with this config stops (exit 2); this review shows their visits", n)
		}
		return nil, "", nil
	}
	sum.WithdrawalsKnown = n
	prior, ids, ws := w.Patients, w.Identifiers, w.Withdrawers
	w.Patients, w.Identifiers, w.Withdrawers = nil, nil, nil // the run's now: it closes them (PatientRevocations.Close)
	return &pipeline.PatientRevocations{Prior: prior, PriorIdentifiers: ids, IdentifierWithdrawers: ws}, prev, nil
}

// readCause is why ReadWithdrawals failed, without the file's name (the
// caller shows it quoted) or anything else a system error may carry.
func readCause(err error) string {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.As(err, &pe):
		return pe.Err.Error()
	}
	return err.Error()
}

// Unrevoked is what UnrevokePatients did: of Listed patient keys, the
// ledger remembered Forgot as withdrawn, and forgets them. Erased of the
// listed matched a withdrawal an erasure keeps (ledger.Erase): kept
// whole, not counted in Forgot, unless the caller gave erased — then
// forgotten and counted in both.
type Unrevoked struct {
	Listed, Forgot, Erased int
	// UnderPrevious: withdrawn patients remembered only under the
	// previous secret, which the keys could not be matched against
	// (Erasure.UnderPrevious): the listed patients' among them stay.
	UnderPrevious int
	// FirstNight: the rotation's first night (underFirstNight): the keys
	// were digested under HASHGATE_PREVIOUS_SECRET, the ledger's secret.
	FirstNight bool
}

// UnrevokePatients forgets the remembered withdrawals of the patients whose
// keys file lists ("-": env.In), whichever runs remembered them: a patient
// who gave consent again stayed out of every later upload, and `unrevoke
// --run` forgets a whole night's withdrawals, other patients' with them.
// The file is read as consent.revocations_file is (one key per line, a
// BOM honoured, a spreadsheet's CSV refused naming the line, never the
// value). The keys are digested as the upload digests the export's
// patient-key cells (pipeline.RememberedDigest: folded as the revocations
// file's ids are, case included; and pipeline.LegacyDigest, for what an
// older hashgate remembered), so the secret and
// input.columns.patient_key must be the uploads': under others the digests
// match no one, and that is a stop, not "forgot 0". Nothing is printed or
// kept of a key.
//
// Everything that can refuse is judged before the ledger at lpath is
// opened for writing (open: the run lock and a migration to this
// hashgate's schema): the file, the fingerprint (read as a dry-run reads
// it, ledger.ReadWithdrawals), and the schema — a ledger of an older one
// is not upgraded by an unrevoke, which would leave the cron job's older
// hashgate unable to read it (review of 53d8483).
//
// A withdrawal an erasure keeps is forgotten only when erased: the ledger
// keeps every withdrawal under the folded key's digest alone, so it
// cannot tell whether the erasure was of the key listed or of another
// spelling of it (0777 for 777: another patient in a clinic system that
// tells them apart), and forgetting it re-enables sending to a patient
// who asked to be erased (ledger.Ledger.ForgetRevokedKeepingErasures).
func UnrevokePatients(ctx context.Context, env *Env, cfg *config.Config, lpath, file string, erased bool, open func() (*ledger.Ledger, error)) (Unrevoked, error) {
	column := cfg.Input.Columns.PatientKey
	switch {
	case cfg.Secret == "":
		return Unrevoked{}, &config.Error{Key: "secret", Problem: "unrevoke --patients needs the uploads' secret (HASHGATE_SECRET): the ledger remembers keyed digests of patient keys, never the keys"}
	case column == "":
		return Unrevoked{}, &config.Error{Key: "input.columns.patient_key", Problem: "unrevoke --patients needs the uploads' patient-key column: withdrawals are remembered by patient"}
	}
	env, cfg, first := underFirstNight(ctx, env, cfg, lpath)
	d := eventid.NewDeriver(cfg.Secret)
	prevD, prevCheck, err := previousDeriver(env, cfg.Secret, column)
	if err != nil {
		return Unrevoked{}, err
	}
	// Two spellings of one key (00007001 and 7001, A1 and a1) are one
	// patient, remembered under its folded key's digest — or, by an older
	// hashgate, under the digest of the key as the export wrote it
	// (pipeline.LegacyDigest): each spelling listed adds its own. The
	// spellings' digests are spooled, to forget once everything has been
	// judged, and the patients counted in a key set: a map and a slice of
	// every listed patient held 218 MB for 3M keys (memory review).
	listed := keyset.New("", keyset.Sizes{})
	defer listed.Close()
	spellings := spool.New("", 0)
	defer spellings.Close()
	patients := 0
	var rec [48]byte
	var spoolErr error
	if err := readPatientKeys(env, file, func(k string) {
		dg := pipeline.RememberedDigest(d, k)
		legacy, _ := pipeline.LegacyDigest(d, k) // 0: the same digest
		had, err := listed.Seen(dg, true)
		if !had && err == nil {
			patients++
		}
		var p ledger.ErasePatient
		previousDigests(prevD, k, &p) // zeros without a previous secret
		literalDigests(d, k, &p)      // an older hashgate's, of ="k"
		binary.LittleEndian.PutUint64(rec[:], dg)
		binary.LittleEndian.PutUint64(rec[8:], legacy)
		binary.LittleEndian.PutUint64(rec[16:], p.Previous)
		binary.LittleEndian.PutUint64(rec[24:], p.PreviousLegacy)
		binary.LittleEndian.PutUint64(rec[32:], p.Literal)
		binary.LittleEndian.PutUint64(rec[40:], p.LiteralLegacy)
		spoolErr = cmp.Or(spoolErr, err, spellings.Append(rec[:]))
	}); err != nil {
		return Unrevoked{}, err
	}
	if spoolErr != nil {
		return Unrevoked{}, fmt.Errorf("read the patient keys: %w", spoolErr)
	}
	w, err := ledger.ReadWithdrawals(ctx, lpath)
	remembered := w.Patients.Len()
	w.Patients.Close() // counted: the keys listed are looked up in the ledger itself
	w.Identifiers.Close()
	w.Withdrawers.Close()
	switch {
	case errors.Is(err, fs.ErrNotExist):
		led, err := open() // says there is no ledger, as the other ledger commands do
		if err == nil {
			led.Close()
			err = fmt.Errorf("ledger %s: %w", DisplayPath(lpath), ledger.ErrNoLedger)
		}
		return Unrevoked{}, err
	case err != nil:
		return Unrevoked{}, fmt.Errorf("ledger %s could not be read (%s)", DisplayPath(lpath), readCause(err))
	case remembered == 0:
		return Unrevoked{Listed: patients, FirstNight: first}, nil // nobody remembered: nothing to open
	case w.Check == "":
		return Unrevoked{}, &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d withdrawn patient(s) from before it kept a fingerprint of the secret and patient-key column they were made under: run one upload first (`hashgate upload --accept-new-ids` if neither changed); nothing was forgotten", remembered)}
	case w.Check != d.RevokedKeyCheck(column):
		return Unrevoked{}, &config.Error{Key: "secret", Problem: fmt.Sprintf(
			"the ledger remembers %d withdrawn patient(s) under another secret (HASHGATE_SECRET) or patient-key column (input.columns.patient_key): the keys listed would match none of them; run with the uploads' secret and column; nothing was forgotten", remembered)}
	case w.Schema < ledger.Current():
		return Unrevoked{}, &UsageError{Err: fmt.Errorf(
			"ledger %s is of schema %d, older than this hashgate's %d: run unrevoke with the hashgate the uploads use, or let an upload with this one upgrade the ledger first (one way); nothing was forgotten", DisplayPath(lpath), w.Schema, ledger.Current())}
	}
	usePrev, unreached, err := judgePrevious(w, prevCheck, "nothing was forgotten", "")
	if err != nil {
		return Unrevoked{}, err
	}
	led, err := open()
	if err != nil {
		return Unrevoked{}, err
	}
	defer led.Close()
	forgot, erasures, err := led.ForgetRevokedKeepingErasures(ctx, !erased, func(forget func(ledger.ErasePatient) error) error {
		return spellings.Replay(ctx, func(rec []byte) error {
			if len(rec) != 48 {
				return spool.ErrMalformed
			}
			p := ledger.ErasePatient{Digest: binary.LittleEndian.Uint64(rec), Legacy: binary.LittleEndian.Uint64(rec[8:]),
				Literal: binary.LittleEndian.Uint64(rec[32:]), LiteralLegacy: binary.LittleEndian.Uint64(rec[40:])}
			if usePrev {
				p.Previous, p.PreviousLegacy = binary.LittleEndian.Uint64(rec[16:]), binary.LittleEndian.Uint64(rec[24:])
			}
			return forget(p)
		})
	})
	if err != nil {
		return Unrevoked{}, fmt.Errorf("ledger: %w", err)
	}
	warnUnrecorded(env, RecordLedgerChange(context.WithoutCancel(ctx), env, led, lpath))
	return Unrevoked{Listed: patients, Forgot: forgot, Erased: erasures, UnderPrevious: unreached, FirstNight: first}, nil
}

// readPatientKeys reads unrevoke's list of patient keys from file ("-":
// env.In), as consent.revocations_file is read, giving each key to each
// (readList).
func readPatientKeys(env *Env, file string, each func(key string)) error {
	return readList(env, "--patients", file, "no patient key (one per line, as in input.columns.patient_key)", func(_ int, key string) { each(key) })
}
