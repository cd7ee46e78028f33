package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// HeldPeek is a dry-run's look at what the ledger already holds of its
// conversions: how many each destination accepted before (an upload
// skips them), and the moved-times guard's verdict (movedtimes.go), so
// that the review of a second branch sharing the first's ledger says its
// visits would not be sent, rather than nothing (a review of a chain of
// clinics). It reads the ledger as ReadWithdrawals does, changing nothing;
// each destination's accepted ids are loaded into a sorted array outside
// the heap, as an upload's Filter loads them.
type HeldPeek struct {
	db    *sql.DB
	tx    *sql.Tx
	dests map[platform.Platform]Destination
	rows  map[platform.Platform]int64 // destination row ids; absent: never recorded
	sets  map[platform.Platform]keySet
	// aliases: per destination, an id's key → the key of the legacy id
	// the platform holds it under (id_aliases), as the upload's dual
	// lookup reads them (Filter.useLegacy).
	aliases map[platform.Platform]map[uint64]uint64
	convs   map[platform.Platform]int
	held    map[platform.Platform]int
	guard   *timeGuard // nil: a ledger before sent times (schema 12)
	net     *peekNet   // nil: not armed (ArmNet), or nothing delivered
}

// PeekHeld opens the ledger at path for a HeldPeek of dests (test
// destinations left out). Its errors are ReadWithdrawals's.
func PeekHeld(ctx context.Context, path string, dests map[platform.Platform]Destination, g TimeGuard) (*HeldPeek, error) {
	db, tx, err := readTx(ctx, path)
	if err != nil {
		return nil, err
	}
	h := &HeldPeek{db: db, tx: tx, dests: map[platform.Platform]Destination{}, rows: map[platform.Platform]int64{},
		sets: map[platform.Platform]keySet{}, aliases: map[platform.Platform]map[uint64]uint64{}, convs: map[platform.Platform]int{}, held: map[platform.Platform]int{}}
	if err := h.load(ctx, dests, g); err != nil {
		h.Close()
		return nil, err
	}
	return h, nil
}

func (h *HeldPeek) load(ctx context.Context, dests map[platform.Platform]Destination, g TimeGuard) error {
	var schema int
	if err := h.tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&schema); err != nil {
		return err
	}
	switch {
	case schema > len(migrations):
		return fmt.Errorf("it has schema version %d; this hashgate knows %d: upgrade hashgate", schema, len(migrations))
	case schema < 2:
		return nil // events, not requests: an upload migrates them first
	}
	var through int64
	if schema >= 12 {
		var v string
		err := h.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, eventTimesThroughKey).Scan(&v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if v != "" {
			if through, err = strconv.ParseInt(v, 10, 64); err != nil {
				return fmt.Errorf("meta %s: %w", eventTimesThroughKey, err)
			}
		}
		h.guard = newTimeGuard(g, through)
	}
	for p, d := range dests {
		if d.Test {
			continue
		}
		h.dests[p] = d
		var id int64
		err := h.tx.QueryRowContext(ctx, `SELECT id FROM destinations WHERE key = ?`, d.Key).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return err
		}
		h.rows[p] = id
		keys := keyset.NewKeys(0)
		s := salt(d.Key)
		// Its own query: the ledger may be of an older schema than this
		// hashgate's (rowColumns names later columns).
		if err := eachAcceptedID(ctx, h.tx, id, func(b []byte) { keys.Append(key64(b, s)) }); err != nil {
			keys.Close()
			return err
		}
		h.sets[p] = ownSortedKeys(keys)
		if schema >= 4 { // id_aliases: schemaV4
			if err := h.loadAliases(ctx, p, id, s); err != nil {
				return err
			}
		}
	}
	if h.guard != nil {
		var err error
		if h.guard.held, err = heldAtOn(ctx, h.tx, h.dests, h.rows, destination.ReasonBeforeFirstUpload, through); err != nil {
			return err
		}
	}
	return nil
}

// loadAliases loads the aliases of p's destination (row id, salt s).
func (h *HeldPeek) loadAliases(ctx context.Context, p platform.Platform, id int64, s uint64) error {
	rows, err := h.tx.QueryContext(ctx, `SELECT id, legacy FROM id_aliases WHERE destination = ?`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var cur, legacy []byte
		if err := rows.Scan(&cur, &legacy); err != nil {
			return err
		}
		if len(cur) == idLen && len(legacy) == idLen {
			if h.aliases[p] == nil {
				h.aliases[p] = map[uint64]uint64{}
			}
			h.aliases[p][key64(cur, s)] = key64(legacy, s)
		}
	}
	return rows.Err()
}

// eachAcceptedID calls fn with each packed id the destination of row id
// accepted.
func eachAcceptedID(ctx context.Context, tx *sql.Tx, id int64, fn func([]byte)) error {
	rows, err := tx.QueryContext(ctx, `SELECT r.event_ids FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE o.state = 'accepted' AND r.destination = ?`, id)
	if err != nil {
		return err
	}
	defer rows.Close()
	var ids sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&ids); err != nil {
			return err
		}
		for i := 0; i+idLen <= len(ids); i += idLen {
			fn(ids[i:])
		}
	}
	return rows.Err()
}

