package ledger

import (
	"context"
	"database/sql"
	"encoding/binary"
	"time"

	"github.com/hashgate/hashgate/internal/platform"
)

// The safety net's measure of a small clinic (Net): its minimum of
// NewIDsMin unseen conversions let a clinic whose export holds fewer
// visits than that resend them all under a changed secret or re-keyed
// order ids, exit 0 (a review: 18 visits sent twice to both platforms).
// What tonight's export can show of what was delivered is the events the
// destination accepted within tonight's date span, so the net's minimum
// for a destination is the smaller of Min and that number, and its guard
// for interrupted uploads compares the conversions known with it.

// netSpan is the date span of the conversions the net judged for one
// platform, in unix ms.
type netSpan struct{ from, to int64 }

// widen takes t (unix ms) into the span.
func (s *netSpan) widen(t int64, first bool) {
	if first || t < s.from {
		s.from = t
	}
	if first || t > s.to {
		s.to = t
	}
}

// inSpan returns how many events of p's destination the destination
// accepted, dated within the span of tonight's conversions (at most
// limit: the caller needs no more), once per platform.
func (f *Filter) inSpan(p platform.Platform, limit int) (int, error) {
	n := f.net
	if v, ok := n.inSpan[p]; ok {
		return v, nil
	}
	s := n.spans[p]
	v, err := f.ledger.acceptedInSpan(f.ctx, f.dests[p], s.from, s.to, limit)
	if err != nil {
		return 0, err
	}
	n.inSpan[p] = v
	return v, nil
}

// acceptedInSpan counts the distinct events dest accepted whose event
// time, as sent (sent_times, schema 12), lies within [from, to] (unix
// ms), stopping at limit. A request recorded before sent times were kept
// counts every event it carried when its newest event is on or after
// from: a bound, which leaves the net as it was before it measured spans.
func (l *Ledger) acceptedInSpan(ctx context.Context, dest Destination, from, to int64, limit int) (int, error) {
	id, err := l.destID(ctx, dest.Key)
	if err != nil {
		return 0, err
	}
	return acceptedInSpanOn(ctx, l.db, id, from, to, limit)
}

// acceptedInSpanOn is acceptedInSpan on q, for the destination of row id:
// a dry-run reads a ledger it must not change (HeldPeek.NewIDs).
func acceptedInSpanOn(ctx context.Context, q querier, id, from, to int64, limit int) (int, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.event_ids, `+sentTimesColumn()+` FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE r.destination = ? AND o.state = 'accepted' AND coalesce(r.newest_event, r.at) >= ?`, id, from)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	// Sent times are unix seconds, the span's ends unix ms.
	ms := time.Second.Milliseconds()
	fromS, toS := floorDiv(from, ms), floorDiv(to, ms)
	seen := map[[idLen]byte]struct{}{}
	var ids, times sql.RawBytes
	for rows.Next() && len(seen) < limit {
		if err := rows.Scan(&ids, &times); err != nil {
			return 0, err
		}
		for i := 0; i+idLen <= len(ids) && len(seen) < limit; i += idLen {
			if at := (i / idLen) * sentTimeLen; at+sentTimeLen <= len(times) {
				t := int64(binary.BigEndian.Uint32(times[at:]))
				if t < fromS || t > toS {
					continue
				}
			}
			seen[[idLen]byte(ids[i:i+idLen])] = struct{}{}
		}
	}
	return len(seen), rows.Err()
}

// floorDiv is a / b rounded toward minus infinity.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// NewIDsPassed is the verdict of a net that passes its stop (Net.Pass):
// the destinations it would have stopped for, once it has decided; nil
// when it tripped for none, is off, or has not decided.
func (f *Filter) NewIDsPassed() []*NewIDsError {
	if f.net == nil || !f.net.decided {
		return nil
	}
	return f.net.passed
}
