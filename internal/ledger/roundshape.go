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
// name) that has one, and the export that last added to it (keptinput.go;
// "" when not known); "" for none.
func (l *Ledger) Rounding(ctx context.Context, kind string, dests, cols []string) (v, by string, err error) {
	for _, d := range slices.Sorted(slices.Values(dests)) {
		key := colsKey(kind+d+":", cols)
		if v, err = l.metaValue(ctx, key); err != nil || v != "" {
			if err != nil {
				return "", "", err
			}
			by, err = l.keptInput(ctx, key, v)
			return v, by, err
		}
	}
	return "", "", nil
}

// SetRounding records v as the record of kind for the columns cols at
// each destination of dests, by as the export that last added to it;
// other destinations' stay as they are.
func (l *Ledger) SetRounding(ctx context.Context, kind string, dests, cols []string, v, by string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range dests {
		if err := setRecord(ctx, tx, colsKey(kind+d+":", cols), v, by); err != nil {
			return err
		}
	}
	return tx.Commit()
}
