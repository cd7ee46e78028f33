package ledger

// Sent times: the event time each event went out with, so that a resend
// of an event the platform may hold goes with that time.
//
// Meta deduplicates a physical_store event on event_time, event_name and
// its order id, within 7 days (docs/contract.md M11). The event id and the
// order id are stable; the time is the export's, and the clinic corrects
// it (a visit time edited, booked_at rewritten). An event resent after a
// request that may have arrived (left with no outcome: a timeout, a
// crash) with the time tonight's export gives it was, to Meta, another
// event: counted twice if the first had arrived.
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
// the latest request that carried it and may have reached the platform,
// within the platform's deduplication window (sentTimes). Requests recorded before schema 12 have no sent_times:
// their events keep tonight's time, counted (SentTimeCounts.Unrecorded),
// never dated on a guess.

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
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
	at     *sentAt // set key → unix seconds; 0: carried, time not recorded
	keep   [platform.Count]bool
	counts [platform.Count]SentTimeCounts
}

// sentTimes reads, for the destinations of dests that keep sent times,
// the time each event went with in the latest request that may have
// reached the platform without settling it: one left with no outcome
// (o.request IS NULL, as UnconfirmedHeld and settles read it). The
// sender records an outcome only when it knows: "rejected" when no
// attempt can have arrived (a stop such as an expired token, refusals
// until the retries ran out, a batch cut or split to be resent, a
// systemic refusal; bisection's refused parents among them) — such a
// request delivered nothing, and tonight's time is free; "accepted" or
// "quarantined" when the platform answered for the events. A test
// request (a validation: testrequests.go) counts for nothing at the
// platform, answered or not: its time binds no real send.
//
// Of an accepted request, no event is resent with a kept time: a
// processing failure a resend can overcome is reported only by a
// platform with processing statuses (Google), and Google does not
// deduplicate on the event time; Meta answers a request whole.
//
// A later request that refused an event on its own (quarantined
// rejected_by_platform) does not free an earlier open request's time:
// that refusal says nothing of whether the open request arrived, and if
// it did, Meta holds the event at the time it carried — another time is
// another event, counted twice once accepted. Keeping the time costs at
// most a resend dated as first sent, and only inside the window below.
//
// Only the requests recorded since now minus the destination's
// DedupWindow count (the request's at; 0: since from, unix ms): past it
// the platform no longer deduplicates against the first request, and a
// kept time would spare nothing (and could only age the event). Such
// events are few, but a week of nights that lost every answer is not:
// they are kept sorted outside the heap (sentAt).
func (l *Ledger) sentTimes(ctx context.Context, dests map[platform.Platform]Destination, now time.Time, from int64) (*sentState, error) {
	st := &sentState{}
	type keeping struct {
		salt uint64
		from int64
	}
	keep := map[string]keeping{}
	for p, d := range dests {
		if d.KeepSentTime && int(p) < platform.Count {
			st.keep[p] = true
			k := keeping{salt: salt(d.Key), from: from}
			if d.DedupWindow > 0 {
				k.from = now.Add(-d.DedupWindow).UnixMilli()
			}
			keep[d.Key] = k
		}
	}
	if len(keep) == 0 {
		return nil, nil
	}
	seen := keyset.New("", keyset.Sizes{})
	defer seen.Close()
	pairs := keyset.NewKeys(0)
	for dest, k := range keep {
		// Read newest first: the first time an event is read is its
		// latest request's, and later ones are passed over.
		rows, err := l.db.QueryContext(ctx, `SELECT r.event_ids, `+sentTimesColumn()+`
			FROM requests r JOIN destinations d ON d.id = r.destination LEFT JOIN outcomes o ON o.request = r.id
			WHERE `+unansweredReal()+` AND d.key = ? AND r.at >= ? ORDER BY r.id DESC`, dest, k.from)
		if err != nil {
			pairs.Close()
			return nil, err
		}
		var ids, times sql.RawBytes
		for rows.Next() {
			if err = rows.Scan(&ids, &times); err != nil {
				break
			}
			// The last of an id twice in one request is the latest.
			for i := len(ids)/idLen - 1; i >= 0; i-- {
				key := key64(ids[i*idLen:], k.salt)
				var dup bool
				if dup, err = seen.Seen(key, true); err != nil {
					break
				} else if dup {
					continue
				}
				var at uint32 // 0: carried, time not recorded
				if (i+1)*sentTimeLen <= len(times) {
					at = max(binary.BigEndian.Uint32(times[i*sentTimeLen:]), 1)
				}
				pairs.Append(key)
				pairs.Append(uint64(at))
			}
			if err != nil {
				break
			}
		}
		if err == nil {
			err = rows.Err()
		}
		rows.Close()
		if err != nil {
			pairs.Close()
			return nil, err
		}
	}
	st.at = newSentAt(pairs)
	return st, nil
}

