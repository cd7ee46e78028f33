package ledger

// The safety net's verdict for a dry-run (HeldPeek.NewIDs): the upload's
// net (Net, newids.go) judged on the same conversions, reading the ledger
// without changing it. A clinic's history re-exported under new ids (a new
// practice-management system: C-1…C-18 for 48000–48017) stops the upload,
// and its dry-run said nothing of it (a review, session 23). Known gap: a
// ledger's ids of the earlier derivation (before schema 4) are not looked
// up under the legacy ids, so the dry-run may predict a stop there that
// the upload's dual lookup would not make.

import (
	"context"
	"database/sql"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// peekNet is what a dry-run's net collects: per destination that
// delivered before, tonight's conversions judged (the first Sample,
// bookings aside, as the upload's), those known, their date span, and the
// keys of the candidates — not accepted, dated on or before the newest
// event delivered there.
type peekNet struct {
	Net
	newest map[platform.Platform]int64 // unix ms
	seen   int
	convs  map[platform.Platform]int
	known  map[platform.Platform]int
	cands  map[platform.Platform][]uint64
	spans  map[platform.Platform]*netSpan
}

// ArmNet has the dry-run judge its conversions as an upload's net n
// would. Call it before the first Write.
func (h *HeldPeek) ArmNet(ctx context.Context, n Net) error {
	if h.guard == nil {
		return nil // a ledger before sent times: an upload migrates it first
	}
	pn := &peekNet{Net: n, newest: map[platform.Platform]int64{}, convs: map[platform.Platform]int{}, known: map[platform.Platform]int{},
		cands: map[platform.Platform][]uint64{}, spans: map[platform.Platform]*netSpan{}}
	for p, id := range h.rows {
		t, err := newestAccepted(ctx, h.tx, id)
		if err != nil {
			return err
		}
		if t.Valid {
			pn.newest[p] = t.Int64
		}
	}
	if len(pn.newest) > 0 {
		h.net = pn
	}
	return nil
}

// count counts a conversion of p (its set key; found: accepted before; at
// its time in unix seconds), as the upload's net judges it.
func (n *peekNet) count(p platform.Platform, key uint64, found bool, at int64) {
	newest, armed := n.newest[p]
	if !armed || n.seen >= n.Sample {
		return
	}
	n.seen++
	n.convs[p]++
	ms := at * time.Second.Milliseconds()
	sp, ok := n.spans[p]
	if !ok {
		sp = &netSpan{}
		n.spans[p] = sp
	}
	sp.widen(ms, !ok)
	if found {
		n.known[p]++
	} else if ms <= newest {
		n.cands[p] = append(n.cands[p], key)
	}
}

// NewIDs is the net's verdict on what was written: the destinations an
// upload with this config would stop for (Filter.decide's rule).
func (h *HeldPeek) NewIDs(ctx context.Context) ([]*NewIDsError, error) {
	n := h.net
	if n == nil {
		return nil, nil
	}
	var out []*NewIDsError
	for _, p := range platform.All {
		cands, convs := n.cands[p], n.convs[p]
		if 2*len(cands) <= convs {
			continue
		}
		id := h.rows[p]
		inSpan := -1
		span := func() (int, error) {
			if inSpan < 0 {
				sp := n.spans[p]
				v, err := acceptedInSpanOn(ctx, h.tx, id, sp.from, sp.to, max(n.Min, convs))
				if err != nil {
					return 0, err
				}
				inSpan = v
			}
			return inSpan, nil
		}
		m := n.Min
		if len(cands) < n.Min {
			in, err := span()
			if err != nil {
				return nil, err
			}
			if in > 0 {
				m = min(n.Min, in)
			}
		}
		trips := func(k int) bool { return k >= m && 2*k > convs }
		if !trips(len(cands)) {
			continue
		}
		unseen, err := h.unseen(ctx, id, h.dests[p].Key, cands)
		if err != nil {
			return nil, err
		}
		if !trips(unseen) {
			continue
		}
		var accepted sql.NullInt64
		if err := h.tx.QueryRowContext(ctx, `SELECT sum(r.n) FROM requests r JOIN outcomes o ON o.request = r.id
			WHERE r.destination = ? AND o.state = 'accepted'`, id).Scan(&accepted); err != nil {
			return nil, err
		}
		in, err := span()
		if err != nil {
			return nil, err
		}
		if known := n.known[p]; known > 0 && 2*known >= min(int(accepted.Int64), in, convs) {
			continue
		}
		out = append(out, &NewIDsError{Platform: p, Destination: h.dests[p].Key, Unseen: unseen, Conversions: convs, Newest: time.UnixMilli(n.newest[p])})
	}
	return out, nil
}

// unseen counts the keys no request of the destination of row id ever
// carried (accepted, held back, refused or unanswered).
func (h *HeldPeek) unseen(ctx context.Context, id int64, dkey string, keys []uint64) (int, error) {
	left := map[uint64]bool{}
	for _, k := range keys {
		left[k] = true
	}
	s := salt(dkey)
	rows, err := h.tx.QueryContext(ctx, `SELECT event_ids FROM requests WHERE destination = ?`, id)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var ids sql.RawBytes
	for rows.Next() && len(left) > 0 {
		if err := rows.Scan(&ids); err != nil {
			return 0, err
		}
		for i := 0; i+idLen <= len(ids); i += idLen {
			delete(left, key64(ids[i:], s))
		}
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, k := range keys {
		if left[k] {
			n++
		}
	}
	return n, nil
}

// rowQuerier is a *sql.DB or a *sql.Tx (a dry-run's read-only peek).
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// newestAccepted is the newest event time of what destination id (its row)
// accepted: where the safety net judges from, for an upload (Filter.SetNet)
// and for a dry-run's prediction of it (HeldPeek.ArmNet) alike.
func newestAccepted(ctx context.Context, q rowQuerier, id int64) (sql.NullInt64, error) {
	var t sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT max(coalesce(r.newest_event, r.at)) FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE r.destination = ? AND o.state = 'accepted'`, id).Scan(&t)
	return t, err
}
