package run

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"maps"
	"slices"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/identifier"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/pipeline"
)

// CarriedByOthers is how many events of rows not listed as the patient's
// (other patient keys as written, or none) carried an e-mail address or
// a phone number her rows carry to one destination, per kind of
// identifier: a mother's e-mail and phone on her children's charts went
// to Meta with their events, and that is her personal data sent to a
// platform (a review of a family practice), though the events are
// theirs. Counts only: nothing says whose rows, keys, lines or ids they
// are. An event that carried her e-mail and her phone is counted under
// each kind.
type CarriedByOthers struct {
	// By is the kind of her identifier the events carried: "email" or
	// "phone" (identifier.Field.String).
	By          string
	Destination string
	// Sent: the events a request carrying them left for the destination
	// (ledger.Sighting.Sent), each once however many exports hold it.
	Sent int
	// States are the sent events by the state of the latest run that
	// sent each, in the words find's own lines use (ledger list --run:
	// ingested, processed, sent = unanswered, …); states counted below
	// channels.min_cell are merged into OtherStates (mergeSmallStates).
	States map[string]int
	// FewerThan, when not 0, is channels.min_cell: from 1 to one fewer
	// events were counted, and Sent and States are withheld (0, nil):
	// withholdSmall.
	FewerThan int
}

// withholdSmall withholds a count of other charts' events from 1 to
// minCell-1 (channels.min_cell, default 5; 1 turns it off), keeping 0
// exact. find's answer is handed to the patient who asked, and such a
// count is another patient's: "your phone went to Meta with 2 events of
// another chart" tells her that someone whose chart carries her phone —
// her son, her ex-partner — visited twice, where "fewer than 5" tells
// her what her access right needs (her identifier was sent, where, in
// sent events of other charts) and no more (GDPR art. 15(4): the copy
// must not adversely affect the rights of others). 0 discloses no one.
// The same threshold as the channel report's, which the clinic set for
// what leaves its own eyes; with min_cell 1 the officer sees exact
// counts. The states go with a withheld count: they would give it back.
// A count kept is told by state only where each state's count is
// min_cell or more (mergeSmallStates): "rejected: 1" of 7 was another
// chart's small count too (a review, 2026-12-07).
func withholdSmall(c []CarriedByOthers, minCell int) {
	for i := range c {
		if c[i].Sent > 0 && c[i].Sent < minCell {
			c[i].Sent, c[i].States, c[i].FewerThan = 0, nil, minCell
			continue
		}
		mergeSmallStates(c[i].States, minCell)
	}
}

// OtherStates is the state under which mergeSmallStates counts the
// states it merged: no ledger state or find word is "other".
const OtherStates = "other"

// mergeSmallStates merges the states counted from 1 to minCell-1 into
// one, OtherStates, and with them the smallest of the others until the
// merged count is minCell or more. Each small state alone as "fewer than
// 5" was no answer: the total and the other states are exact, and
// subtracting them gave the small one back; merged until it reaches
// minCell, no count below it can be read or subtracted out. The states
// sum to min_cell or more when this is called (withholdSmall), so the
// merge always ends at minCell or more.
func mergeSmallStates(states map[string]int, minCell int) {
	if !slices.ContainsFunc(slices.Collect(maps.Values(states)), func(n int) bool { return n > 0 && n < minCell }) {
		return
	}
	byCount := slices.SortedFunc(maps.Keys(states), func(a, b string) int {
		return cmp.Or(cmp.Compare(states[a], states[b]), cmp.Compare(a, b))
	})
	merged := 0
	for _, s := range byCount {
		if n := states[s]; n < minCell || merged < minCell {
			merged += n
			delete(states, s)
		}
	}
	states[OtherStates] += merged
}

// CarriedMany is one kind of identifier of which Identifiers of hers
// were each carried by rows of more than MoreThan other patient keys
// (carriedMaxOthers): a placeholder or the clinic's own contact, not
// counted; the other identifiers of hers, of this kind or the other, are
// counted on their own (CarriedByOthers).
type CarriedMany struct {
	By          string // "email" or "phone"
	Identifiers int
	MoreThan    int
}

