package ledger

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/lowerhex"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/sink"
)

// Recorder is the destination.Observer that writes every request to the
// ledger: its events before it is sent, its outcome after. Events
// quarantined before sending are gathered and written in rows of up to
// heldMax (Flush writes the rest): losing them in a crash costs nothing,
// the next run judges them again.
type Recorder struct {
	ctx    context.Context
	ledger *Ledger
	runID  string
	dests  map[platform.Platform]Destination

	mu       sync.Mutex
	inFlight map[batchKey]Request
	held     map[platform.Platform]map[string]*heldList // platform → reason → events not sent
}

// heldList is the events held back for one reason, not yet written: their
// ids and the event times they carried (sentTimesOf's packing), so that a
// hold applies to the same event only (heldtimes.go).
type heldList struct {
	ids   []eventid.ID
	times []byte
}

// batchKey identifies a batch between Sending and Sent: the Sender passes
// the same slice to both, and a batch split after a rejection is sent as
// halves, which start at another conversion or are shorter. The first
// event's id is part of it because the address is not enough: the Sender
// reuses a done batch's memory (destination/slabs.go), and an entry whose
// Sent never came (a batch isolated after its request failed) would
// otherwise match a later batch at the same address and length, and take
// its answer.
type batchKey struct {
	p     platform.Platform
	first *conversion.Conversion
	id    eventid.ID
	n     int
}

// keyOf is batch's batchKey.
func keyOf(p platform.Platform, batch []*conversion.Conversion) batchKey {
	return batchKey{p, batch[0], batch[0].EventID, len(batch)}
}

var _ destination.Observer = (*Recorder)(nil)

// NewRecorder records the run's requests to dests, one per platform.
func NewRecorder(ctx context.Context, l *Ledger, runID string, dests map[platform.Platform]Destination) *Recorder {
	return &Recorder{ctx: ctx, ledger: l, runID: runID, dests: dests, inFlight: map[batchKey]Request{}, held: map[platform.Platform]map[string]*heldList{}}
}

func (r *Recorder) dest(p platform.Platform) (Destination, error) {
	d, ok := r.dests[p]
	if !ok {
		return d, fmt.Errorf("ledger: no destination configured for %s", p)
	}
	return d, nil
}

func ids(batch []*conversion.Conversion) []eventid.ID {
	out := make([]eventid.ID, len(batch))
	for i, c := range batch {
		out[i] = c.EventID
	}
	return out
}

// Sending implements destination.Observer.
func (r *Recorder) Sending(p platform.Platform, batch []*conversion.Conversion) error {
	d, err := r.dest(p)
	if err != nil {
		return err
	}
	values, restated := valueFacts(d, batch)
	sentTo, err := sentToOf(d, batch)
	if err != nil {
		return err
	}
	req, err := r.ledger.sending(r.ctxNC(), r.runID, d, ids(batch), time.UnixMilli(newest(batch)), values, restated, sentTo, sentTimesOf(batch))
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.inFlight[keyOf(p, batch)] = req
	r.mu.Unlock()
	return nil
}

// Sent implements destination.Observer.
func (r *Recorder) Sent(p platform.Platform, batch []*conversion.Conversion, requestID string, o destination.Outcome, reason string) error {
	state := StateAccepted
	switch o {
	case destination.Rejected:
		state = StateRejected
	case destination.Quarantined:
		state = StateQuarantined
	case destination.Validated:
		// A test receipt (validateOnly, test events) is never acceptance,
		// whatever the destination's Test flag says.
		state = StateValidated
	}
	k := keyOf(p, batch)
	r.mu.Lock()
	req, ok := r.inFlight[k]
	delete(r.inFlight, k)
	r.mu.Unlock()
	if !ok {
		return fmt.Errorf("ledger: an answer for %d %s events whose sending was not recorded", len(batch), p)
	}
	return r.ledger.Answered(r.ctxNC(), req, state, reason, requestID)
}

// heldMax is how many events quarantined before sending make one row.
const heldMax = 1 << 10

// Quarantined implements destination.Observer.
func (r *Recorder) Quarantined(p platform.Platform, c *conversion.Conversion, reason string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.held[p] == nil {
		r.held[p] = map[string]*heldList{}
	}
	h := r.held[p][reason]
	if h == nil {
		h = &heldList{}
		r.held[p][reason] = h
	}
	h.ids = append(h.ids, c.EventID)
	h.times = append(h.times, sentTimesOf([]*conversion.Conversion{c})...)
	if len(h.ids) < heldMax {
		return nil
	}
	err := r.flushLocked(p, reason)
	return err
}

