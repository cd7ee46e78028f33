package ledger

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/keyset"
	"github.com/hashgate/hashgate/internal/platform"
)

// Marks is a set of event ids per destination that the ledger marks one
// way — quarantined before for a settled reason, or sent and never
// answered. It is loaded once per run (one query), like the Filter's
// accepted set, and answers in a few probes.
type Marks struct {
	set   keySet
	salts map[platform.Platform]uint64
	n     int
}

// Has reports whether the event id of platform p is marked.
func (m *Marks) Has(p platform.Platform, id eventid.ID) bool {
	if m == nil || m.n == 0 {
		return false
	}
	s, ok := m.salts[p]
	if !ok {
		return false
	}
	k, ok := idKey(id, s)
	if !ok {
		return false
	}
	found, _ := m.set.Has(k) // a sorted array: never fails
	return found
}

// Len is how many (destination, event) pairs are marked.
func (m *Marks) Len() int {
	if m == nil {
		return 0
	}
	return m.n
}

// marks loads the ids of dests' requests that match where (over
// rowColumns' aliases r, d, o) and keep.
func (l *Ledger) marks(ctx context.Context, dests map[platform.Platform]Destination, where string, args []any, keep func(*row) bool) (*Marks, error) {
	m, salts, err := l.newMarks(ctx, dests)
	if err != nil {
		return nil, err
	}
	var keys []uint64
	err = l.each(ctx, where, args, func(r *row) error {
		s, ok := salts[r.dest]
		if !ok || !keep(r) {
			return nil
		}
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			keys = append(keys, key64(r.ids[i:], s))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	set := newSortedKeys(keys)
	m.set, m.n = set, len(set.keys)
	return m, nil
}

// newMarks is an empty Marks for dests, with the salts by destination key.
func (l *Ledger) newMarks(ctx context.Context, dests map[platform.Platform]Destination) (*Marks, map[string]uint64, error) {
	m := &Marks{salts: map[platform.Platform]uint64{}}
	salts := map[string]uint64{}
	for p, d := range dests {
		if _, err := l.destID(ctx, d.Key); err != nil { // adopts migrated rows
			return nil, nil, err
		}
		m.salts[p] = salt(d.Key)
		salts[d.Key] = m.salts[p]
	}
	return m, salts, nil
}

// HeldBefore marks the events of dests that an earlier run quarantined —
// before sending, or isolated from a request — for a reason settled
// reports as unable to change by itself (too old, a Purchase without a
// value, an identifier that cannot be sent). A run that holds such an
// event back again reports it as "held back in earlier runs" instead of
// as a new problem.
func (l *Ledger) HeldBefore(ctx context.Context, dests map[platform.Platform]Destination, settled func(reason string) bool) (*Marks, error) {
	return l.marks(ctx, dests, `WHERE o.state = 'quarantined'`, nil, func(r *row) bool { return settled(r.reason) })
}

// Unconfirmed marks the events of dests left "sent" — recorded before a
// request went out, with no answer after it: a crash, a kill, a request
// that timed out or whose accepted count did not match (the Sender
// answers every request the platform refused, destination/isolate.go) —
// by requests sent before the given time, and not settled by a later
// request. The Filter lets them through (an unanswered request may have
// arrived); a platform whose deduplication has a window only resends them
// inside it.
//
// A test request (a validation: testrequests.go) is never unconfirmed:
// nothing of it counts, whether it arrived or not, and the real upload
// sends its events as new.
//
// Judged per event, in the order requests were recorded: an event stays
// unconfirmed until a request after its latest unanswered one settles
// its fate at the platform — accepted it, or refused that one event
// (quarantined rejected_by_platform: the data the unanswered request
// carried is data the platform refuses). A request refused as a whole —
// a stop, retries run out, a split — settles nothing: the earlier request
// may still have arrived, and clearing it let a later night resend the
// event past the window (TestUnconfirmedIsSettledOnlyByThePlatform).
// Measured from the earliest unanswered request of all events, as this
// did before, any old unanswered request let an answer from before an
// event's own unanswered request clear it (TestUnconfirmedIsJudgedPerEvent).
func (l *Ledger) Unconfirmed(ctx context.Context, dests map[platform.Platform]Destination, before time.Time) (*Marks, error) {
	ms, err := l.UnconfirmedBefore(ctx, dests, before)
	if err != nil {
		return nil, err
	}
	return ms[0], nil
}

// UnconfirmedBefore is Unconfirmed for each of the times given, from one
// reading of the ledger (the dedup window asks for requests past its safe
// age and for every open one).
func (l *Ledger) UnconfirmedBefore(ctx context.Context, dests map[platform.Platform]Destination, befores ...time.Time) ([]*Marks, error) {
	open, _, err := l.UnconfirmedHeld(ctx, dests, nil, befores...)
	return open, err
}

// UnconfirmedHeld is UnconfirmedBefore, and with it, for each of reasons,
// the events of the last time's set whose latest unanswered request was
// followed by a quarantine for that reason: held back since they were
// sent. Which came last decides, by the order rows were recorded. The
// dedup window notes an event that aged past what the platform takes
// once, the night it is first held back as too old — judging by any hold
// in the ledger missed one held back before it was sent
// (TestAgedOutAfterAnEarlierHoldIsNoted) — and holds back as history an
// event held before_first_upload unless it was sent after that hold: sent
// before it, by a first upload whose answer never came, it may be the
// history a lost ledger sent (TestASendBeforeTheHoldKeepsItHeld).
//
// The requests are read once, newest first: of those that carry an event,
// the first that is either unanswered (and old enough for a cut) or
// settles it decides whether it is open at that cut, and a hold read
// before that unanswered one came after it. Memory is a keyset per cut
// and per reason (bounded, spilling to disk) and the sets returned, 8
// bytes an event outside the heap (6 from packMin up). Until session 21
// each cut kept a map of every open event to its request: 151 MB with the
// sent times at 1M unanswered events (make bench-ledger).
func (l *Ledger) UnconfirmedHeld(ctx context.Context, dests map[platform.Platform]Destination, reasons []string, befores ...time.Time) ([]*Marks, []*Marks, error) {
	m, salts, err := l.newMarks(ctx, dests)
	if err != nil {
		return nil, nil, err
	}
	cuts := make([]int64, len(befores))
	last, lastAt := int64(math.MinInt64), -1
	for j, b := range befores {
		cuts[j] = b.UnixMilli()
		if cuts[j] > last {
			last, lastAt = cuts[j], j
		}
	}
	// A request dated more than a day ahead of now was recorded by a clock
	// running fast: when it really went is unknown, so it counts as older
	// than every cut — held, not resent past a window it may be past
	// (a session's note: a night a year fast left requests the next
	// nights always took for young).
	ahead := l.now().Add(futureSlack).UnixMilli()
	u := newUnconfirmedScan(len(befores), len(reasons))
	defer u.close()
	var first sql.NullInt64
	err = l.db.QueryRowContext(ctx, `SELECT min(r.id) FROM requests r LEFT JOIN outcomes o ON o.request = r.id
		WHERE `+unansweredReal()+` AND (r.at < ? OR r.at > ?)`, last, ahead).Scan(&first)
	if err == nil && first.Valid {
		// A row with no outcome is here only as an unanswered one.
		err = l.each(ctx, `WHERE r.id >= ? AND ((`+unansweredReal()+` AND (r.at < ? OR r.at > ?)) OR o.request IS NOT NULL) ORDER BY r.id DESC`,
			[]any{first.Int64, last, ahead}, func(r *row) error {
				s, ok := salts[r.dest]
				if !ok {
					return nil
				}
				switch {
				case r.sent && r.state == StateSent:
					for j := range cuts {
						if r.at >= cuts[j] && r.at <= ahead {
							continue
						}
						if err := u.open(r.ids, s, j, j == lastAt); err != nil {
							return err
						}
					}
				case settles(r):
					return u.settled(r.ids, s)
				case lastAt >= 0 && r.state == StateQuarantined:
					if j := slices.Index(reasons, r.reason); j >= 0 {
						return u.held(r.ids, s, j, lastAt)
					}
				}
				return nil
			})
	}
	if err != nil {
		return nil, nil, fmt.Errorf("ledger: %w", err)
	}
	out := make([]*Marks, len(cuts))
	for j, keys := range u.out {
		set := ownSortedKeys(keys)
		u.out[j] = nil
		out[j] = &Marks{salts: m.salts, set: set, n: set.len()}
	}
	since := make([]*Marks, len(reasons))
	for j, keys := range u.since {
		set := ownSortedKeys(keys)
		u.since[j] = nil
		since[j] = &Marks{salts: m.salts, set: set, n: set.len()}
	}
	return out, since, nil
}

// unconfirmedScan is what UnconfirmedHeld keeps as it reads the requests
// newest first: per cut, the events decided (open or settled) and those
// found open; per reason, the events held for it and not yet decided, and
// those found open since such a hold.
type unconfirmedScan struct {
	decided []*keyset.Set
	out     []*keyset.Keys
	holds   []*keyset.Set
	since   []*keyset.Keys
}

func newUnconfirmedScan(cuts, reasons int) *unconfirmedScan {
	u := &unconfirmedScan{}
	for range cuts {
		u.decided = append(u.decided, keyset.New("", keyset.Sizes{}))
		u.out = append(u.out, keyset.NewKeys(0))
	}
	for range reasons {
		u.holds = append(u.holds, keyset.New("", keyset.Sizes{}))
		u.since = append(u.since, keyset.NewKeys(0))
	}
	return u
}

// open: ids were sent in a request old enough for cut j, left unanswered.
// At the last cut, an event open there and held since is noted.
func (u *unconfirmedScan) open(ids []byte, s uint64, j int, lastCut bool) error {
	for i := 0; i+idLen <= len(ids); i += idLen {
		k := key64(ids[i:], s)
		decided, err := u.decided[j].Seen(k, true)
		if err != nil || decided {
			if err != nil {
				return err
			}
			continue
		}
		u.out[j].Append(k)
		if !lastCut {
			continue
		}
		for h, hs := range u.holds {
			if held, err := hs.Has(k); err != nil {
				return err
			} else if held {
				u.since[h].Append(k)
			}
		}
	}
	return nil
}

// settled: a request settled ids (settles) at every cut still undecided.
func (u *unconfirmedScan) settled(ids []byte, s uint64) error {
	for i := 0; i+idLen <= len(ids); i += idLen {
		k := key64(ids[i:], s)
		for _, d := range u.decided {
			if _, err := d.Seen(k, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// held: ids were held back for reason h; those the last cut has not
// decided yet may have been sent, unanswered, before it.
func (u *unconfirmedScan) held(ids []byte, s uint64, h, lastCut int) error {
	for i := 0; i+idLen <= len(ids); i += idLen {
		k := key64(ids[i:], s)
		decided, err := u.decided[lastCut].Has(k)
		if err == nil && !decided {
			_, err = u.holds[h].Seen(k, true)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (u *unconfirmedScan) close() {
	for _, s := range append(u.decided, u.holds...) {
		s.Close()
	}
	for _, k := range append(u.out, u.since...) {
		k.Close() // nil once taken
	}
}

// settles: r's answer says what became of its events at the platform —
// accepted, or refused one by one — so an earlier unanswered request of
// them no longer leaves them possibly ingested.
func settles(r *row) bool {
	switch r.state {
	case StateAccepted:
		return true
	case StateQuarantined:
		return destination.RejectedByPlatform(r.reason)
	}
	return false
}

// futureSlack is how far ahead of now a request may be dated and still be
// taken at its word: a clock stepped back by NTP, a minute's skew between
// two machines sharing a ledger.
const futureSlack = 24 * time.Hour