// sentAt maps an event's set key to the time its latest request that may
// have reached the platform carried it (unix seconds; 0: not recorded): a
// sorted array of key and time pairs, 16 bytes an event outside the Go
// heap (keyset.Keys). It was a map until session 21: with the sets of the
// unconfirmed, 151 MB at 1M unanswered events (make bench-ledger).
type sentAt struct {
	own   *keyset.Keys
	pairs [][2]uint64
}

// newSentAt sorts own's pairs (key, time: two words each) by key, taking own.
func newSentAt(own *keyset.Keys) *sentAt {
	w := own.Slice()
	pairs := unsafe.Slice((*[2]uint64)(unsafe.Pointer(unsafe.SliceData(w))), len(w)/2)
	slices.SortFunc(pairs, func(a, b [2]uint64) int { return cmp.Compare(a[0], b[0]) })
	return &sentAt{own: own, pairs: pairs}
}

// get returns the time kept for key, if any.
func (s *sentAt) get(key uint64) (uint32, bool) {
	i, ok := slices.BinarySearchFunc(s.pairs, key, func(p [2]uint64, k uint64) int { return cmp.Compare(p[0], k) })
	if !ok {
		return 0, false
	}
	return uint32(s.pairs[i][1]), true
}

// len is how many events have a time kept.
func (s *sentAt) len() int { return len(s.pairs) }

// sentTimesOn prepares the sent times of the destinations that keep them.
func (f *Filter) sentTimesOn(ctx context.Context, now time.Time) error {
	st, err := f.ledger.sentTimes(ctx, f.dests, now, f.from.UnixMilli())
	f.sent = st
	return err
}

// keepSentTime gives c, about to be passed on, the time the latest
// request that may have reached its platform carried it with (sentTimes),
// when its destination keeps sent times, and counts it. c.EventID is
// already the id the platform holds. An fbc created after the kept time
// is created at it (fbcNotAfter).
//
// Counted here, as c is passed on: the safety net may hold it, but passes
// on all it held or stops the run; the dedup window (package run) and the
// sender's pre-flight may still hold it back, counted where they do.
func (f *Filter) keepSentTime(c *conversion.Conversion) {
	st := f.sent
	if st == nil || int(c.Platform) >= platform.Count || !st.keep[c.Platform] {
		return
	}
	k, ok := idKey(c.EventID, f.keysOf(c.Platform).salt)
	if !ok {
		return
	}
	s, ok := st.at.get(k)
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
		c.Formatted = fbcNotAfter(c.Formatted, c.Time)
		st.counts[c.Platform].Kept++
	}
}

// fbcNotAfter re-dates Meta's fbc (fb.1.<creation ms>.<fbclid>,
// platform.MetaFBC) at t when it was created after t: the pipeline dates
// the click at tonight's row (the earlier of the visit and booked_at), and
// a kept event time may be earlier — a click id received after the event
// it led to is one Meta may not attribute. Anything else is returned as is.
func fbcNotAfter(fbc string, t time.Time) string {
	rest, ok := strings.CutPrefix(fbc, "fb.1.")
	if !ok {
		return fbc
	}
	ms, clickID, ok := strings.Cut(rest, ".")
	if !ok {
		return fbc
	}
	created, err := strconv.ParseInt(ms, 10, 64)
	if err != nil || created <= t.UnixMilli() {
		return fbc
	}
	return platform.MetaFBC(clickID, t)
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
