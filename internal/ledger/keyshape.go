package ledger

import "context"

// The shape of the patient keys the uploads read (package pipeline's
// KeyShape, in its text form): counts and lengths per kind of key, never a
// key. Kept per destination and patient-key column: one per column alone
// (a review: clinics sharing the default ledger, each its own accounts)
// made one clinic's upload stop on another's numbering, and the two stop
// each other on alternate nights, as the event-id key's fingerprint once
// did (eventkey.go). A config that maps another column starts afresh.
func keyShapeKey(dest, col string) string {
	return colsKey("patient_key_shape:"+dest+":", []string{col})
}

// PatientKeyShapes returns the shape recorded for the patient-key column
// col at each destination of dests that has one.
func (l *Ledger) PatientKeyShapes(ctx context.Context, dests []string, col string) (map[string]string, error) {
	out := map[string]string{}
	for _, d := range dests {
		v, err := l.metaValue(ctx, keyShapeKey(d, col))
		if err != nil {
			return out, err
		}
		if v != "" {
			out[d] = v
		}
	}
	return out, nil
}

// SetPatientKeyShapes records shape as the one kept for the column col at
// each destination of dests; other destinations' (another config's, on a
// shared ledger) stay as they are.
func (l *Ledger) SetPatientKeyShapes(ctx context.Context, dests []string, col, shape string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range dests {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			keyShapeKey(d, col), shape); err != nil {
			return err
		}
	}
	return tx.Commit()
}
