package ledger

import (
	"context"
	"database/sql"
)

// RekeyLiteral moves, in one transaction, each remembered withdrawal each
// gives from old — the digest of the patient key's Excel text formula as
// written (="00101"), under which a hashgate before it read such a cell
// as its text (up to c55587c) remembered it — to new, the digest of the
// cell's text, as uploads remember since (pipeline.PatientRevocations'
// Unwrapped). An upload finds such a withdrawal under old only while the
// cell is still wrapped; moved, a plain re-save of the export withholds
// the patient too. The record keeps its runs, its day, its identifiers
// and its time, as RekeyRevoked's; a patient already remembered under new
// keeps that record, with the stricter day of both. It returns how many
// patients moved; identifier is never called with a pair (their digests
// are of the normalised e-mail and phone, which no wrapper changed).
func (l *Ledger) RekeyLiteral(ctx context.Context, each func(patient, identifier func(old, new uint64) error) error) (int, error) {
	n := 0
	_, err := l.secureWrite(ctx, false, func(tx *sql.Tx) error {
		n = 0
		patient := func(old, new uint64) error {
			var whole, dated sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT sum(from_day <= 0), min(from_day) FROM revoked_patients WHERE digest = ?`, int64(old)).Scan(&whole, &dated); err != nil {
				return err
			}
			if old == new || !dated.Valid {
				return nil // moved already (a pair comes once a row), or never remembered
			}
			if err := movePatient(ctx, tx, old, new, whole, dated,
				`UPDATE OR IGNORE revoked_patients SET digest = ?2 WHERE digest = ?1`,
				`DELETE FROM revoked_patients WHERE digest = ?1`); err != nil {
				return err
			}
			n++
			return nil
		}
		if err := each(patient, func(uint64, uint64) error { return nil }); err != nil || n == 0 {
			return err
		}
		// A moved record is a change (a backup from before it holds the
		// old digest): bumped in its transaction (generation.go).
		return bumpIn(ctx, tx)
	})
	return n, err
}
