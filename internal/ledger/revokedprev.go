package ledger

import (
	"context"
	"database/sql"
	"strconv"
)

// Withdrawals remembered under the previous secret (a rotation). The
// ledger keeps one fingerprint for all its remembered withdrawals
// (revokedKeyMeta), and its digests are HMACs under the secret: once the
// clinic rotated it, a withdrawn patient whose withdrawing row had left
// the export matched nothing and was sent again. While the previous
// secret is given (HASHGATE_PREVIOUS_SECRET), an upload matches rows
// under both keys and re-keys in place each old digest it matched: the
// ledger then holds a mix, told apart without a column of its own (the
// tables' schema is another change's): every digest remembered at the
// rotation is the previous key's — `at` at most revokedPrevThroughMeta —
// and a re-keyed one's `at` is moved past it. A digest the new key made on
// the rotation's own millisecond (a clock that did not move) is counted
// with the previous key's: the count errs high, never low, so it never
// says the previous secret may go while any withdrawal needs it.
const (
	// revokedPrevKeyMeta is the fingerprint (eventid.Deriver.
	// RevokedKeyCheck) of the previous secret.
	revokedPrevKeyMeta = "revoked_previous_key"
	// revokedPrevThroughMeta is the newest `at` (unix ms) of the
	// withdrawals remembered when the secret changed.
	revokedPrevThroughMeta = "revoked_previous_through"
)

// RotateRevokedKey records that the remembered withdrawals were made
// under previous and that check is the fingerprint from now on: those
// remembered until now are counted as the previous key's
// (RevokedUnderPreviousKey) until an upload re-keys them (RekeyRevoked).
func (l *Ledger) RotateRevokedKey(ctx context.Context, previous, check string) error {
	var through sql.NullInt64
	if err := l.db.QueryRowContext(ctx, `SELECT max(m) FROM (SELECT max(at) AS m FROM revoked_patients UNION ALL SELECT max(at) FROM revoked_identifiers)`).Scan(&through); err != nil {
		return err
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, kv := range [][2]string{{revokedPrevKeyMeta, previous}, {revokedPrevThroughMeta, strconv.FormatInt(through.Int64, 10)}, {revokedKeyMeta, check}} {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
			return err
		}
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

// RevokedUnderPreviousKey counts the withdrawn patients, and the
// identifiers (revokedids.go), remembered only under the previous secret:
// none of them matches a row without it (HASHGATE_PREVIOUS_SECRET). Both 0
// when the secret never changed under remembered withdrawals.
func (l *Ledger) RevokedUnderPreviousKey(ctx context.Context) (patients, identifiers int, err error) {
	prev, through, err := l.PreviousRevokedKey(ctx)
	if err != nil || prev == "" {
		return 0, 0, err
	}
	err = l.db.QueryRowContext(ctx, `SELECT (SELECT count(DISTINCT digest) FROM revoked_patients WHERE at <= ?1),
		(SELECT count(DISTINCT digest) FROM revoked_identifiers WHERE at <= ?1)`, through).Scan(&patients, &identifiers)
	return patients, identifiers, err
}

// RekeyRevoked re-keys, in one transaction, each remembered withdrawal
// each gives: a patient's digest under the previous secret and under this
// one (patient), an identifier's likewise (identifier) — as an upload
// that matched it under the previous secret read them. Each record keeps
// its runs, its day and its owner (ledger unrevoke and erase see it as
// before); its `at` moves past the rotation's (RotateRevokedKey), the
// mark of a digest made under the new key. A digest the new key already
// remembers keeps its own record, the stricter day of both. It returns how
// many patients were re-keyed. Nothing happens while the secret never
// changed under remembered withdrawals.
func (l *Ledger) RekeyRevoked(ctx context.Context, each func(patient, identifier func(old, new uint64) error) error) (int, error) {
	prev, through, err := l.PreviousRevokedKey(ctx)
	if err != nil || prev == "" {
		return 0, err
	}
	at := max(l.now().UnixMilli(), through+1)
	n := 0
	_, err = l.secureWrite(ctx, false, func(tx *sql.Tx) error {
		patient := func(old, new uint64) error {
			var whole, dated sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT sum(from_day <= 0), min(from_day) FROM revoked_patients WHERE digest = ? AND at <= ?`, int64(old), through).Scan(&whole, &dated); err != nil {
				return err
			}
			if !dated.Valid {
				return nil // re-keyed already, or never remembered
			}
			// The new key's record, if any, takes the stricter day.
			if _, err := tx.ExecContext(ctx, `UPDATE revoked_patients SET from_day = CASE
				WHEN from_day <= 0 OR ?2 > 0 THEN 0 ELSE min(from_day, ?3) END WHERE digest = ?1`, int64(new), whole.Int64, dated.Int64); err != nil {
				return err
			}
			for _, q := range []string{
				`UPDATE OR IGNORE revoked_patients SET digest = ?2, at = ?3 WHERE digest = ?1 AND at <= ?4`,
				`DELETE FROM revoked_patients WHERE digest = ?1 AND at <= ?4`,
				// Her identifiers name her by the new digest (their own
				// digests are re-keyed as rows carry them).
				`UPDATE OR IGNORE revoked_identifiers SET patient = ?2 WHERE patient = ?1`,
				`DELETE FROM revoked_identifiers WHERE patient = ?1`,
			} {
				if _, err := tx.ExecContext(ctx, q, int64(old), int64(new), at, through); err != nil {
					return err
				}
			}
			n++
			return nil
		}
		identifier := func(old, new uint64) error {
			for _, q := range []string{
				`UPDATE OR IGNORE revoked_identifiers SET digest = ?2, at = ?3 WHERE digest = ?1 AND at <= ?4`,
				`DELETE FROM revoked_identifiers WHERE digest = ?1 AND at <= ?4`,
			} {
				if _, err := tx.ExecContext(ctx, q, int64(old), int64(new), at, through); err != nil {
					return err
				}
			}
			return nil
		}
		return each(patient, identifier)
	})
	return n, err
}