// carriedBatch is how many event ids carriedByOthers gathers before it
// asks the ledger (ledger.Find reads every request once a call): a
// family's rows make a few, a number shared by many rows no more than
// this at once.
const carriedBatch = 1024

// carriedMaxOthers is how many other patient keys' rows may carry one
// e-mail or phone of hers before find leaves it uncounted (Found.
// CarriedMany). A family shares a contact across a few charts — a
// parent's phone on her children's, a couple's e-mail — and a large
// family or a carer's household a dozen or two; 50 is well past that.
// Past it the identifier is a placeholder (none@clinic.example,
// 0000000000) or the clinic's own contact, written on many charts:
// counting on kept every matching event's id and scanned the ledger once
// per 1024 of them, the whole clinic for a placeholder on every chart (a
// review of the day's diff, 2026-12-07), and the count would say nothing
// about her. Each identifier of hers is judged on its own: judged
// together, a placeholder e-mail on many charts hid the count for her
// real phone on her son's (a review, 2026-12-07). A row with no patient
// key counts as a key of its own (its visit's).
const carriedMaxOthers = 50

// errCarriedAllMany stops the tally's read of the exports once every
// identifier of hers is carried by more than carriedMaxOthers other
// patient keys: nothing is left to count.
var errCarriedAllMany = errors.New("every identifier carried by more than carriedMaxOthers other patient keys")

// carriedSeed keys the digests of event ids and of keyless rows' visits
// that carried holds: for this process only, never written.
var carriedSeed = maphash.MakeSeed()

// herID is one identifier of hers: its kind and digest.
type herID struct {
	field  identifier.Field
	digest uint64
}

// carried gathers CarriedByOthers over the exports' rows.
type carried struct {
	l *ledger.Ledger
	// sends: this config's destinations by ledger key, and the kinds of
	// identifier each is configured to receive now (the ledger keeps
	// none). A destination not named is another config's sharing the
	// ledger: what it receives cannot be told, so it is counted.
	sends map[string][]identifier.Field
	// others: per identifier of hers, the digests (pipeline.ExactDigest;
	// a keyless row's, of its visit) of the other patient keys whose
	// rows carry it, at most carriedMaxOthers; nil once more did (many).
	// Her identifiers are her rows' few e-mails and phones.
	others map[herID]map[uint64]struct{}
	// pending: ids not yet looked up → the event they are (a legacy id
	// is its visit's) and the kinds of her counted identifiers the row
	// carried.
	pending map[string]carriedID
	// seen: per kind and destination, the events already counted, by a
	// keyed digest of the event id — a set whose memory does not grow
	// with the events (keyset), where a map of every id did; counts: what
	// was counted.
	seen   map[kindDest]*keyset.Set
	counts map[kindDest]*CarriedByOthers
}

// kindDest is a kind of identifier at a destination.
type kindDest struct {
	field identifier.Field
	dest  string
}

// close releases the sets' memory and files.
func (c *carried) close() {
	for _, s := range c.seen {
		_ = s.Close()
	}
}

type carriedID struct {
	event string
	kinds uint32 // 1<<identifier.Field of each kind of hers the row carried
}

