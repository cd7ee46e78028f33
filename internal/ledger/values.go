package ledger

// Values: what each accepted Google event was worth, to restate it when
// the clinic's record changes.
//
// A visit's final bill often differs from the one sent, and a refund
// follows a complaint. Google treats an event whose transactionId it holds
// for the same conversion action as an adjustment: conversionValue and
// currency are overwritten, nothing is counted twice, and the request
// still needs "all fields required for an event, including at least one
// identifier" (developers.google.com/data-manager/api/devguides/events/
// google-ads/conversion-adjustments, "Send an adjustment" and "Supported
// fields"). No adjustment-type field exists ("You don't need to specify an
// adjustment type"): Google's own sample sends every event through the
// same IngestEventsRequest with transactionId, conversion_value, currency
// and identifiers (googleads/data-manager-python samples/events/
// ingest_events.py @ 061195f), so a restatement is hashgate's ordinary
// event encoding with the new value. So, per request, the ledger records
// for each event:
//
//   - value_keys: 12 bytes an event, in batch order — the keyed hash of
//     the value and currency it carried (eventid.ValueKeyer: 8 bytes, 0
//     for "not recorded"), and its event time in unix minutes (4 bytes),
//     which lets a run say how many events Google holds, dated inside the
//     export it read, that the export no longer has (Vanished). Never an
//     amount: whoever copies the ledger learns only that a value changed.
//   - restated: the positions (4 bytes each) of events sent again because
//     their value changed: `ledger list --run` shows them as restated.
//
// Both are columns of the request row written before sending, so the
// ledger's cost per conversion stays flat. Requests recorded before
// schema 7 have neither: their events have no value to compare with, and
// are counted as such (NoValueRecord), never restated on a guess.

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"math"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// schemaV7 adds value keys and restated positions to requests.
const schemaV7 = `ALTER TABLE requests ADD COLUMN value_keys BLOB;
	ALTER TABLE requests ADD COLUMN restated BLOB;`

// StateRestated is the display state of an event a request sent again to
// restate its value (`ledger list`, `ledger stats`).
const StateRestated = "restated"

// valueFactLen is the bytes recorded per event in value_keys.
const valueFactLen = 12

// valueFacts packs a batch's value keys and event minutes, and the
// positions of its restatements; nil when d records no values.
func valueFacts(d Destination, batch []*conversion.Conversion) (values, restated []byte) {
	if d.ValueKey == nil {
		return nil, nil
	}
	values = make([]byte, 0, valueFactLen*len(batch))
	for i, c := range batch {
		values = binary.BigEndian.AppendUint64(values, d.ValueKey(c))
		values = binary.BigEndian.AppendUint32(values, uint32(max(c.Time.Unix()/60, 0)))
		if c.Restate {
			restated = binary.BigEndian.AppendUint32(restated, uint32(i))
		}
	}
	return values, restated
}

// valueIndex is, for one destination, the latest value key and event
// minute of every event it holds, sorted by set key.
type valueIndex struct {
	keys, values []uint64
	minutes      []uint32
}

// find returns the position of key, or -1.
func (x *valueIndex) find(key uint64) int {
	i, ok := slices.BinarySearch(x.keys, key)
	if !ok {
		return -1
	}
	return i
}

