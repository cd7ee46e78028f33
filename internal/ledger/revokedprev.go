package ledger

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
)

// Withdrawals remembered under the previous secret (a rotation). The
// ledger keeps one fingerprint for all its remembered withdrawals
// (revokedKeyMeta), and its digests are HMACs under the secret: once the
// clinic rotated it, a withdrawn patient whose withdrawing row had left
// the export matched nothing and was sent again. While the previous
// secret is given (HASHGATE_PREVIOUS_SECRET), an upload matches rows
// under both keys and re-keys in place each old digest it matched: the
// ledger then holds a mix, told apart by prev_key (schema 19): set on
// every record the rotation found, cleared on each one re-keyed.
//
// Schemas 17 and 18 told them apart by `at` instead — a record at most
// revokedPrevThroughMeta was the previous key's, and a re-keyed one's
// `at` was moved past it — so the re-key rewrote the time the patient
// withdrew, which `ledger find` shows as the night she first withdrew
// (a review). schemaV19 carries that rule over once.
const (
	// revokedPrevKeyMeta is the fingerprint (eventid.Deriver.
	// RevokedKeyCheck) of the previous secret.
	revokedPrevKeyMeta = "revoked_previous_key"
	// revokedPrevThroughMeta is the newest `at` (unix ms) of the
	// withdrawals remembered when the secret changed.
	revokedPrevThroughMeta = "revoked_previous_through"
	// revokedRotatedMeta is when (unix ms) the last rotation was recorded.
	revokedRotatedMeta = "revoked_rotated_at"
	// revokedRotatedRequestMeta is the newest request id when it was: the
	// requests up to it carry the previous secret's event ids
	// (SentBeforeRotation).
	revokedRotatedRequestMeta = "revoked_rotated_request"
	// revokedOlderRequestMeta is the rotation before the last one's
	// revokedRotatedRequestMeta: the requests up to it carry the event ids
	// of a secret older than the previous one (SentBeforeOlderRotation).
	revokedOlderRequestMeta = "revoked_older_rotated_request"
	// rotatedFromEventKeyMeta is the event-id key's fingerprint
	// (eventid.Deriver.EventKeyCheck) the last rotation's uploads were
	// made under before it ("": not known, a rotation recorded before it
	// was kept, or where no destination's fingerprint changed). It names
	// the previous secret whatever the patient-key column, which
	// revokedPrevKeyMeta's fingerprint includes: a rotation under a config
	// without one has no withdrawal fingerprint to keep (RotateEventKey).
	rotatedFromEventKeyMeta = "rotated_from_event_key"
)

// schemaV19 marks the records remembered under the previous secret
// (prev_key != 0), in place of schema 17's `at` rule.
const schemaV19 = `ALTER TABLE revoked_patients ADD COLUMN prev_key INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE revoked_identifiers ADD COLUMN prev_key INTEGER NOT NULL DEFAULT 0;
	UPDATE revoked_patients SET prev_key = 1
		WHERE EXISTS (SELECT 1 FROM meta WHERE key = '` + revokedPrevKeyMeta + `' AND value != '')
		AND at <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = '` + revokedPrevThroughMeta + `');
	UPDATE revoked_identifiers SET prev_key = 1
		WHERE EXISTS (SELECT 1 FROM meta WHERE key = '` + revokedPrevKeyMeta + `' AND value != '')
		AND at <= (SELECT CAST(value AS INTEGER) FROM meta WHERE key = '` + revokedPrevThroughMeta + `');`

// RotateRevokedKey records that the remembered withdrawals were made
// under previous and that check is the fingerprint from now on: every
// record is marked the previous key's (RevokedUnderPreviousKey) until an
// upload re-keys it (RekeyRevoked). The caller has stopped a rotation
// while any record is still the older key's (run's revokedUnder): marked
// again, it would never match. fromEvent is the event-id key's
// fingerprint the uploads were made under before it ("": not known), as
// RotateEventKey records it.
func (l *Ledger) RotateRevokedKey(ctx context.Context, previous, check, fromEvent string) error {
	var through sql.NullInt64
	if err := l.db.QueryRowContext(ctx, `SELECT max(m) FROM (SELECT max(at) AS m FROM revoked_patients UNION ALL SELECT max(at) FROM revoked_identifiers)`).Scan(&through); err != nil {
		return err
	}
	return l.rotate(ctx, fromEvent, func(tx *sql.Tx) ([][2]string, error) {
		for _, q := range []string{`UPDATE revoked_patients SET prev_key = 1`, `UPDATE revoked_identifiers SET prev_key = 1`} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return nil, err
			}
		}
		return [][2]string{{revokedPrevKeyMeta, previous}, {revokedPrevThroughMeta, strconv.FormatInt(through.Int64, 10)}, {revokedKeyMeta, check}}, nil
	})
}

