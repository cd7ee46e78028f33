package ledger

import (
	"context"
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
const schemaV8 = `CREATE TABLE revoked_patients (
		digest INTEGER PRIMARY KEY,
		run_id TEXT NOT NULL,
		at     INTEGER NOT NULL
	);
	CREATE INDEX revoked_patients_run ON revoked_patients (run_id);`

// RevokedPatients returns the digests of every patient remembered as
// revoked; nil when there is none.
func (l *Ledger) RevokedPatients(ctx context.Context) (map[uint64]bool, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT digest FROM revoked_patients`)
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
// transaction; a digest already remembered keeps its first run.
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
	if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM runs WHERE id = ?`, runID).Scan(&known); err != nil {
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
