package ledger

// Single-column order ids folded (export.Row.OrderKey, celltext.Fold):
// since schema 16, an id typed in an IME's full-width mode (Ａ１００１) or
// pasted with a zero-width space is made into the event id of its plain
// spelling (A1001). Requests recorded before carry ids made from the id
// as written; meta 'unfolded_ids_through' names the last of them, and the
// Filter looks a conversion whose id folds to another spelling up under
// both (UseUnfoldedIDs), as it does for composite ids (newids.go), so an
// id sent under its old spelling is never sent again.

import (
	"context"
	"database/sql"
	"errors"
	"strconv"

	"github.com/hashgate/hashgate/internal/conversion"
)

// schemaV16 marks every request recorded so far as carrying single-column
// ids as written.
const schemaV16 = `INSERT OR REPLACE INTO meta (key, value) SELECT 'unfolded_ids_through', CAST(coalesce(max(id), 0) AS TEXT) FROM requests;`

// schemaV20 marks every request recorded so far as possibly carrying
// ids of order ids an Excel text formula wrapped (="A0001") made from the
// formula as written: hashgate read such a cell so up to c55587c, and
// reads its text (A0001) since. A conversion whose order-id cell is one
// carries that spelling's id as its legacy id (pipeline rowKey.prior),
// and the dual lookup looks it up in these requests, lazily: nearly no
// conversion carries one. Ledgers a hashgate between the two wrote are
// marked too; a lookup of an id never sent finds nothing.
const schemaV20 = `INSERT OR REPLACE INTO meta (key, value) SELECT 'literal_ids_through', CAST(coalesce(max(id), 0) AS TEXT) FROM requests;`

// schemaV18 marks every request recorded so far as carrying composite
// ids whose parts were NFKC-folded only (export.Row.OrderKeyNFKC): a
// zero-width space inside a chart number stayed in the id. UseLegacyIDs
// looks a conversion carrying that spelling's id up under both.
const schemaV18 = `INSERT OR REPLACE INTO meta (key, value) SELECT 'unfolded_parts_through', CAST(coalesce(max(id), 0) AS TEXT) FROM requests;`

// unfoldedThrough is the last request whose single-column ids were made
// as written (0: none).
func (l *Ledger) unfoldedThrough(ctx context.Context) (int64, error) {
	return l.metaThrough(ctx, "unfolded_ids_through")
}

// metaThrough reads a request id that meta key holds (0: none).
func (l *Ledger) metaThrough(ctx context.Context, key string) (int64, error) {
	var v string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// UseUnfoldedIDs turns on the dual lookup for a config whose order id is
// one column, while requests recorded before schema 16 are within
// retention (unfoldedThrough). Nearly every id is ASCII and folds to
// itself (its conversion carries no LegacyID): the lookup is the ordinary
// one for those, and what the dual lookup needs — the events sent under
// the earlier spelling — is loaded at the first conversion that carries a
// legacy id, or whose id an alias learnt before maps (lookup). Call it
// before the first Write.
func (f *Filter) UseUnfoldedIDs(ctx context.Context) error {
	through, err := f.ledger.unfoldedThrough(ctx)
	if err != nil {
		return err
	}
	literal, err := f.ledger.literalThrough(ctx)
	if err != nil || max(through, literal) == 0 {
		return err
	}
	return f.useLegacy(ctx, max(through, literal), true)
}

// literalThrough is the last request whose ids of order ids written as
// Excel text formulas were made from the formula (schemaV20; 0: none).
func (l *Ledger) literalThrough(ctx context.Context) (int64, error) {
	return l.metaThrough(ctx, "literal_ids_through")
}

// needsDual reports whether c, under a lazy dual lookup (UseUnfoldedIDs),
// is looked up under two ids: it carries a legacy id, or an alias learnt
// before says the platform holds it under one (the id sent under its
// full-width spelling, tonight written plainly).
func (f *Filter) needsDual(c *conversion.Conversion) bool {
	if c.LegacyID != "" {
		return true
	}
	if len(f.aliases) == 0 {
		return false
	}
	k, ok := idKey(c.EventID, f.keysOf(c.Platform).salt)
	_, known := f.aliases[k]
	return ok && known
}
