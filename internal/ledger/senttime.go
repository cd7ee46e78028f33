package ledger

// Sent times: the event time each event went out with, so that a resend
// of an event the platform may hold goes with that time.
//
// Meta deduplicates a physical_store event on event_time, event_name and
// its order id, within 7 days (docs/contract.md M11). The event id and the
// order id are stable; the time is the export's, and the clinic corrects
// it (a visit time edited, booked_at rewritten). An event resent — its
// request never answered, refused whole, or its processing failed with a
// reason a resend can overcome — with the time tonight's export gives it
// was, to Meta, another event: counted twice if the first had arrived.
// So, per request, the ledger records:
//
//   - sent_times: 4 bytes an event, in batch order — the event time it
//     carried, in unix seconds (Meta's event_time is unix seconds;
//     Google's eventTimestamp is RFC 3339 to the second). A column of the
//     request row written before sending, like value_keys: the ledger's
//     cost per conversion stays flat.
//
// The Filter gives an event it passes on, of a destination whose platform
// deduplicates on the event time (Destination.KeepSentTime), the time of
// the latest request that carried it and may have reached the platform
// (sentTimes). Requests recorded before schema 12 have no sent_times:
// their events keep tonight's time, counted (SentTimeCounts.Unrecorded),
// never dated on a guess.

import (
	"cmp"
	"context"
	"encoding/binary"
	"math"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// schemaV12 adds the event times each request carried.
const schemaV12 = `ALTER TABLE requests ADD COLUMN sent_times BLOB;`

// sentTimeLen is the bytes recorded per event in sent_times.
const sentTimeLen = 4

// sentTimesOf packs the event times of batch, in unix seconds, 1 at the
// least (0 reads back as "not recorded"; no platform takes such a time).
func sentTimesOf(batch []*conversion.Conversion) []byte {
	out := make([]byte, 0, sentTimeLen*len(batch))
	for _, c := range batch {
		out = binary.BigEndian.AppendUint32(out, uint32(min(max(c.Time.Unix(), 1), math.MaxUint32)))
	}
	return out
}

// sentTimesColumn is sent_times as a query reads it: NULL on a ledger the
// migration tests cut to an earlier schema.
func sentTimesColumn() string {
	if len(migrations) < 12 {
		return "NULL"
	}
	return "r.sent_times"
}

// SentTimeCounts is what the Filter did with the sent times of the
// conversions of one platform it passed on (to be sent, or held back by
// what comes after it).
type SentTimeCounts struct {
	// Kept: dated as an earlier request that may have reached the
	// platform carried them, which the export no longer gives them.
	Kept int
	// Unrecorded: left with tonight's time because the request that
	// carried them was recorded before the ledger kept sent times
	// (schema 12).
	Unrecorded int
}

// sentState is the Filter's sent-time bookkeeping.
type sentState struct {
	at     map[uint64]uint32 // set key → unix seconds; 0: carried, time not recorded
	keep   [platform.Count]bool
	counts [platform.Count]SentTimeCounts
}

// sentTimes reads, for the destinations of dests that keep sent times,
// the time each event went with in the latest request recorded at or
// after from (unix ms) that carried it and may have reached the platform:
// one never answered, one refused as a whole (a stop, retries run out:
// it may have arrived), or, of an accepted one, the events that failed
// processing with a reason a resend can overcome (resendable). An event
// a later request refused on its own (quarantined rejected_by_platform)
// is dropped: the platform holds none of it, and tonight's time is free.
// Such events are few; the map is small. Events of a request older than
// from went with a time older than the platform takes, or past its
// window: their time settles nothing.
func (l *Ledger) sentTimes(ctx context.Context, dests map[platform.Platform]Destination, from int64) (*sentState, error) {
	st := &sentState{at: map[uint64]uint32{}}
	salts := map[string]uint64{}
	for p, d := range dests {
		if d.KeepSentTime && int(p) < platform.Count {
			st.keep[p] = true
			salts[d.Key] = salt(d.Key)
		}
	}
	if len(salts) == 0 {
		return nil, nil
	}
	resend, err := l.resendable(ctx, from, math.MaxInt64)
	if err != nil {
		return nil, err
	}
	// The requests that may have reached the platform without settling
	// their events, and those refused one event at a time; then the
	// accepted ones with events to resend, asked one by one (few). All
	// applied in the order they were recorded: the latest wins.
	type sentRow struct {
		id            int64
		dest          string
		ids, times    []byte
		state, reason string
	}
	var list []sentRow
	scan := func(where string, args ...any) error {
		rows, err := l.db.QueryContext(ctx, `SELECT r.id, d.key, r.event_ids, `+sentTimesColumn()+`, coalesce(o.state, ''), coalesce(o.reason, '')
			FROM requests r JOIN destinations d ON d.id = r.destination LEFT JOIN outcomes o ON o.request = r.id
			WHERE r.sent AND `+where, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r sentRow
			if err := rows.Scan(&r.id, &r.dest, &r.ids, &r.times, &r.state, &r.reason); err != nil {
				return err
			}
			if _, ok := salts[r.dest]; ok {
				list = append(list, r)
			}
		}
		return rows.Err()
	}
	if err := scan(`r.at >= ? AND (o.request IS NULL OR o.state IN ('rejected', 'quarantined'))`, from); err != nil {
		return nil, err
	}
	for id := range resend {
		if err := scan(`r.id = ? AND o.state = 'accepted'`, id); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(list, func(a, b sentRow) int { return cmp.Compare(a.id, b.id) })
	for _, r := range list {
		s, again := salts[r.dest], resend[r.id]
		for i := 0; (i+1)*idLen <= len(r.ids); i++ {
			k := key64(r.ids[i*idLen:], s)
			switch {
			case r.state == StateQuarantined:
				if destination.RejectedByPlatform(r.reason) {
					delete(st.at, k)
				}
			case r.state == StateAccepted && (i >= len(again) || !again[i]):
			case (i+1)*sentTimeLen <= len(r.times):
				st.at[k] = max(binary.BigEndian.Uint32(r.times[i*sentTimeLen:]), 1)
			default:
				st.at[k] = 0
			}
		}
	}
	return st, nil
}

// sentTimesOn prepares the sent times of the destinations that keep them.
func (f *Filter) sentTimesOn(ctx context.Context) error {
	st, err := f.ledger.sentTimes(ctx, f.dests, f.from.UnixMilli())
	f.sent = st
	return err
}

// keepSentTime gives c, about to be passed on, the time the latest
// request that may have reached its platform carried it with (sentTimes),
// when its destination keeps sent times. c.EventID is already the id the
// platform holds.
func (f *Filter) keepSentTime(c *conversion.Conversion) {
	st := f.sent
	if st == nil || int(c.Platform) >= platform.Count || !st.keep[c.Platform] {
		return
	}
	k, ok := idKey(c.EventID, f.keysOf(c.Platform).salt)
	if !ok {
		return
	}
	s, ok := st.at[k]
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case s == 0:
		st.counts[c.Platform].Unrecorded++
	case int64(s) != c.Time.Unix():
		c.Time = time.Unix(int64(s), 0).In(c.Time.Location())
		st.counts[c.Platform].Kept++
	}
}

// SentTimes returns what the Filter did with p's sent times (zero when
// p's destination does not keep them).
func (f *Filter) SentTimes(p platform.Platform) SentTimeCounts {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.sent == nil || int(p) >= platform.Count {
		return SentTimeCounts{}
	}
	return f.sent.counts[p]
}
