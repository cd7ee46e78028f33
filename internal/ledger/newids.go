package ledger

// Event ids that changed their derivation, and the safety net against ids
// that changed by mistake.
//
// Up to schema 3, hashgate made an event id from the order id as written
// (export.Row.Key): in a composite order id (chart number + visit date +
// visit time) the date's spelling was part of the id, so an export re-saved
// with 115/10/19 written as 2026-10-19 made every visit a new event. Since
// schema 4 such ids are made from the parsed appointment time
// (export.Row.OrderKey). The ledger holds only keyed ids — it cannot
// translate the old ones — so the Filter looks a conversion up under both
// (dual lookup), while requests made under the old derivation are within
// retention: meta 'legacy_ids_through' names the last of them. An event
// the platform holds under its old id keeps that id for whatever is done
// to it later (a resend after a crash, a requeue after a processing
// failure), so the platform recognises it.
//
// Each request also records the newest event time it carried
// (newest_event): the newest event already delivered to a destination is
// what the safety net (Net) compares a run's conversions with.

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// schemaV4 adds requests.newest_event (unix ms, NULL for requests recorded
// before it: their send time bounds it) and marks every request recorded so
// far as carrying ids of the earlier derivation.
//
// id_aliases maps, per destination, the id of an event under the current
// derivation to the id the platform holds it under, learnt when a dual
// lookup finds it under its legacy id: an export re-saved later (its
// dates spelt another way) has another legacy id, and only the alias then
// finds what the platform holds. One 40-byte row per event, written once,
// and only while legacy requests remain.
const schemaV4 = `ALTER TABLE requests ADD COLUMN newest_event INTEGER;
	INSERT INTO meta (key, value) SELECT 'legacy_ids_through', CAST(coalesce(max(id), 0) AS TEXT) FROM requests;
	CREATE TABLE id_aliases (
		destination INTEGER NOT NULL REFERENCES destinations (id),
		id          BLOB NOT NULL,
		legacy      BLOB NOT NULL,
		at          INTEGER NOT NULL,
		PRIMARY KEY (destination, id)
	) WITHOUT ROWID;
	CREATE INDEX id_aliases_at ON id_aliases (at);`

// newest returns the latest event time of batch, in unix ms.
func newest(batch []*conversion.Conversion) int64 {
	var t int64 = math.MinInt64
	for _, c := range batch {
		t = max(t, c.Time.UnixMilli())
	}
	return t
}

// legacyThrough is the last request whose ids were made by the earlier
// derivation (0: none).
func (l *Ledger) legacyThrough(ctx context.Context) (int64, error) {
	var v string
	err := l.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'legacy_ids_through'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// destIDs resolves dests to their row ids (adopting migrated rows).
func (l *Ledger) destIDs(ctx context.Context, dests map[platform.Platform]Destination) (map[platform.Platform]int64, error) {
	out := map[platform.Platform]int64{}
	for p, d := range dests {
		id, err := l.destID(ctx, d.Key)
		if err != nil {
			return nil, err
		}
		out[p] = id
	}
	return out, nil
}

// idSet loads the ids of dests's requests matching where (on r), any
// state, sent or not, keyed like the accepted set.
func (l *Ledger) idSet(ctx context.Context, dests map[platform.Platform]Destination, where string, args ...any) (keySet, error) {
	salts := map[string]uint64{}
	for _, d := range dests {
		salts[d.Key] = salt(d.Key)
	}
	keys := keyset.NewKeys(0)
	err := l.each(ctx, `WHERE `+where, args, func(r *row) error {
		s, ok := salts[r.dest]
		if !ok {
			return nil
		}
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			keys.Append(key64(r.ids[i:], s))
		}
		return nil
	})
	if err != nil {
		keys.Close()
		return nil, err
	}
	return ownSortedKeys(keys), nil
}

