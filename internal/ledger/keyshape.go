package ledger

import "context"

// The shape of the patient keys the last upload read (package pipeline's
// KeyShape, in its text form): counts and lengths per kind of key, never a
// key. Kept per patient-key column, as the order ids' shape is per order
// id mapping (idshape.go): a config that maps another column starts afresh.
func keyShapeKey(col string) string { return colsKey("patient_key_shape:", []string{col}) }

// PatientKeyShape returns the shape recorded for the patient-key column
// col, or "" when none was.
func (l *Ledger) PatientKeyShape(ctx context.Context, col string) (string, error) {
	return l.metaValue(ctx, keyShapeKey(col))
}

// SetPatientKeyShape records shape as the last upload's for the column col.
func (l *Ledger) SetPatientKeyShape(ctx context.Context, col, shape string) error {
	return l.setMeta(ctx, keyShapeKey(col), shape)
}