// loadValues reads the value keys of d's accepted requests recorded at or
// after from (unix ms): the latest request carrying an event wins. Events
// that failed in processing are left out — Google does not hold them, so
// there is nothing to restate — and so are requests from before values
// were recorded.
func (l *Ledger) loadValues(ctx context.Context, d Destination, from int64) (*valueIndex, error) {
	failed := map[int64][]int{}
	rows, err := l.reasonRows(ctx, `c.kind = 'error' AND r.at >= ? AND d.key = ?`, from, d.Key)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		ix, _ := r.events()
		failed[r.request] = append(failed[r.request], ix...)
	}
	type entry struct {
		key, value uint64
		minute     uint32
		order      int
	}
	var all []entry
	s := salt(d.Key)
	q, err := l.db.QueryContext(ctx, `SELECT r.id, r.event_ids, r.value_keys FROM requests r JOIN destinations d ON d.id = r.destination
		JOIN outcomes o ON o.request = r.id
		WHERE o.state = 'accepted' AND r.at >= ? AND d.key = ? AND r.value_keys IS NOT NULL ORDER BY r.id`, from, d.Key)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	for q.Next() {
		var id int64
		var ids, vals []byte
		if err := q.Scan(&id, &ids, &vals); err != nil {
			return nil, err
		}
		bad := failed[id]
		for i := 0; (i+1)*idLen <= len(ids) && (i+1)*valueFactLen <= len(vals); i++ {
			if slices.Contains(bad, i) {
				continue
			}
			v := vals[i*valueFactLen:]
			all = append(all, entry{key: key64(ids[i*idLen:], s), value: binary.BigEndian.Uint64(v), minute: binary.BigEndian.Uint32(v[8:]), order: len(all)})
		}
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	slices.SortStableFunc(all, func(a, b entry) int {
		switch {
		case a.key < b.key:
			return -1
		case a.key > b.key:
			return 1
		}
		return 0
	})
	x := &valueIndex{}
	for i, e := range all {
		if i+1 < len(all) && all[i+1].key == e.key {
			continue // a later request carried it again: that one counts
		}
		x.keys = append(x.keys, e.key)
		x.values = append(x.values, e.value)
		x.minutes = append(x.minutes, e.minute)
	}
	return x, nil
}

// restateState is a Filter's restatement bookkeeping for one platform.
type restateState struct {
	index *valueIndex
	key   func(c *conversion.Conversion) uint64
	seen  *keyset.Set // set keys of this run's conversions
	// span of this run's conversions, in unix minutes
	first, last int64
	restating   int
	noRecord    int
	valueGone   int
}

// RestateCounts is what the Filter found for one platform.
type RestateCounts struct {
	// Restating: accepted before, value or currency changed since: passed
	// on to be sent again as an adjustment.
	Restating int
	// NoValueRecord: accepted before values were recorded (a ledger from
	// before schema 7): not compared, never restated on a guess.
	NoValueRecord int
	// ValueGone: accepted with a value that the export's row no longer
	// has (an emptied fee cell): not sent, since an adjustment without a
	// value changes nothing; a refund is written as 0.
	ValueGone int
	// Vanished: events the platform holds, dated within this export's
	// span, that this run's conversions no longer include — the row left
	// the export, or is now excluded. Reported, not retracted: neither
	// platform offers a retraction.
	Vanished int
}

// restateOn prepares restatement for the destinations that ask for it.
func (f *Filter) restateOn(ctx context.Context) error {
	for p, d := range f.dests {
		if !d.Restate || d.ValueKey == nil || d.Test {
			continue
		}
		x, err := f.ledger.loadValues(ctx, d, f.from.UnixMilli())
		if err != nil {
			return err
		}
		if f.restate == nil {
			f.restate = map[platform.Platform]*restateState{}
		}
		f.restate[p] = &restateState{index: x, key: d.ValueKey, seen: keyset.New("", keyset.Sizes{}), first: math.MaxInt64, last: math.MinInt64}
	}
	return nil
}