// UseLegacyIDs turns on the dual lookup, for a config whose order id joins
// several columns (a single-column one makes the same id either way). It
// costs nothing when no request of dests made under the earlier derivation
// is left in the ledger: retention has removed them, or there never were
// any. Call it before the first Write.
func (f *Filter) UseLegacyIDs(ctx context.Context) error {
	through, err := f.ledger.legacyThrough(ctx)
	if err != nil {
		return err
	}
	parts, err := f.ledger.metaThrough(ctx, "unfolded_parts_through")
	if err != nil {
		return err
	}
	// A wrapped part's formula spelling (schemaV20) is looked up as the
	// NFKC one is: lazily, nearly no conversion carries one.
	literal, err := f.ledger.literalThrough(ctx)
	if err != nil {
		return err
	}
	parts = max(parts, literal)
	switch {
	case through > 0:
		// Up to the later of the two: a conversion carries one legacy
		// id, the as-written one or, where a part folds otherwise or
		// was a text formula, the spelling of the last release
		// (pipeline eventIDs).
		return f.useLegacy(ctx, max(through, parts), false)
	case parts > 0:
		// Nearly every id is ASCII and carries no legacy id: loaded at
		// the first that does, as for single-column ids.
		return f.useLegacy(ctx, parts, true)
	}
	return nil
}

