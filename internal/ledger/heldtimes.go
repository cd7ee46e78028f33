package ledger

// The event time a hold was made with.
//
// Meta's first upload to a dataset keeps back history older than its
// deduplication window as before_first_upload (package run, dedupWindow),
// and every later night holds that event back again. Judged by the event
// id alone, a new clinic system numbering its appointments from 1 again
// made ids the old system's held history had, and its new visits were held
// back as that history for good: "held back in earlier runs", Meta +0,
// exit 0 (a review of a clinic that changed its practice-management
// software mid-year). So a hold records the time each event carried (in
// the request row's sent_times, as a send does: no reader of sent_times
// reads a quarantine's row but HeldTimes), and a hold applies to the same
// event only: the same id at the same minute. The same id at another
// minute goes to the moved-times guard (movedtimes.go), which compares it
// with the time it was held with. A hold recorded before its time was
// (session 23) is judged by the id alone, as it was.

import (
	"context"
	"database/sql"
	"encoding/binary"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// HeldTimes is, per destination, the events the latest hold for one
// reason carried and the time it carried each with (0: not recorded).
type HeldTimes struct {
	salts map[platform.Platform]uint64
	at    *sentAt
}

// HeldMatch is how a conversion meets the holds of a HeldTimes.
type HeldMatch int

const (
	// NotHeld: its id was never held for the reason.
	NotHeld HeldMatch = iota
	// HeldSame: its id was held at the same minute, or by a hold that
	// recorded no time (judged by the id, as before times were kept).
	HeldSame
	// HeldElsewhen: its id was held with another event time.
	HeldElsewhen
)

// Match says how c meets the holds: held at its own minute, at another,
// or not held.
func (h *HeldTimes) Match(c *conversion.Conversion) HeldMatch {
	if h == nil {
		return NotHeld
	}
	s, ok := h.salts[c.Platform]
	if !ok {
		return NotHeld
	}
	k, ok := idKey(c.EventID, s)
	if !ok {
		return NotHeld
	}
	m, _ := h.matchKey(k, c.Time.Unix())
	return m
}

// matchKey is Match for a set key and an event time in unix seconds; it
// returns too the time the hold recorded (0: none).
func (h *HeldTimes) matchKey(k uint64, at int64) (HeldMatch, uint32) {
	if h == nil || h.at == nil || h.at.len() == 0 {
		return NotHeld, 0
	}
	held, ok := h.at.get(k)
	switch {
	case !ok:
		return NotHeld, 0
	case held == 0 || floorDiv(int64(held), 60) == floorDiv(at, 60):
		return HeldSame, held
	}
	return HeldElsewhen, held
}

// Len is how many events are held.
func (h *HeldTimes) Len() int {
	if h == nil || h.at == nil {
		return 0
	}
	return h.at.len()
}

// Close releases the set (kept outside the heap).
func (h *HeldTimes) Close() {
	if h != nil && h.at != nil {
		h.at.own.Close()
		h.at = nil
	}
}

// HeldAt reads the events of dests held back for reason, with the times
// the latest hold of each carried them. The dedup window judges its
// before_first_upload holds by it.
func (l *Ledger) HeldAt(ctx context.Context, dests map[platform.Platform]Destination, reason string) (*HeldTimes, error) {
	ids, err := l.destIDs(ctx, dests)
	if err != nil {
		return nil, err
	}
	return heldAtOn(ctx, l.db, dests, ids, reason, 0)
}

// heldAtOn is HeldAt on q (a dry-run reads a ledger it must not change),
// for the destinations' row ids, over the requests after through (the
// guard compares nothing a person accepted as moved).
func heldAtOn(ctx context.Context, q querier, dests map[platform.Platform]Destination, rows map[platform.Platform]int64, reason string, through int64) (*HeldTimes, error) {
	h := &HeldTimes{salts: map[platform.Platform]uint64{}}
	byRow := map[int64]uint64{}
	for p, id := range rows {
		s := salt(dests[p].Key)
		h.salts[p] = s
		byRow[id] = s
	}
	seen := keyset.New("", keyset.Sizes{})
	defer seen.Close()
	pairs := keyset.NewKeys(0)
	// Newest first: the first hold of an event read is its latest.
	rs, err := q.QueryContext(ctx, `SELECT r.destination, r.event_ids, `+sentTimesColumn()+` FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE o.state = 'quarantined' AND o.reason = ? AND r.id > ? ORDER BY r.id DESC`, reason, through)
	if err != nil {
		pairs.Close()
		return nil, err
	}
	defer rs.Close()
	var (
		dest       int64
		ids, times sql.RawBytes
	)
	for rs.Next() {
		if err := rs.Scan(&dest, &ids, &times); err != nil {
			pairs.Close()
			return nil, err
		}
		s, ok := byRow[dest]
		if !ok {
			continue
		}
		for i := 0; (i+1)*idLen <= len(ids); i++ {
			k := key64(ids[i*idLen:], s)
			if dup, err := seen.Seen(k, true); err != nil || dup {
				if err != nil {
					pairs.Close()
					return nil, err
				}
				continue
			}
			var at uint32
			if (i+1)*sentTimeLen <= len(times) {
				at = max(binary.BigEndian.Uint32(times[i*sentTimeLen:]), 1)
			}
			pairs.Append(k)
			pairs.Append(uint64(at))
		}
	}
	if err := rs.Err(); err != nil {
		pairs.Close()
		return nil, err
	}
	h.at = newSentAt(pairs)
	return h, nil
}
