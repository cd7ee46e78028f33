package ledger

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
)

// The shape of the order ids the last upload read (package pipeline's
// IDShape, in its text form): counts and lengths of their all-digit parts,
// never an id. The next upload compares tonight's with it, so an export
// whose ids a spreadsheet stripped of their leading zeros stops before
// anything is sent. It is kept per order id mapping: a config that maps
// other columns compares nothing with it.

// idShapeKey is the meta key of the shape read under the order id columns
// cols: a digest of their names, so that a config mapping other columns
// starts afresh (the shape kept under the old mapping stays, a row of a
// few bytes, unread).
func idShapeKey(cols []string) string { return colsKey("order_id_shape:", cols) }

// colsKey is prefix and a digest of the columns' names.
func colsKey(prefix string, cols []string) string {
	h := sha256.Sum256([]byte(strings.Join(cols, "\x1f")))
	return prefix + hex.EncodeToString(h[:8])
}

// OrderIDShape returns the shape recorded for the order id columns cols,
// or "" when none was.
func (l *Ledger) OrderIDShape(ctx context.Context, cols []string) (string, error) {
	return l.metaValue(ctx, idShapeKey(cols))
}

// SetOrderIDShape records shape as the last upload's for the columns cols.
func (l *Ledger) SetOrderIDShape(ctx context.Context, cols []string, shape string) error {
	return l.setMeta(ctx, idShapeKey(cols), shape)
}

// The zone a composite order id's times were written in (package
// pipeline's IDShape.Zone) is kept under a key of its own beside the
// shape, so that the shape's text stays what an older hashgate reads.
func idZoneKey(cols []string) string {
	return colsKey("order_id_zone:", cols)
}

// OrderIDZone returns the zone recorded for the order id columns cols, or
// "" when none was.
func (l *Ledger) OrderIDZone(ctx context.Context, cols []string) (string, error) {
	return l.metaValue(ctx, idZoneKey(cols))
}

// SetOrderIDZone records zone as the last upload's for the columns cols.
func (l *Ledger) SetOrderIDZone(ctx context.Context, cols []string, zone string) error {
	return l.setMeta(ctx, idZoneKey(cols), zone)
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