// carriedByOthers counts the events of the exports' rows not picked as
// the listed patients' (m.picked: a row of another key, one matching only
// under the fold without --folded, one with no key) that carry an e-mail
// address or phone number of f.ids — the listed patients' rows', made as
// the upload makes them (pipeline.RowIDs.Identifiers, identifier.
// Canonical keyed with the secret) — and that the ledger holds as sent
// (f.CarriedByOthers), per kind of identifier. Their ids are made as find
// makes hers (pipeline.EachRowIDs); ids of her own rows (hers) are not
// counted again; a row's consent cell does not matter: the question is
// what was sent, and the ledger answers it. The exports are read twice
// more, streamed: first to tell, per identifier of hers, how many other
// patient keys carry it (at most carriedMaxOthers+1 kept each); an
// identifier past carriedMaxOthers is left uncounted and said so
// (f.CarriedMany: a placeholder or the clinic's own contact, not a
// family); then to count the events of rows carrying the others — only
// her identifiers' digests are held, and the ids of a batch of matching
// rows. An export given as standard input cannot be read again: then it
// cannot be told (f.CarriedUnknown). Counts from 1 to below
// channels.min_cell are withheld (withholdSmall).
//
// `ledger erase` offers nothing for these events: they are the other
// patients' records, sent on their consent, and erasing them would erase
// another person's data on her request.
func (f *Found) carriedByOthers(ctx context.Context, env *Env, cfg *config.Config, exports []string, m *patientRows, hers map[string][]int, l *ledger.Ledger) error {
	if f.ByOrders || len(f.ids) == 0 {
		return nil
	}
	if slices.Contains(exports, "-") {
		f.CarriedUnknown = "an export read from standard input can be read once: whether rows of other patient keys carried an e-mail or phone number of theirs cannot be told; give the exports as files"
		return nil
	}
	c := &carried{l: l, sends: map[string][]identifier.Field{}, pending: map[string]carriedID{}, others: map[herID]map[uint64]struct{}{},
		seen: map[kindDest]*keyset.Set{}, counts: map[kindDest]*CarriedByOthers{}}
	defer c.close()
	for p, d := range ledgerDestinations(cfg) {
		var kinds []identifier.Field
		for _, k := range []identifier.Field{identifier.Email, identifier.Phone} {
			if slices.Contains(cfg.Destination(p).Identifiers, k.String()) {
				kinds = append(kinds, k)
			}
		}
		c.sends[d.Key] = kinds
	}
	for field, digests := range f.ids {
		for dg := range digests {
			c.others[herID{field, dg}] = map[uint64]struct{}{}
		}
	}
	for _, path := range exports {
		err := c.tally(ctx, env, cfg, path, m)
		if errors.Is(err, errCarriedAllMany) {
			break
		}
		if err != nil {
			return err
		}
	}
	// Only her identifiers carried by few enough other keys are counted.
	counted := map[identifier.Field]map[uint64]bool{}
	many := map[identifier.Field]int{}
	for id, keys := range c.others {
		if keys == nil {
			many[id.field]++
			continue
		}
		if counted[id.field] == nil {
			counted[id.field] = map[uint64]bool{}
		}
		counted[id.field][id.digest] = true
	}
	for _, k := range slices.Sorted(maps.Keys(many)) {
		f.CarriedMany = append(f.CarriedMany, CarriedMany{By: k.String(), Identifiers: many[k], MoreThan: carriedMaxOthers})
	}
	if len(counted) == 0 {
		return nil
	}
	for _, path := range exports {
		if err := c.scan(ctx, env, cfg, path, m, counted, hers); err != nil {
			return err
		}
	}
	if err := c.flush(ctx); err != nil {
		return err
	}
	for _, kd := range slices.SortedFunc(maps.Keys(c.counts), func(a, b kindDest) int {
		return cmp.Or(cmp.Compare(a.field, b.field), cmp.Compare(a.dest, b.dest))
	}) {
		f.CarriedByOthers = append(f.CarriedByOthers, *c.counts[kd])
	}
	withholdSmall(f.CarriedByOthers, cfg.Channels.MinCell)
	return nil
}