func (r *Recorder) flushLocked(p platform.Platform, reason string) error {
	list := r.held[p][reason]
	if list == nil || len(list.ids) == 0 {
		return nil
	}
	delete(r.held[p], reason)
	d, err := r.dest(p)
	if err != nil {
		return err
	}
	return r.ledger.notSentAt(r.ctxNC(), r.runID, d, list.ids, list.times, StateQuarantined, reason)
}

// Flush writes the events quarantined before sending that are still held.
// Call it once the senders are closed.
func (r *Recorder) Flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var first error
	for p, byReason := range r.held {
		for reason := range byReason {
			if err := r.flushLocked(p, reason); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

// ctxNC: the records of a batch in flight must land even after an
// interrupt, or the next run would not know what this one sent.
func (r *Recorder) ctxNC() context.Context { return context.WithoutCancel(r.ctx) }

// skew is how far an event's time may run ahead of the clock that dated
// its sending (an export's time zone, a wrong PC clock) without the
// window set missing its acceptance.
const skew = 7 * 24 * time.Hour

// Filter is a sink that passes on only conversions their destination has
// not accepted before, counting the rest per platform.
//
// It loads the acceptances of the platforms' windows when it is made. The
// older ones are read only when a conversion needs them: one older than
// its window (it would not be sent, but an earlier acceptance makes it
// "already accepted" rather than "too old") loads them whole; one dated
// inside its window but missing from the window's acceptances — sent long
// ago and dated later since, or new — asks a Bloom filter of them, and is
// held until Finish when the filter cannot rule it out (oldfilter.go).
type Filter struct {
	ctx    context.Context
	ledger *Ledger
	next   sink.Sink
	dests  map[platform.Platform]Destination
	// keys holds, by platform (its index), the destination's salt and the
	// cut: events at or after it are decided by the recent set. A slice,
	// not maps: accepted reads it for every conversion of an upload.
	keys   []platformKeys
	recent keySet
	from   time.Time // the recent set holds acceptances recorded at or after
	// recentFrom: by destination key, from where its window's recent
	// acceptances start (unix ms; from is the earliest): a destination's
	// older ones, before it, are the Bloom filter's, up to oldTo (the
	// latest). A year-full ledger's Meta acceptances of 68 to 98 days ago
	// (Google's window is 90 days, Meta's 60) took 6 bytes each in the
	// recent set, and take 2 bits in the filter.
	recentFrom map[string]int64
	oldTo      int64

	mu      sync.Mutex
	old     keySet // loaded at the first old conversion
	skipped map[platform.Platform]int
	// oldMay: the acceptances recorded before from, as a Bloom filter,
	// built at the first conversion dated inside its window that the
	// recent set does not hold; pending: such conversions it could not
	// rule out (nPending of them, written by pendingCodec), held until
	// Finish; settled counts those decided so.
	oldMay       *oldBloom
	pending      []byte
	nPending     int
	pendingCodec conversion.Codec
	settled      int

	// legacyHeld: with the dual lookup on (UseLegacyIDs), the events sent
	// under ids of the earlier derivation; dual counts second lookups.
	legacyHeld keySet
	dual       int
	// legacyThrough: the last request of legacy ids the dual lookup reads;
	// legacyLazy: legacyHeld is loaded at the first conversion that needs
	// it (UseUnfoldedIDs).
	legacyThrough int64
	legacyLazy    bool
	// aliases: current id key → the legacy id the platform holds (see
	// id_aliases); newAliases are learnt by this run; destRows are the
	// destinations' row ids.
	aliases    map[uint64]eventid.ID
	newAliases []pendingAlias
	destRows   map[platform.Platform]int64
	net        *netState  // the safety net, until it has decided (SetNet)
	times      *timeGuard // the guard against moved event times (SetTimeGuard)
	// restate: per platform that restates changed values (values.go).
	restate map[platform.Platform]*restateState
	// sent: the times resent events went with (senttime.go); nil when
	// no destination keeps them.
	sent *sentState
}

var _ sink.Sink = (*Filter)(nil)

// platformKeys is a destination's salt and cut; ok when it has one.
type platformKeys struct {
	salt uint64
	cut  time.Time
	ok   bool
}

// keysOf returns p's salt and cut, ok false for a platform without a
// destination.
func (f *Filter) keysOf(p platform.Platform) platformKeys {
	if int(p) < len(f.keys) {
		return f.keys[p]
	}
	return platformKeys{}
}

// NewFilter wraps next, loading the acceptances of dests' windows.
func NewFilter(ctx context.Context, l *Ledger, dests map[platform.Platform]Destination, next sink.Sink) (*Filter, error) {
	f := &Filter{ctx: ctx, ledger: l, next: next, dests: dests, skipped: map[platform.Platform]int{}, recentFrom: map[string]int64{}}
	now := l.now()
	f.from = now
	for p, d := range dests {
		if d.MaxAge <= 0 {
			d.MaxAge = math.MaxInt64 / 4 // no window named: every acceptance is recent (73 years)
		}
		if int(p) >= len(f.keys) {
			f.keys = append(f.keys, make([]platformKeys, int(p)+1-len(f.keys))...)
		}
		f.keys[p] = platformKeys{salt: salt(d.Key), cut: now.Add(-d.MaxAge - 24*time.Hour), ok: true}
		from := now.Add(-d.MaxAge - 24*time.Hour - skew)
		if from.Before(f.from) {
			f.from = from
		}
		f.recentFrom[d.Key] = from.UnixMilli()
		f.oldTo = max(f.oldTo, from.UnixMilli())
	}
	var err error
	if f.recent, err = l.acceptedSet(ctx, dests, f.from.UnixMilli(), math.MaxInt64, &split{f.recentFrom, false}, maxSortedKeys); err != nil {
		return f, err
	}
	if err := f.restateOn(ctx); err != nil {
		return f, err
	}
	return f, f.sentTimesOn(ctx, now)
}

// acceptedWhere selects the accepted requests recorded in [from, to).
const acceptedWhere = `WHERE o.state = 'accepted' AND r.at >= ? AND r.at < ?`

// acceptedCount is how many event ids the accepted requests recorded in
// [from, to) (unix ms) carry, of every destination: a bound on the keys
// eachAccepted gives.
func (l *Ledger) acceptedCount(ctx context.Context, from, to int64) (int64, error) {
	var n int64
	err := l.db.QueryRowContext(ctx, `SELECT coalesce(sum(r.n), 0) FROM requests r JOIN outcomes o ON o.request = r.id `+acceptedWhere, from, to).Scan(&n)
	return n, err
}

// split keeps, of each destination's requests, those recorded before
// at[destination key] (unix ms), or those at or after it: a Filter's
// older and recent acceptances. A nil split keeps every request.
type split struct {
	at     map[string]int64
	before bool
}

func (sp *split) keeps(dest string, at int64) bool {
	return sp == nil || (at < sp.at[dest]) == sp.before
}

// eachAccepted calls fn with the set key of every event of dests accepted
// in a request recorded in [from, to) (unix ms) that sp keeps, leaving out
// processing failures a resend can overcome.
func (l *Ledger) eachAccepted(ctx context.Context, dests map[platform.Platform]Destination, from, to int64, sp *split, fn func(key uint64) error) error {
	salts := map[string]uint64{}
	for _, d := range dests {
		if _, err := l.destID(ctx, d.Key); err != nil { // adopts migrated rows
			return err
		}
		salts[d.Key] = salt(d.Key)
	}
	resend, err := l.resendable(ctx, from, to) // processing failures a resend can overcome
	if err != nil {
		return err
	}
	err = l.each(ctx, acceptedWhere, []any{from, to}, func(r *row) error {
		s, ok := salts[r.dest]
		if !ok || !sp.keeps(r.dest, r.at) {
			return nil
		}
		again := resend[r.id]
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			if again != nil && again[i/idLen] || erasedID(r.ids[i:]) {
				continue
			}
			if err := fn(key64(r.ids[i:], s)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("ledger: load accepted events: %w", err)
	}
	return nil
}

// acceptedSet loads the accepted events of dests recorded in [from, to)
// (unix ms) that sp keeps: into a sorted array when they number at most
// maxSorted, else into a keyset.Set.
func (l *Ledger) acceptedSet(ctx context.Context, dests map[platform.Platform]Destination, from, to int64, sp *split, maxSorted int64) (keySet, error) {
	n, err := l.acceptedCount(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var (
		keys *keyset.Keys
		big  *keyset.Set
	)
	if n <= maxSorted {
		keys = keyset.NewKeys(int(n))
	} else {
		big = keyset.New("", keyset.Sizes{})
	}
	err = l.eachAccepted(ctx, dests, from, to, sp, func(k uint64) error {
		if big == nil {
			keys.Append(k)
			return nil
		}
		_, err := big.Seen(k, true)
		return err
	})
	if err != nil {
		big.Close()
		keys.Close()
		return nil, err
	}
	if big != nil {
		return bigSet{big}, nil
	}
	return ownSortedKeys(keys), nil
}

// idKey is the set key of a hex event id; ok is false for an id that is
// not 32 hex characters (never accepted: the ledger stores none such).
func idKey(id eventid.ID, salt uint64) (uint64, bool) {
	if len(id) != eventid.Len {
		return 0, false
	}
	// The first 8 bytes big-endian, as key64 reads them: a table lookup
	// a character (lowerhex.Uint64), not a branch on each one's range.
	v, ok := lowerhex.Uint64(string(id))
	if !ok {
		return 0, false
	}
	return v ^ salt, true
}

// Write implements sink.Sink.
func (f *Filter) Write(c *conversion.Conversion) error {
	v, err := f.lookup(c)
	if err != nil {
		return err
	}
	if v == mayBeAccepted {
		return f.hold(c)
	}
	return f.pass(c, v == wasAccepted)
}

// pass counts c as already accepted (done) or passes it on, restating and
// the safety net permitting.
func (f *Filter) pass(c *conversion.Conversion, done bool) error {
	accepted := done        // before a restatement sends it again: the net counts it known
	f.noteTime(c, accepted) // the time tonight's export gives it, before a restatement redates it
	if again, err := f.restateCheck(c, done); err != nil {
		return err
	} else if again {
		c.Restate, done = true, false
	} else if !done {
		f.keepSentTime(c) // a resend goes with the time it was sent with
	}
	if f.net != nil && !f.net.decided {
		if held, err := f.judge(c, done, accepted); held || err != nil {
			return err
		}
	}
	if done {
		f.mu.Lock()
		f.skipped[c.Platform]++
		f.mu.Unlock()
		return nil
	}
	return f.next.Write(c)
}

// accepted says whether c's destination accepted id (c's, or its legacy
// one) for good — or, unless exact, that only the acceptances older than
// the window can tell (mayBeAccepted: c is held until Finish).
func (f *Filter) accepted(c *conversion.Conversion, id eventid.ID, exact bool) (verdict, error) {
	pk := f.keysOf(c.Platform)
	if !pk.ok {
		return notAccepted, nil
	}
	k, ok := idKey(id, pk.salt)
	if !ok {
		return notAccepted, nil
	}
	if f.recent == nil {
		return notAccepted, errors.New("ledger: a conversion written to the filter after Finish")
	}
	if !c.Time.Before(pk.cut) {
		// Dated inside its window, but perhaps sent long before: an
		// event's time moves later (a booking's booked_at blank or
		// rewritten, a visit's date corrected).
		if found, err := f.recent.Has(k); found || err != nil {
			return verdictOf(found), err
		}
		return f.acceptedBefore(k, exact)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.old == nil {
		if err := f.loadOld(maxSortedKeys); err != nil {
			return notAccepted, err
		}
	}
	if found, err := f.old.Has(k); found || err != nil {
		return verdictOf(found), err
	}
	found, err := f.recent.Has(k)
	return verdictOf(found), err
}

// Close closes the wrapped sink and releases the sets.
func (f *Filter) Close() error {
	err := f.next.Close()
	if aerr := f.flushAliases(context.WithoutCancel(f.ctx)); aerr != nil && err == nil {
		err = fmt.Errorf("ledger: record event id aliases: %w", aerr)
	}
	if f.recent != nil {
		f.recent.Close()
	}
	f.mu.Lock()
	if f.old != nil {
		f.old.Close()
	}
	if f.oldMay != nil {
		f.oldMay.close()
	}
	f.pending, f.nPending = nil, 0
	if f.legacyHeld != nil {
		f.legacyHeld.Close()
	}
	for _, st := range f.restate {
		st.seen.Close()
	}
	if f.times != nil {
		f.times.held.Close()
	}
	f.mu.Unlock()
	return err
}

// Skipped returns how many conversions per platform were already accepted.
func (f *Filter) Skipped(p platform.Platform) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.skipped[p]
}
