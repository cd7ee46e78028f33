package ledger

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

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
// col at each destination of dests that has one, and the export that last
// added to each (by; keptinput.go) where it is known.
func (l *Ledger) PatientKeyShapes(ctx context.Context, dests []string, col string) (shapes, by map[string]string, err error) {
	shapes, by = map[string]string{}, map[string]string{}
	for _, d := range dests {
		v, err := l.metaValue(ctx, keyShapeKey(d, col))
		if err != nil || v == "" {
			if err != nil {
				return shapes, by, err
			}
			continue
		}
		shapes[d] = v
		if in, err := l.keptInput(ctx, keyShapeKey(d, col), v); err != nil {
			return shapes, by, err
		} else if in != "" {
			by[d] = in
		}
	}
	return shapes, by, nil
}

// The last nights' patient keys (package pipeline's KeyNights, in its
// text form: counts and lengths, never a key) are kept beside the shape,
// under a key of their own: in the shape's text, they would make an older
// hashgate read nothing it keeps (it warns, and replaces the clinic's
// kept shape with one night's). An older hashgate that rewrites the shape
// leaves them as they were, so they are kept with the digest of the shape
// they were written with (nightsTag), and read only while it is still
// the one kept: nights a hashgate that kept none read are not skipped.
func keyNightsKey(dest, col string) string {
	return colsKey("patient_key_nights:"+dest+":", []string{col})
}

// nightsTag is what ties the nights to the shape written with them, and
// the export that last added to a record to its text (keptinput.go).
func nightsTag(shape string) string {
	h := sha256.Sum256([]byte(shape))
	return hex.EncodeToString(h[:8])
}

// PatientKeyNights returns the last nights' keys recorded for the column
// col at each destination of dests that has them, beside the shape they
// were recorded with.
func (l *Ledger) PatientKeyNights(ctx context.Context, dests []string, col string) (map[string]string, error) {
	out := map[string]string{}
	for _, d := range dests {
		v, err := l.metaValue(ctx, keyNightsKey(d, col))
		if err != nil {
			return out, err
		}
		if v == "" {
			continue
		}
		shape, err := l.metaValue(ctx, keyShapeKey(d, col))
		if err != nil {
			return out, err
		}
		if tag, nights, ok := strings.Cut(v, ">"); ok && tag == nightsTag(shape) {
			out[d] = nights
		}
	}
	return out, nil
}

// SetPatientKeyShapes records shape as the one kept for the column col at
// each destination of dests, by as the export that last added to it, and
// nights as the last nights' keys beside it; other destinations'
// (another config's, on a shared ledger) stay as they are.
func (l *Ledger) SetPatientKeyShapes(ctx context.Context, dests []string, col, shape, nights, by string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, d := range dests {
		if err := setRecord(ctx, tx, keyShapeKey(d, col), shape, by); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			keyNightsKey(d, col), nightsTag(shape)+">"+nights); err != nil {
			return err
		}
	}
	return tx.Commit()
}