// RotateEventKey records a rotation of the secret the event ids are made
// under where no withdrawal fingerprint moves with it: an upload under a
// config without input.columns.patient_key, which matches no remembered
// withdrawal and keeps no fingerprint of them. Uploads need no
// patient-key column, erase does: a clinic adds one in order to erase,
// and before, the rotation of such uploads was never recorded — erase by
// exports without the previous secret said "erased 0 event entries",
// exit 0, and the visits sent before it stayed. The withdrawals and their
// fingerprints are left as they are; what a rotation records of the
// requests sent before it (SentBeforeRotation, SentBeforeOlderRotation)
// and the previous event-id key (fromEvent) are recorded as
// RotateRevokedKey records them. The rotation the ledger recorded last,
// from the same event-id key, is this one again: a night that recorded
// it and then stopped (an empty export, a stop of the export's own) kept
// no new event-id fingerprint (run's eventKeyCheck.save), and the next
// night judges the same rotation; recorded twice, the visits sent before
// it read as two rotations out of erase's reach.
func (l *Ledger) RotateEventKey(ctx context.Context, fromEvent string) error {
	if last, err := l.metaValue(ctx, rotatedFromEventKeyMeta); err != nil || last == fromEvent {
		return err
	}
	return l.rotate(ctx, fromEvent, func(*sql.Tx) ([][2]string, error) { return nil, nil })
}