// Write counts c: held when its destination accepted its id before, and
// then kept for the guard (bookings aside, as the upload's).
func (h *HeldPeek) Write(c *conversion.Conversion) error {
	k, ok := h.Key(c)
	return h.Count(c.Platform, k, ok, c.Booking, c.Time.Unix())
}

// Key is c's set key, ok false when c is not to be counted: the key of
// the id the upload would judge it by. As the upload's dual lookup
// (Filter.dualLookup): the legacy id an alias learnt maps its id to, else
// its id when held, else its legacy id (conversion.LegacyID: the id an
// older hashgate made of the same row) when that is held. Looking up its
// id alone, the review of a ledger written under legacy ids said it would
// send what the upload holds (a review, 2026-12-07). Safe for concurrent
// use (the sets and aliases are only read): a dry-run's sink prepares it
// on the pipeline's workers.
func (h *HeldPeek) Key(c *conversion.Conversion) (uint64, bool) {
	k, _, ok := h.KeyAndID(c)
	return k, ok
}

// KeyAndID is Key, and the key of c's own id when Key gave its legacy
// id's by the dual lookup (else id is key): a conversion given another
// legacy id later is re-asked from its own id (Respelled), as the
// upload's filter looks up the id it carries, then the legacy id it is
// given — not the one it was prepared with (the session-29 review: a
// dry-run kept a mixed composite order's first row's legacy id, held,
// where the upload looked up the order's, and said 3 of the 4 sent).
func (h *HeldPeek) KeyAndID(c *conversion.Conversion) (key, id uint64, ok bool) {
	d, ok := h.dests[c.Platform]
	if !ok {
		return 0, 0, false
	}
	s := salt(d.Key)
	k, ok := idKey(c.EventID, s)
	if !ok {
		return k, k, ok
	}
	if legacy, known := h.aliases[c.Platform][k]; known {
		return legacy, legacy, true // the alias, whatever the legacy id
	}
	return h.dual(c.Platform, s, k, c.LegacyID), k, true
}

// Respelled is the set key of a conversion of p whose KeyAndID gave id,
// had it carried the legacy id legacy — Key's dual lookup, for a conversion
// that learnt its legacy id from another row of its order once the
// export was read (pipeline's spellings.go), a booking as a visit. The
// upload's filter looks the new legacy id up the same way.
func (h *HeldPeek) Respelled(p platform.Platform, key uint64, legacy eventid.ID) uint64 {
	d, ok := h.dests[p]
	if !ok {
		return key
	}
	return h.dual(p, salt(d.Key), key, legacy)
}

// dual is the dual lookup of Key and Respelled, on p's destination (its
// salt s): key when the destination holds it, else legacy's key when it
// holds that, else key.
func (h *HeldPeek) dual(p platform.Platform, s, key uint64, legacy eventid.ID) uint64 {
	set := h.sets[p]
	if legacy == "" || set == nil {
		return key
	}
	if found, err := set.Has(key); err != nil || found {
		return key // an error is Count's to meet
	}
	if lk, ok := idKey(legacy, s); ok {
		if held, err := set.Has(lk); err == nil && held {
			return lk
		}
	}
	return key
}

// Count is Write for a conversion of p whose Key gave key, ok; at is its
// event time in unix seconds. Call it from one goroutine.
func (h *HeldPeek) Count(p platform.Platform, key uint64, ok, booking bool, at int64) error {
	if _, mine := h.dests[p]; !mine {
		return nil
	}
	h.convs[p]++
	set := h.sets[p]
	if set == nil || !ok {
		return nil
	}
	found, err := set.Has(key)
	if err != nil {
		return err
	}
	if h.net != nil && !booking {
		h.net.count(p, key, found, at) // as the upload's net (peeknet.go)
	}
	g := h.guard
	if g != nil && !booking {
		g.count(p, key, found, at) // as the upload's Filter (noteTime)
	}
	if !found {
		return nil
	}
	h.held[p]++
	if g != nil && !booking && len(g.seen) < g.Sample {
		g.seen = append(g.seen, timedKey{p, key, floorDiv(at, 60)})
	}
	return nil
}

// Held returns, per destination, the conversions written and those the
// ledger holds as accepted.
func (h *HeldPeek) Held(p platform.Platform) (held, conversions int) {
	return h.held[p], h.convs[p]
}

// MovedTimes is the guard's verdict on what was written: the destinations
// an upload would stop for, and what it compared for each (MovedCount).
func (h *HeldPeek) MovedTimes(ctx context.Context) ([]*MovedTimesError, map[platform.Platform]MovedCount, error) {
	g := h.guard
	if g == nil {
		return nil, nil, nil
	}
	return movedVerdicts(g.seen, g.heldSeen, g.convs, g.TimeGuard, false, func(p platform.Platform) string { return h.dests[p].Key },
		func(p platform.Platform, mine []timedKey) (int, int, error) {
			return movedTimesOn(ctx, h.tx, h.rows[p], h.dests[p].Key, g.through, mine)
		})
}

// Close releases the sets and the read.
func (h *HeldPeek) Close() error {
	for _, s := range h.sets {
		s.Close()
	}
	if h.guard != nil {
		h.guard.held.Close()
	}
	h.tx.Rollback()
	return h.db.Close()
}
