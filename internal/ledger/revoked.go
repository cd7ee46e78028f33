package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
)

// Patients who withdrew consent, remembered (pipeline.PatientRevocations):
// a withdrawal written on one row of a rolling export would otherwise be
// forgotten when that row leaves the export, and the patient's later
// visits sent. Each is a keyed digest of the patient key
// (eventid.Deriver.RevokedPatient: HMAC under the clinic's secret, so the
// ledger reveals no chart number to anyone without it), with the run that
// saw the withdrawal, so a run whose consent column was mapped wrong can
// be undone (ForgetRevokedPatients; `hashgate ledger unrevoke`).
//
// Retention (Forget) never prunes them: a withdrawal does not expire.
const schemaV8 = `CREATE TABLE revoked_patients (
		digest INTEGER PRIMARY KEY,
		run_id TEXT NOT NULL,
		at     INTEGER NOT NULL
	);
	CREATE INDEX revoked_patients_run ON revoked_patients (run_id);`

// schemaV9 keys a withdrawal by patient and run: every run that sees a
// patient withdraw remembers it, so undoing one run (a wrongly mapped
// consent column) leaves the withdrawals the other runs saw — keyed by
// the patient alone, a genuine withdrawal first seen by the wrong run was
// forgotten with it (review). revoked_key holds the fingerprint of the
// secret the digests were made under (RevokedKeyCheck).
const schemaV9 = `CREATE TABLE revoked_patients_v9 (
		digest INTEGER NOT NULL,
		run_id TEXT NOT NULL,
		at     INTEGER NOT NULL,
		PRIMARY KEY (digest, run_id)
	) WITHOUT ROWID;
	INSERT INTO revoked_patients_v9 (digest, run_id, at) SELECT digest, run_id, at FROM revoked_patients;
	DROP TABLE revoked_patients;
	ALTER TABLE revoked_patients_v9 RENAME TO revoked_patients;
	CREATE INDEX revoked_patients_run ON revoked_patients (run_id);`

// RevokedPatients returns the digests of every patient remembered as
// revoked; nil when there is none.
func (l *Ledger) RevokedPatients(ctx context.Context) (map[uint64]bool, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT DISTINCT digest FROM revoked_patients`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out map[uint64]bool
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		if out == nil {
			out = map[uint64]bool{}
		}
		out[uint64(d)] = true
	}
	return out, rows.Err()
}

// AddRevokedPatients remembers digests as revoked by run runID, in one
// transaction, beside the runs that saw them before.
func (l *Ledger) AddRevokedPatients(ctx context.Context, runID string, digests map[uint64]bool) error {
	if len(digests) == 0 {
		return nil
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO revoked_patients (digest, run_id, at) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	now := l.now().UnixMilli()
	for d := range digests {
		if _, err := st.ExecContext(ctx, int64(d), runID, now); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// ForgetRevokedPatients forgets the patients run runID remembered as
// revoked, for a run whose consent column was mapped wrong; it returns
// how many. An unknown run is an error naming it.
func (l *Ledger) ForgetRevokedPatients(ctx context.Context, runID string) (int, error) {
	runID = strings.TrimSpace(runID)
	var known int
	// A run retention has removed still holds its withdrawals.
	if err := l.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM runs WHERE id = ?) + (SELECT count(*) FROM revoked_patients WHERE run_id = ?)`, runID, runID).Scan(&known); err != nil {
		return 0, err
	}
	if known == 0 {
		return 0, fmt.Errorf("no run %q in the ledger (hashgate ledger list shows the runs)", runID)
	}
	res, err := l.db.ExecContext(ctx, `DELETE FROM revoked_patients WHERE run_id = ?`, runID)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// RevokedKeyCheck compares check, the fingerprint of the secret this run
// makes digests under (eventid.Deriver.RevokedKeyCheck), with the one the
// remembered withdrawals were made under. It returns how many patients
// are remembered under another secret (0: none, or the same secret), and
// records check when the ledger holds none yet.
func (l *Ledger) RevokedKeyCheck(ctx context.Context, check string) (int, error) {
	var was string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'revoked_key'`).Scan(&was)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = l.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('revoked_key', ?)`, check)
		return 0, err
	case err != nil:
		return 0, err
	case was == check:
		return 0, nil
	}
	var n int
	err = l.db.QueryRowContext(ctx, `SELECT count(DISTINCT digest) FROM revoked_patients`).Scan(&n)
	return n, err
}

// SetRevokedKey records check as the secret's fingerprint from now on:
// after a person chose to go on under a new secret (--accept-new-ids),
// the withdrawals made under the old one can no longer be matched.
func (l *Ledger) SetRevokedKey(ctx context.Context, check string) error {
	_, err := l.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('revoked_key', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, check)
	return err
}
