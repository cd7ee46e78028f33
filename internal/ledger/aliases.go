package ledger

// The dual lookup's state (newids.go): the events sent under legacy ids,
// and the aliases learnt of the ids the platforms hold them under.

import (
	"context"
	"fmt"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/platform"
)

// loadLegacyHeld loads what the platforms hold under a legacy id, in
// whatever state: an event there keeps that id when it is sent again.
func (f *Filter) loadLegacyHeld(ctx context.Context) error {
	set, err := f.ledger.idSet(ctx, f.dests, `r.id <= ? AND r.sent = 1 AND r.at >= ?`, f.legacyThrough, f.from.UnixMilli())
	if err != nil {
		return fmt.Errorf("ledger: load events of the earlier id derivation: %w", err)
	}
	f.legacyHeld = set
	return nil
}

// alias remembers that the platform holds c (under its current id) as
// legacy; flushAliases writes what was learnt.
func (f *Filter) alias(c *conversion.Conversion, legacy eventid.ID) {
	f.newAliases = append(f.newAliases, pendingAlias{c.Platform, c.EventID, legacy})
}

type pendingAlias struct {
	p          platform.Platform
	id, legacy eventid.ID
}

// flushAliases writes the aliases learnt by this run, in one transaction.
// Losing them costs nothing but a later dual lookup.
func (f *Filter) flushAliases(ctx context.Context) error {
	if len(f.newAliases) == 0 {
		return nil
	}
	tx, err := f.ledger.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO id_aliases (destination, id, legacy, at) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	defer st.Close()
	now := f.ledger.now().UnixMilli()
	for _, a := range f.newAliases {
		b, err := pack(nil, []eventid.ID{a.id, a.legacy})
		if err != nil {
			return err
		}
		if _, err := st.ExecContext(ctx, f.destRows[a.p], b[:idLen], b[idLen:], now); err != nil {
			return err
		}
	}
	f.newAliases = nil
	return tx.Commit()
}
