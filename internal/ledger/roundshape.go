package ledger

import (
	"context"
	"slices"
)

// How many of the long all-digit order ids, and patient keys, the last
// upload read a spreadsheet had rounded to 15 significant digits (package
// pipeline's LongShape, in its text form): counts only, never an id. Each
// is kept under a key of its own beside the shape it belongs to (the
// order ids' per destination and order id columns, the patient keys' per
// destination and patient-key column), so that the shapes' texts stay
// what an older hashgate reads.
const (
	OrderIDRounding    = "order_id_rounding:"
	PatientKeyRounding = "patient_key_rounding:"
)

// Rounding returns the record of kind (OrderIDRounding or
// PatientKeyRounding) kept for the columns cols at the first of dests (by
// name) that has one; "" for none.
func (l *Ledger) Rounding(ctx context.Context, kind string, dests, cols []string) (string, error) {
	for _, d := range slices.Sorted(slices.Values(dests)) {
		if v, err := l.metaValue(ctx, colsKey(kind+d+":", cols)); err != nil || v != "" {
			return v, err
		}
	}
	return "", nil
}

// SetRounding records v as the record of kind for the columns cols at
// each destination of dests; other destinations' stay as they are.
func (l *Ledger) SetRounding(ctx context.Context, kind string, dests, cols []string, v string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range dests {
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			colsKey(kind+d+":", cols), v); err != nil {
			return err
		}
	}
	return tx.Commit()
}