// useLegacy turns the dual lookup on for the requests up to through, when
// any of dests is left: lazy leaves the events sent under legacy ids to
// be loaded at the first conversion that needs them (loadLegacyHeld).
func (f *Filter) useLegacy(ctx context.Context, through int64, lazy bool) error {
	ids, err := f.ledger.destIDs(ctx, f.dests)
	if err != nil {
		return err
	}
	found := false
	for _, id := range ids {
		var one int
		err := f.ledger.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM requests WHERE destination = ? AND id <= ? AND sent = 1 LIMIT 1)`, id, through).Scan(&one)
		if err != nil {
			return err
		}
		found = found || one > 0
	}
	if !found {
		return nil
	}
	f.legacyThrough = through
	if lazy {
		f.legacyLazy = true
	} else if err := f.loadLegacyHeld(ctx); err != nil {
		return err
	}
	f.aliases = map[uint64]eventid.ID{}
	f.destRows = ids
	byID := map[int64]uint64{}
	for p, id := range ids {
		byID[id] = f.keysOf(p).salt
	}
	rows, err := f.ledger.db.QueryContext(ctx, `SELECT destination, id, legacy FROM id_aliases`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d int64
		var id, legacy []byte
		if err := rows.Scan(&d, &id, &legacy); err != nil {
			return err
		}
		if s, ok := byID[d]; ok && len(id) == idLen && len(legacy) == idLen {
			f.aliases[key64(id, s)] = eventid.ID(hex.EncodeToString(legacy))
		}
	}
	return rows.Err()
}

// lookup says whether c's destination already accepted it, under its id
// or, with the dual lookup on, its legacy id; an event the platform holds
// under its legacy id but has not accepted for good (sent and never
// answered, or failed in processing for a reason a resend overcomes) is
// switched to that id, so the platform recognises the resend.
//
// Without the dual lookup, an event only the older acceptances can judge
// is mayBeAccepted (Write holds it); with it, every answer is exact.
func (f *Filter) lookup(c *conversion.Conversion) (verdict, error) {
	if f.legacyHeld == nil && !f.legacyLazy || f.legacyLazy && !f.needsDual(c) {
		return f.accepted(c, c.EventID, false)
	}
	if f.legacyHeld == nil {
		if err := f.loadLegacyHeld(f.ctx); err != nil {
			return notAccepted, err
		}
	}
	done, err := f.dualLookup(c)
	return verdictOf(done), err
}

// dualLookup is lookup with the dual lookup on.
func (f *Filter) dualLookup(c *conversion.Conversion) (bool, error) {
	known := false
	if k, ok := idKey(c.EventID, f.keysOf(c.Platform).salt); ok {
		if legacy, ok := f.aliases[k]; ok {
			c.LegacyID, known = legacy, true // what the platform holds
		}
	}
	if !known {
		v, err := f.accepted(c, c.EventID, true)
		if v == wasAccepted || err != nil || c.LegacyID == "" {
			return v == wasAccepted, err
		}
	}
	f.dual++
	v, err := f.accepted(c, c.LegacyID, true)
	if err != nil {
		return false, err
	}
	done := v == wasAccepted
	held := done
	if !held {
		if k, ok := idKey(c.LegacyID, f.keysOf(c.Platform).salt); ok {
			if held, err = f.legacyHeld.Has(k); err != nil {
				return false, err
			}
		}
	}
	if held {
		if !known {
			f.alias(c, c.LegacyID)
		}
		// Its record key (pipeline.Options.RecordKeyer) was made of the id
		// it is no longer sent under: zeroed, the coverage makes the
		// legacy id's, as it did before the pipeline made keys.
		c.EventID, c.RecordKey = c.LegacyID, 0
	}
	return done, nil
}

// Net is the safety net against event ids that changed by mistake — a
// changed input.columns.order_id, a changed secret, an export whose order
// id column changed meaning: every conversion then carries an id no
// platform has seen, and would be counted again. A run stops before
// sending when, for a destination, more than half of its first Sample
// conversions (and at least Min, or the events the destination accepted
// within their dates when fewer: netspan.go) are dated on or before the newest event
// already delivered there and carry ids the ledger has never seen, under
// either derivation. Until it has decided, the Filter holds what it would
// send (at most Sample conversions, and Sample bookings), so a run that
// stops has sent nothing.
type Net struct {
	Min    int
	Sample int
	// Pass judges the ids as any night does and passes the stop, keeping
	// the verdict (NewIDsPassed): --accept-new-ids passes the net's stop,
	// not the guard's (--accept-moved-times), which must still decide
	// before anything is sent — an unarmed net sends as it goes — and the
	// night says whether the flag passed anything (left in a nightly job,
	// it passed a changed secret's every visit unsaid).
	Pass bool
}

// NewIDsError is the safety net's verdict for one destination.
type NewIDsError struct {
	Platform    platform.Platform
	Destination string
	// Unseen conversions, dated on or before Newest, among Conversions.
	Unseen, Conversions int
	// Newest is the newest event time already delivered there.
	Newest time.Time
}

func (e *NewIDsError) Error() string {
	return fmt.Sprintf("%d of %d conversions for %s are dated on or before the newest event already delivered there (%s) and carry event ids the ledger has never seen",
		e.Unseen, e.Conversions, e.Destination, e.Newest.UTC().Format(time.RFC3339))
}

// netState is a Filter's safety net while it decides.
type netState struct {
	Net
	newest map[platform.Platform]int64 // unix ms; absent: nothing delivered yet
	seen   int                         // conversions judged
	convs  map[platform.Platform]int
	known  map[platform.Platform]int // conversions the destination accepted before
	cands  []int                     // indices in held: not accepted, dated on or before newest
	held   []conversion.Conversion
	// bookings: of held, the bookings (holdBooking), at most Sample.
	bookings int
	decided  bool
	// spans: per platform, the dates of the conversions judged; inSpan
	// what the destination accepted within them (netspan.go).
	spans  map[platform.Platform]*netSpan
	inSpan map[platform.Platform]int
	passed []*NewIDsError // the stops Pass passed
}

// SetNet arms the safety net for the destinations that have delivered
// before (test destinations excepted: nothing they do counts). Call it
// before the first Write; Finish decides at the end of the export if the
// sample was not reached.
func (f *Filter) SetNet(ctx context.Context, n Net) error {
	ids, err := f.ledger.destIDs(ctx, f.dests)
	if err != nil {
		return err
	}
	st := &netState{Net: n, newest: map[platform.Platform]int64{}, convs: map[platform.Platform]int{}, known: map[platform.Platform]int{},
		spans: map[platform.Platform]*netSpan{}, inSpan: map[platform.Platform]int{}}
	for p, id := range ids {
		if f.dests[p].Test {
			continue
		}
		t, err := newestAccepted(ctx, f.ledger.db, id)
		if err != nil {
			return err
		}
		if t.Valid {
			st.newest[p] = t.Int64
		}
	}
	if len(st.newest) > 0 {
		f.net = st
	}
	return nil
}

// judge counts c for the net and holds it when it would be sent; it
// reports whether c was taken (held).
func (f *Filter) judge(c *conversion.Conversion, done, accepted bool) (bool, error) {
	n := f.net
	newest, armed := n.newest[c.Platform]
	if !armed {
		return false, nil
	}
	if c.Booking {
		return f.holdBooking(c, done)
	}
	n.seen++
	n.convs[c.Platform]++
	sp, ok := n.spans[c.Platform]
	if !ok {
		sp = &netSpan{}
		n.spans[c.Platform] = sp
	}
	sp.widen(c.Time.UnixMilli(), !ok)
	if accepted {
		n.known[c.Platform]++
	}
	if !done {
		own := *c
		own.Identifiers = slices.Clone(c.Identifiers)
		n.held = append(n.held, own)
		if c.Time.UnixMilli() <= newest {
			n.cands = append(n.cands, len(n.held)-1)
		}
	}
	if n.seen >= n.Sample {
		return !done, f.decide()
	}
	return !done, nil
}

// holdBooking holds a booking that would be sent until the net has
// decided: a night it stops sends nothing, bookings included (they went
// on at once, and a night of more than a batch of them was sent before
// the moved-times stop said "nothing was sent"). A booking is not
// judged: its id is new by nature the night conversion.bookings is
// turned on, and comes from the same order key as the visit's, whose
// id the net watches; so it counts toward neither the sample nor the
// candidates. Memory stays bounded as the sample bounds the visits
// held: at Sample bookings held the net decides on what it has seen.
func (f *Filter) holdBooking(c *conversion.Conversion, done bool) (bool, error) {
	if done {
		return false, nil
	}
	n := f.net
	own := *c
	own.Identifiers = slices.Clone(c.Identifiers)
	n.held = append(n.held, own)
	n.bookings++
	if n.bookings >= n.Sample {
		return true, f.decide()
	}
	return true, nil
}

// acceptedEvents counts the events dest accepted, over every request of
// the ledger (an event accepted twice counts twice: a bound, not a set).
func (l *Ledger) acceptedEvents(ctx context.Context, dest Destination) (int, error) {
	id, err := l.destID(ctx, dest.Key)
	if err != nil {
		return 0, err
	}
	var n sql.NullInt64
	err = l.db.QueryRowContext(ctx, `SELECT sum(r.n) FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE r.destination = ? AND o.state = 'accepted'`, id).Scan(&n)
	return int(n.Int64), err
}

// Finish decides the conversions held for the older acceptances
// (settlePending) and the safety net at the end of the export, if it has
// not, and passes on what it held. Call it once the pipeline has written
// every conversion, before closing the senders; an error means nothing
// held was sent.
func (f *Filter) Finish() error {
	f.mu.Lock()
	if f.oldMay != nil { // every conversion has been written: its work is done
		f.oldMay.close()
		f.oldMay = nil
	}
	if f.recent != nil {
		// Its work is done too, and settlePending's read of the older
		// acceptances copies every request's ids onto the heap (about
		// 50 MB of garbage on a year-full ledger, with the last batches
		// in flight: the upload's peak came there once the sets were
		// packed). A Write after Finish fails (accepted).
		f.recent.Close()
		f.recent = nil
	}
	f.mu.Unlock()
	if err := f.settlePending(false); err != nil {
		return err
	}
	if f.net == nil || f.net.decided {
		return f.decideTimes() // nothing held: an unarmed net sends as it goes
	}
	return f.decide()
}

func (f *Filter) decide() error {
	n := f.net
	n.decided = true
	held := n.held
	n.held = nil
	// Known ids whose times moved first: another export sharing this
	// ledger makes ids that are known, not new (movedtimes.go).
	if err := f.decideTimes(); err != nil {
		return err
	}
	// Cheap bound first: only when the candidates alone would trip the
	// net is the ledger's every id loaded, to tell the never-seen apart.
	by := map[platform.Platform][]*conversion.Conversion{}
	for _, i := range n.cands {
		c := &held[i]
		by[c.Platform] = append(by[c.Platform], c)
	}
	// A destination's minimum is the smaller of Min and what it accepted
	// within tonight's date span (netspan.go): 10 re-keyed conversions of
	// a clinic that delivered 10 stop. None accepted there leaves Min:
	// then tonight's conversions cannot be events delivered before.
	mins := map[platform.Platform]int{}
	trips := func(p platform.Platform, k int) bool {
		m, ok := mins[p]
		if !ok {
			m = n.Min
		}
		return k >= m && 2*k > n.convs[p]
	}
	var all keySet
	defer func() {
		if all != nil {
			all.Close()
		}
	}()
	for _, p := range platform.All {
		cands := by[p]
		if 2*len(cands) <= n.convs[p] {
			continue
		}
		if len(cands) < n.Min {
			in, err := f.inSpan(p, max(n.Min, n.convs[p]))
			if err != nil {
				return fmt.Errorf("ledger: count the events accepted within the export's dates: %w", err)
			}
			if in > 0 {
				mins[p] = min(n.Min, in)
			}
		}
		if !trips(p, len(cands)) {
			continue
		}
		if all == nil {
			var err error
			if all, err = f.ledger.idSet(f.ctx, f.dests, `1`); err != nil {
				return fmt.Errorf("ledger: load every event id: %w", err)
			}
		}
		unseen := 0
		for _, c := range cands {
			seen := false
			for _, id := range []eventid.ID{c.EventID, c.LegacyID} {
				if k, ok := idKey(id, f.keysOf(p).salt); ok {
					h, err := all.Has(k)
					if err != nil {
						return err
					}
					seen = seen || h
				}
			}
			if !seen {
				unseen++
			}
		}
		// An export whose ids changed shows none of what was delivered;
		// a run interrupted before it reached most of the export shows
		// what it delivered, and the rest is new. So the net trips only
		// when fewer than half of what the destination accepted (or of
		// tonight's conversions, if fewer) come back accepted under
		// tonight's ids: a first upload stopped after 5 of 40 left 35
		// unseen, and the net refused every night after (review,
		// 2026-12-06). What the destination accepted within tonight's
		// date span bounds it too: a small clinic's rolling export holds
		// few of the month's acceptances, and a night of late entries
		// must not stop it.
		if trips(p, unseen) {
			accepted, err := f.ledger.acceptedEvents(f.ctx, f.dests[p])
			if err != nil {
				return err
			}
			in, err := f.inSpan(p, max(n.Min, n.convs[p]))
			if err != nil {
				return fmt.Errorf("ledger: count the events accepted within the export's dates: %w", err)
			}
			if known := n.known[p]; known > 0 && 2*known >= min(accepted, in, n.convs[p]) {
				continue
			}
			ne := &NewIDsError{Platform: p, Destination: f.dests[p].Key, Unseen: unseen, Conversions: n.convs[p],
				Newest: time.UnixMilli(n.newest[p])}
			if !n.Pass {
				return ne
			}
			n.passed = append(n.passed, ne)
		}
	}
	return f.release(held)
}

// release passes on what the net held, once it has decided.
func (f *Filter) release(held []conversion.Conversion) error {
	f.net.cands = nil
	for i := range held {
		if err := f.next.Write(&held[i]); err != nil {
			return fmt.Errorf("write conversion from line %d: %w", held[i].Line, err)
		}
	}
	return nil
}

// Delivered reports whether p's destination accepted events before, as
// the armed net knows it (SetNet; test destinations excepted): false when
// the net is off or p never delivered. The check of the consent columns'
// words (package pipeline) stops only where a column worked before.
func (f *Filter) Delivered(p platform.Platform) bool {
	if f.net == nil {
		return false
	}
	_, ok := f.net.newest[p]
	return ok
}