// restateCheck notes c for its platform's restatement, if it has one,
// and says whether c, accepted before (done), must be sent again because
// its value changed. c.EventID is already the id the platform holds.
func (f *Filter) restateCheck(c *conversion.Conversion, done bool) (bool, error) {
	st := f.restate[c.Platform]
	if st == nil {
		return false, nil
	}
	k, ok := idKey(c.EventID, f.keysOf(c.Platform).salt)
	if !ok {
		return false, nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := st.seen.Seen(k, true); err != nil {
		return false, err
	}
	m := c.Time.Unix() / 60
	st.first, st.last = min(st.first, m), max(st.last, m)
	if !done {
		return false, nil
	}
	i := st.index.find(k)
	if i < 0 || st.index.values[i] == 0 {
		st.noRecord++
		return false, nil
	}
	if st.index.values[i] == st.key(c) {
		return false, nil
	}
	if !c.HasValue {
		// The row lost its value (a fee cell emptied): an adjustment
		// overwrites only the fields it carries ("The updated values for
		// the fields you want to adjust", conversion-adjustments
		// devguide), so Google would keep the old one. Counted, not sent:
		// a refund is a 0, not a blank.
		st.valueGone++
		return false, nil
	}
	st.restating++
	if held := int64(st.index.minutes[i]); held > 0 && held != m {
		// An adjustment updates the value, the currency and missing user
		// data only; every other field of a matched conversion is "Not
		// updated. Google Ads keeps the value recorded in the original
		// event" (conversion-adjustments devguide, "Supported fields"). A
		// date corrected since changes nothing at Google, so the
		// adjustment goes dated as the conversion Google holds: dated as
		// the export now has it (a date corrected months back), it was
		// quarantined as too old and the new value never sent.
		c.Time = time.Unix(held*60, 0).In(c.Time.Location())
	}
	return true, nil
}

// WidenSpan widens the span Vanished counts within to first..last (unix
// seconds; 0, 0 leaves it): the export's dated rows, excluded ones
// included (pipeline.LeftOut). The conversions alone miss a visit
// cancelled after upload at either end of the export.
func (f *Filter) WidenSpan(first, last int64) {
	if first == 0 && last == 0 {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, st := range f.restate {
		st.first, st.last = min(st.first, first/60), max(st.last, last/60)
	}
}

// Restated returns what the Filter found for p's restatement (zero when
// p does not restate). Vanished is counted here, once the export has been
// read: call it after the pipeline has written every conversion.
func (f *Filter) Restated(p platform.Platform) (RestateCounts, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.restate[p]
	if st == nil {
		return RestateCounts{}, nil
	}
	out := RestateCounts{Restating: st.restating, NoValueRecord: st.noRecord, ValueGone: st.valueGone}
	for i, k := range st.index.keys {
		m := int64(st.index.minutes[i])
		if m < st.first || m > st.last {
			continue
		}
		seen, err := st.seen.Has(k)
		if err != nil {
			return out, err
		}
		if !seen {
			out.Vanished++
		}
	}
	return out, nil
}

// restatedCounts counts restated events per destination (and, with a
// run id, only that run's), in accepted requests.
func (l *Ledger) restatedCounts(ctx context.Context, runID string) (map[string]int, error) {
	where, args := ``, []any{}
	if runID != "" {
		where, args = ` AND r.run_id = ?`, []any{runID}
	}
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, coalesce(sum(length(r.restated)), 0) / 4 FROM requests r JOIN destinations d ON d.id = r.destination
		JOIN outcomes o ON o.request = r.id WHERE o.state = 'accepted' AND r.restated IS NOT NULL`+where+` GROUP BY d.key`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var d string
		var n int
		if err := rows.Scan(&d, &n); err != nil {
			return nil, err
		}
		out[d] = n
	}
	return out, rows.Err()
}

// overlayRestated marks, in a run's events (sorted by destination and
// event id), those its accepted requests sent to restate a value.
func (l *Ledger) overlayRestated(ctx context.Context, runID string, events []Event) error {
	type pos struct {
		dest string
		ids  []byte
		ix   []int
	}
	var list []pos
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, r.event_ids, r.n, r.restated FROM requests r JOIN destinations d ON d.id = r.destination
		JOIN outcomes o ON o.request = r.id WHERE r.run_id = ? AND o.state = 'accepted' AND r.restated IS NOT NULL ORDER BY r.id`, runID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var p pos
		var n int
		var blob []byte
		if err := rows.Scan(&p.dest, &p.ids, &n, &blob); err != nil {
			rows.Close()
			return err
		}
		p.ix = unpackIndices(blob, n)
		list = append(list, p)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	for _, p := range list {
		for _, i := range p.ix {
			if (i+1)*idLen > len(p.ids) {
				continue
			}
			id := hex.EncodeToString(p.ids[i*idLen : (i+1)*idLen])
			j, ok := slices.BinarySearchFunc(events, Event{Destination: p.dest, EventID: id}, compareEvents)
			if !ok {
				continue
			}
			switch events[j].State {
			case StateIngested, StateProcessed:
				events[j].State = StateRestated
			}
		}
	}
	return nil
}