// rotate is the one home of a rotation's record: in one transaction,
// what withdrawals does (the marks, and the meta it returns), when the
// rotation was recorded, the newest request then, the rotation before it
// as the older one, and the previous event-id key; the change bumped
// (generation.go).
func (l *Ledger) rotate(ctx context.Context, fromEvent string, withdrawals func(*sql.Tx) ([][2]string, error)) error {
	var request sql.NullInt64
	if err := l.db.QueryRowContext(ctx, `SELECT max(id) FROM requests`).Scan(&request); err != nil {
		return err
	}
	// The rotation recorded before this one is remembered too: the ledger
	// keeps one previous secret, and the events sent before that rotation
	// are under a secret nobody gives erase any more.
	older, err := l.metaValue(ctx, revokedRotatedRequestMeta)
	if err != nil {
		return err
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	meta, err := withdrawals(tx)
	if err != nil {
		return err
	}
	now := strconv.FormatInt(l.now().UnixMilli(), 10)
	meta = append(meta, [][2]string{{revokedRotatedMeta, now}, {revokedRotatedRequestMeta, strconv.FormatInt(request.Int64, 10)}, {revokedOlderRequestMeta, older}, {rotatedFromEventKeyMeta, fromEvent}}...)
	for _, kv := range meta {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return err
		}
	}
	// The marks and the record are a change: in its transaction (generation.go).
	if err := bumpIn(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// PreviousRevokedKey returns the fingerprint of the secret the
// withdrawals were remembered under before the last rotation, and the
// newest `at` remembered then; "" when the secret never changed under
// remembered withdrawals.
func (l *Ledger) PreviousRevokedKey(ctx context.Context) (string, int64, error) {
	prev, err := l.metaValue(ctx, revokedPrevKeyMeta)
	if err != nil || prev == "" {
		return "", 0, err
	}
	v, err := l.metaValue(ctx, revokedPrevThroughMeta)
	if err != nil {
		return "", 0, err
	}
	through, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return "", 0, err
	}
	return prev, through, nil
}

// UnderPreviousKey is what the ledger remembers only under the previous
// secret: none of it matches a row without HASHGATE_PREVIOUS_SECRET.
type UnderPreviousKey struct {
	Patients, Identifiers int
	// Since is when the rotation was recorded (unix ms; a ledger rotated
	// before it was kept: the newest withdrawal then). Newest is the
	// newest `at` of those left (0: none): the clinic may drop the
	// previous secret once no patient who withdrew by then can come back.
	Since, Newest int64
}

// RevokedUnderPreviousKey counts the withdrawn patients, and the
// identifiers (revokedids.go), remembered only under the previous secret:
// none of them matches a row without it (HASHGATE_PREVIOUS_SECRET). Zero
// when the secret never changed under remembered withdrawals.
func (l *Ledger) RevokedUnderPreviousKey(ctx context.Context) (UnderPreviousKey, error) {
	var u UnderPreviousKey
	prev, through, err := l.PreviousRevokedKey(ctx)
	if err != nil || prev == "" {
		return u, err
	}
	u.Since = through
	if v, err := l.metaValue(ctx, revokedRotatedMeta); err != nil {
		return u, err
	} else if at, err := strconv.ParseInt(v, 10, 64); err == nil && v != "" {
		u.Since = at
	}
	var newest sql.NullInt64
	err = l.db.QueryRowContext(ctx, `SELECT (SELECT count(DISTINCT digest) FROM revoked_patients WHERE prev_key != 0),
		(SELECT count(DISTINCT digest) FROM revoked_identifiers WHERE prev_key != 0),
		(SELECT max(m) FROM (SELECT max(at) AS m FROM revoked_patients WHERE prev_key != 0 UNION ALL SELECT max(at) FROM revoked_identifiers WHERE prev_key != 0))`).Scan(&u.Patients, &u.Identifiers, &newest)
	u.Newest = newest.Int64
	return u, err
}

// ForgetRevokedUnderPreviousKey forgets, knowingly, the withdrawals
// remembered only under the previous secret (`ledger unrevoke
// --under-previous-secret`): their patients' visits are sent again once
// their withdrawing rows have left the export. It is the way past a
// second rotation's stop when the clinic cannot wait for those patients
// to reappear. The digests are overwritten in the file (secure_delete).
// It returns how many patients and identifiers it forgot.
func (l *Ledger) ForgetRevokedUnderPreviousKey(ctx context.Context) (u UnderPreviousKey, err error) {
	if u, err = l.RevokedUnderPreviousKey(ctx); err != nil || u.Patients+u.Identifiers == 0 {
		return u, err
	}
	_, err = l.secureWrite(ctx, false, func(tx *sql.Tx) error {
		for _, q := range []string{
			`DELETE FROM revoked_identifiers WHERE prev_key != 0 OR patient IN (SELECT digest FROM revoked_patients WHERE prev_key != 0)`,
			`DELETE FROM revoked_patients WHERE prev_key != 0`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		// The backup from before it, put back, must stop the next upload
		// (generation.go): the change and its bump land together.
		return bumpIn(ctx, tx)
	})
	return u, err
}

// RekeyRevoked re-keys, in one transaction, each remembered withdrawal
// each gives: a patient's digest under the previous secret and under this
// one (patient), an identifier's likewise (identifier) — as an upload
// that matched it under the previous secret read them. Each record keeps
// its runs, its day, its owner and its time (ledger unrevoke, erase and
// find see it as before, and `at` is still when she withdrew); only its
// prev_key mark goes. A digest the new key already remembers keeps its
// own record, the stricter day of both. It returns how many patients were
// re-keyed. Nothing happens while the secret never changed under
// remembered withdrawals.
func (l *Ledger) RekeyRevoked(ctx context.Context, each func(patient, identifier func(old, new uint64) error) error) (int, error) {
	prev, _, err := l.PreviousRevokedKey(ctx)
	if err != nil || prev == "" {
		return 0, err
	}
	n := 0
	_, err = l.secureWrite(ctx, false, func(tx *sql.Tx) error {
		patient := func(old, new uint64) error {
			var whole, dated sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT sum(from_day <= 0), min(from_day) FROM revoked_patients WHERE digest = ? AND prev_key != 0`, int64(old)).Scan(&whole, &dated); err != nil {
				return err
			}
			if !dated.Valid {
				return nil // re-keyed already, or never remembered
			}
			if err := movePatient(ctx, tx, old, new, whole, dated,
				`UPDATE OR IGNORE revoked_patients SET digest = ?2, prev_key = 0 WHERE digest = ?1 AND prev_key != 0`,
				`DELETE FROM revoked_patients WHERE digest = ?1 AND prev_key != 0`); err != nil {
				return err
			}
			n++
			return nil
		}
		identifier := func(old, new uint64) error {
			_, err := moveIdentifier(ctx, tx, old, new, nil)
			return err
		}
		if err := each(patient, identifier); err != nil {
			return err
		}
		// A re-keyed record is a change (a backup from before it holds the
		// old digest): bumped in its transaction (generation.go).
		return bumpIn(ctx, tx)
	})
	return n, err
}

// moveIdentifier moves the identifier records waiting under the previous
// secret (prev_key) from digest old to new — every patient's, or with
// patient the one patient's alone — and returns how many it moved. A
// record under new already (the same patient's) keeps its place, and the
// old one goes. One home for an upload's re-key (RekeyRevoked) and an
// erasure's move (moveErasedIdentifiers).
func moveIdentifier(ctx context.Context, tx *sql.Tx, old, new uint64, patient *uint64) (int64, error) {
	var of any // NULL: every patient's
	if patient != nil {
		of = int64(*patient)
	}
	res, err := tx.ExecContext(ctx, `UPDATE OR IGNORE revoked_identifiers SET digest = ?2, prev_key = 0
		WHERE digest = ?1 AND prev_key != 0 AND (?3 IS NULL OR patient = ?3)`, int64(old), int64(new), of)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM revoked_identifiers WHERE digest = ?1 AND prev_key != 0 AND (?2 IS NULL OR patient = ?2)`, int64(old), of)
	return n, err
}

// readPrevious fills w's previous secret (ReadWithdrawals): its
// fingerprint, and how many records wait under it — marked since schema
// 19, dated at most revokedPrevThroughMeta in schemas 17 and 18 (a ledger a
// dry-run of this hashgate reads before an upload migrates it).
func readPrevious(ctx context.Context, tx *sql.Tx, w *Withdrawals) error {
	if w.Schema < 17 {
		return nil // no rotation was recorded before schema 17's hashgate
	}
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, rotatedFromEventKeyMeta).Scan(&w.PrevEventCheck)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, revokedPrevKeyMeta).Scan(&w.PrevCheck)
	if errors.Is(err, sql.ErrNoRows) || err == nil && w.PrevCheck == "" {
		return nil
	}
	if err != nil {
		return err
	}
	q := `SELECT (SELECT count(DISTINCT digest) FROM revoked_patients WHERE prev_key != 0), (SELECT count(DISTINCT digest) FROM revoked_identifiers WHERE prev_key != 0)`
	if w.Schema < 19 {
		q = `SELECT (SELECT count(DISTINCT digest) FROM revoked_patients WHERE at <= t), (SELECT count(DISTINCT digest) FROM revoked_identifiers WHERE at <= t)
			FROM (SELECT CAST(value AS INTEGER) AS t FROM meta WHERE key = '` + revokedPrevThroughMeta + `')`
	}
	err = tx.QueryRowContext(ctx, q).Scan(&w.UnderPrevious.Patients, &w.UnderPrevious.Identifiers)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	return err
}

// erasePrevious is the erasure (erasePatients) of the patient's records
// waiting under the previous secret (prev_key), and reports whether there
// was one. An erasure must reach every record of hers the ledger can link
// (GDPR art. 17, PIPL art. 47): the one under the previous secret is a
// keyed digest of her chart number as much as the new one, and erasing
// the new one alone left it — with the runs that read it — in the file.
// It does what an upload's re-key (RekeyRevoked) would do once she
// reappears, then erases: her record under the previous secret (and the
// one an older hashgate made under it) is deleted, the new one erasePatients
// keeps withdrawing every appointment in its place; the identifiers
// remembered with it (her e-mail and phone, digests under the previous
// secret, which keep her out under a new chart number) name her by the new
// digest and become the erasure's, their runs dropped as the new key's
// are. They stay under the previous secret — re-keying them needs the
// identifiers themselves — and an upload re-keys them as rows carry them.
// Only records marked prev_key are touched: another patient's digest
// under the new secret is never one of hers.
func erasePrevious(ctx context.Context, tx *sql.Tx, p ErasePatient, now int64) (bool, error) {
	if p.Previous == 0 {
		return false, nil
	}
	legacy := p.PreviousLegacy
	if legacy == 0 {
		legacy = p.Previous
	}
	var had int
	var erasedAt sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT count(*), min(CASE WHEN run_id = '`+erasureRun+`' THEN at END) FROM revoked_patients
		WHERE digest IN (?1, ?2) AND prev_key != 0`, int64(p.Previous), int64(legacy)).Scan(&had, &erasedAt); err != nil {
		return false, err
	}
	// An erasure made before the rotation is the one repeated now: it
	// keeps its time, as a repeated erasure does (`ledger find` says
	// "erased at" the first).
	if erasedAt.Valid {
		if _, err := tx.ExecContext(ctx, `UPDATE revoked_patients SET at = min(at, ?2) WHERE digest = ?1 AND run_id = '`+erasureRun+`'`, int64(p.Digest), erasedAt.Int64); err != nil {
			return false, err
		}
	}
	for _, q := range []string{
		`UPDATE OR IGNORE revoked_identifiers SET patient = ?3, run_id = '` + erasureRun + `', at = ?4, from_day = 0
			WHERE patient IN (?1, ?2) AND patient NOT IN (SELECT digest FROM revoked_patients WHERE prev_key = 0)`,
		`DELETE FROM revoked_identifiers WHERE patient IN (?1, ?2) AND patient NOT IN (SELECT digest FROM revoked_patients WHERE prev_key = 0)`,
		`DELETE FROM revoked_patients WHERE digest IN (?1, ?2) AND prev_key != 0`,
	} {
		if _, err := tx.ExecContext(ctx, q, int64(p.Previous), int64(legacy), int64(p.Digest), now); err != nil {
			return false, err
		}
	}
	return had > 0, nil
}

// SentBeforeRotation reports whether the ledger holds requests recorded
// before the last rotation of the secret it recorded: their event ids are
// the previous secret's, which only it makes again — an erasure by
// exports or order ids without it cannot reach them. They are the
// requests up to the newest one then (revokedRotatedRequestMeta); a
// ledger rotated before it was kept compares the requests' times with
// the rotation's (UnderPreviousKey.Since). False when no rotation was
// recorded, or retention has pruned every request from before it.
//
// The newest request is read first: a rotation without a withdrawal
// fingerprint (RotateEventKey) records it and no previous one.
func (l *Ledger) SentBeforeRotation(ctx context.Context) (bool, error) {
	var q string
	var arg int64
	if v, err := l.metaValue(ctx, revokedRotatedRequestMeta); err != nil {
		return false, err
	} else if id, perr := strconv.ParseInt(v, 10, 64); perr == nil {
		q, arg = `SELECT EXISTS (SELECT 1 FROM requests WHERE id <= ?)`, id
	} else {
		u, err := l.RevokedUnderPreviousKey(ctx)
		if err != nil || u.Since == 0 {
			return false, err
		}
		q, arg = `SELECT EXISTS (SELECT 1 FROM requests WHERE at < ?)`, u.Since
	}
	var before bool
	err := l.db.QueryRowContext(ctx, q, arg).Scan(&before)
	return before, err
}

// SentBeforeOlderRotation reports whether the ledger holds requests
// recorded before the rotation before its last one (A→B, then B→C): their
// event ids are a secret's older than the previous one, which erase —
// given the secret and one previous secret — cannot make again; they stay
// until retention prunes them. False when the ledger recorded no two
// rotations since it kept their requests (schema 19's hashgate kept the
// last one's alone).
func (l *Ledger) SentBeforeOlderRotation(ctx context.Context) (bool, error) {
	v, err := l.metaValue(ctx, revokedOlderRequestMeta)
	if err != nil || v == "" {
		return false, err
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return false, nil // not a request id: no rotation was recorded before
	}
	var before bool
	err = l.db.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM requests WHERE id <= ?)`, id).Scan(&before)
	return before, err
}

// movePatient moves a remembered withdrawal from digest old to new in tx:
// new's record, if it has one, takes the stricter day of both (whole: how
// many of old's records withdraw every appointment; dated: old's earliest
// day), move and drop (queries of ?1 old and ?2 new) move old's record
// or drop it where new's stays, and her identifiers then name her by the
// new digest (their own digests are re-keyed as rows carry them). One
// home for a secret's rotation (RekeyRevoked) and a text formula's
// unwrapping (RekeyLiteral).
func movePatient(ctx context.Context, tx *sql.Tx, old, new uint64, whole, dated sql.NullInt64, move, drop string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE revoked_patients SET from_day = CASE
		WHEN from_day <= 0 OR ?2 > 0 THEN 0 ELSE min(from_day, ?3) END WHERE digest = ?1`, int64(new), whole.Int64, dated.Int64); err != nil {
		return err
	}
	for _, q := range []string{
		move, drop,
		`UPDATE OR IGNORE revoked_identifiers SET patient = ?2 WHERE patient = ?1`,
		`DELETE FROM revoked_identifiers WHERE patient = ?1`,
	} {
		if _, err := tx.ExecContext(ctx, q, int64(old), int64(new)); err != nil {
			return err
		}
	}
	return nil
}
