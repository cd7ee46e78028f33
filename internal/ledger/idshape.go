package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
)

// The shape of the order ids the last upload read (package pipeline's
// IDShape, in its text form): counts and lengths of their all-digit parts,
// never an id. The next upload compares tonight's with it, so an export
// whose ids a spreadsheet stripped of their leading zeros stops before
// anything is sent. It is kept per destination and order id mapping, as
// the patient keys' shape is (keyshape.go): kept per mapping alone (a
// review), clinics sharing the default ledger, each its own accounts and
// the same column names, stopped each other — one's padded ids were the
// other's "lost zeros", and the zone one wrote its ids' times in the
// other's moved times. A config that maps other columns starts afresh.

// idShapeKey is the meta key of the shape read under the order id columns
// cols as the hashgate before the per-destination one kept it: a digest
// of their names. It is never written again; it stands for the
// destinations that have none of their own yet (a ledger an older
// hashgate upgraded), so the upgrade does not skip a night's check.
func idShapeKey(cols []string) string { return colsKey("order_id_shape:", cols) }

// idShapeDestKey is the meta key of the shape kept for the destination
// dest under the order id columns cols.
func idShapeDestKey(dest string, cols []string) string {
	return colsKey("order_id_shape:"+dest+":", cols)
}

// colsKey is prefix and a digest of the columns' names.
func colsKey(prefix string, cols []string) string {
	h := sha256.Sum256([]byte(strings.Join(cols, "\x1f")))
	return prefix + hex.EncodeToString(h[:8])
}

// The zone a composite order id's times were written in (package
// pipeline's IDShape.Zone) is kept under a key of its own beside the
// shape, so that the shape's text stays what an older hashgate reads.
func idZoneKey(cols []string) string {
	return colsKey("order_id_zone:", cols)
}

func idZoneDestKey(dest string, cols []string) string {
	return colsKey("order_id_zone:"+dest+":", cols)
}

// OrderIDShape returns the shape and zone recorded for the order id
// columns cols at the first of dests (by name) that has a shape — another
// config's destinations on a shared ledger are not read — or, when none
// has, those kept for the columns alone by an older hashgate; "" for
// none.
func (l *Ledger) OrderIDShape(ctx context.Context, dests, cols []string) (shape, zone string, err error) {
	for _, d := range slices.Sorted(slices.Values(dests)) {
		if shape, err = l.metaValue(ctx, idShapeDestKey(d, cols)); err != nil || shape != "" {
			if err != nil {
				return "", "", err
			}
			zone, err = l.metaValue(ctx, idZoneDestKey(d, cols))
			return shape, zone, err
		}
	}
	if shape, err = l.metaValue(ctx, idShapeKey(cols)); err != nil || shape == "" {
		return "", "", err
	}
	zone, err = l.metaValue(ctx, idZoneKey(cols))
	return shape, zone, err
}

// SetOrderIDShape records shape, and zone unless it is "", as the last
// upload's for the columns cols at each destination of dests; other
// destinations' (another config's, on a shared ledger) stay as they are.
func (l *Ledger) SetOrderIDShape(ctx context.Context, dests, cols []string, shape, zone string) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	const set = `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`
	for _, d := range dests {
		if _, err := tx.ExecContext(ctx, set, idShapeDestKey(d, cols), shape); err != nil {
			return err
		}
		if zone == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, set, idZoneDestKey(d, cols), zone); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// metaValue is the meta value under key, "" when there is none.
func (l *Ledger) metaValue(ctx context.Context, key string) (string, error) {
	var v string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// setMeta records value under key, over what was there.
func (l *Ledger) setMeta(ctx context.Context, key, value string) error {
	_, err := l.db.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