// tally counts, per identifier of hers, the other patient keys whose rows
// in the export at path carry it, up to carriedMaxOthers: one past it,
// the identifier's set is dropped (nil: many).
func (c *carried) tally(ctx context.Context, env *Env, cfg *config.Config, path string, m *patientRows) error {
	var idbuf []pipeline.RowIdentifier
	left := 0 // identifiers of hers not yet many
	for _, keys := range c.others {
		if keys != nil {
			left++
		}
	}
	return eachRowIDs(ctx, env, cfg, path, func(r pipeline.RowIDs) error {
		if !r.Order || m.picked(r) {
			return nil
		}
		idbuf = r.Identifiers(idbuf[:0])
		for _, id := range idbuf {
			h := herID{id.Field, id.Digest}
			keys, hers := c.others[h]
			if !hers || keys == nil {
				continue
			}
			other := r.PatientExact
			if other == 0 {
				other = maphash.String(carriedSeed, string(r.ID))
			}
			if _, ok := keys[other]; ok {
				continue
			}
			if len(keys) == carriedMaxOthers {
				c.others[h] = nil
				if left--; left == 0 {
					return errCarriedAllMany
				}
				continue
			}
			keys[other] = struct{}{}
		}
		return nil
	})
}

// scan gathers the ids of the rows of the export at path that are not
// picked by m and carry one of ids (her identifiers counted), looking
// them up a batch at a time.
func (c *carried) scan(ctx context.Context, env *Env, cfg *config.Config, path string, m *patientRows, ids map[identifier.Field]map[uint64]bool, hers map[string][]int) error {
	var idbuf []pipeline.RowIdentifier
	return eachRowIDs(ctx, env, cfg, path, func(r pipeline.RowIDs) error {
		if !r.Order || m.picked(r) {
			return nil
		}
		var kinds uint32
		idbuf = r.Identifiers(idbuf[:0])
		for _, id := range idbuf {
			if ids[id.Field][id.Digest] {
				kinds |= 1 << id.Field
			}
		}
		if kinds == 0 {
			return nil
		}
		// An older hashgate's id of the visit is the visit.
		for _, e := range [...]struct{ id, event string }{{string(r.ID), string(r.ID)}, {string(r.LegacyID), string(r.ID)}, {string(r.BookingID), string(r.BookingID)}, {string(r.BookingLegacyID), string(r.BookingID)}} {
			if e.id == "" || hers[e.id] != nil {
				continue
			}
			c.pending[e.id] = carriedID{event: e.event, kinds: kinds | c.pending[e.id].kinds}
		}
		if len(c.pending) >= carriedBatch {
			return c.flush(ctx)
		}
		return nil
	})
}

// flush looks the pending ids up and keeps, per kind of her identifier
// their row carried, the events sent to a destination that receives it.
func (c *carried) flush(ctx context.Context) error {
	if len(c.pending) == 0 {
		return nil
	}
	sightings, err := c.l.Find(ctx, slices.Collect(maps.Keys(c.pending)))
	if err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	// Sightings come in the order the runs recorded them: the latest
	// run's state stays. A batch's events only: at most carriedBatch ids'
	// per kind.
	type event struct {
		kindDest
		event string
	}
	latest := map[event]string{}
	for _, s := range sightings {
		id := c.pending[s.EventID]
		if !s.Sent {
			continue
		}
		for _, k := range []identifier.Field{identifier.Email, identifier.Phone} {
			if id.kinds&(1<<k) != 0 && c.receives(s.Destination, k) {
				latest[event{kindDest{k, s.Destination}, id.event}] = s.State
			}
		}
	}
	for e, state := range latest {
		set := c.seen[e.kindDest]
		if set == nil {
			set = keyset.New("", keyset.Sizes{})
			c.seen[e.kindDest] = set
			c.counts[e.kindDest] = &CarriedByOthers{By: e.field.String(), Destination: e.dest, States: map[string]int{}}
		}
		// An event a later export holds again was counted by an earlier
		// batch, with the same latest state: the ledger is the same.
		was, err := set.Seen(maphash.String(carriedSeed, e.event), true)
		if err != nil {
			return fmt.Errorf("ledger find: counting the events that carried theirs: %w", err)
		}
		if !was {
			c.counts[e.kindDest].Sent++
			c.counts[e.kindDest].States[state]++
		}
	}
	clear(c.pending)
	return nil
}

// receives reports whether dest is sent the kind of identifier k.
func (c *carried) receives(dest string, k identifier.Field) bool {
	fields, mine := c.sends[dest]
	if !mine {
		return true
	}
	return slices.Contains(fields, k)
}
