package ledger

// The guard against event times that moved under ids the ledger holds
// (TimeGuard).
//
// An event id is HMAC(secret, order id): two exports that share a ledger
// (two branches' configs with no ledger.path share the default one) and a
// secret, and that both number their appointments from 1, make the same
// ids for different visits. The second branch's visits are then "already
// accepted" and skipped for good, exit 0 — and with restate on, each
// branch's night overwrites the other's values at Google (a review of a
// chain of clinics: 5 of 5 visits lost). The ledger cannot see a chart
// number, but it knows the event time it sent each event with (sent_times,
// schema 12): a rolling export re-sent nightly carries its visits at the
// same times, night after night — a rescheduled or corrected visit is
// rare — while another export's visits that happen to share ids carry
// other times nearly always. So when most of the conversions tonight's
// export shares with what the destination accepted come back at another
// time, the run stops before anything is sent. The same stop catches the
// export's times moving wholesale (a changed timezone or time format),
// which also dates every new event wrongly.
//
// Times are compared to the minute: a restatement goes dated as Google
// holds the event, to the minute (values.go), and an export re-saved with
// its times spelt another way gives the same instants. Bookings are left
// out, as by the net: their time is booked_at, which a clinic blanks or
// rewrites (the booking then dates by its visit).

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/platform"
)

// TimeGuard is the guard's measure: it judges the first Sample
// conversions the destination accepted before (the net's sample), and a
// destination trips it when at least Min of those whose sent time the
// ledger recorded, and more than half of them, come back at another
// minute.
type TimeGuard struct {
	Min, Sample int
	// AllMin, when above 0, is the fewest that trip when every one
	// compared moved and they are at least half of tonight's
	// conversions (movedTrips).
	AllMin int
	// Warn: say what was found (MovedTimes), never stop —
	// --accept-moved-times, a run a person has checked.
	Warn bool
}

// MovedTimesError is the guard's verdict for one destination.
type MovedTimesError struct {
	Platform    platform.Platform
	Destination string
	// Moved of Compared conversions the destination accepted before come
	// back at another time than the one they were accepted with.
	Moved, Compared int
}

func (e *MovedTimesError) Error() string {
	return fmt.Sprintf("%d of the %d conversions %s accepted before come back at another event time than the one they were accepted with",
		e.Moved, e.Compared, e.Destination)
}

// MovedCount is what the guard compared for one destination: Moved of
// the Compared conversions it accepted before (those whose sent time the
// ledger recorded, among the guard's sample) come back at another minute.
// Below the stop's threshold they are skipped as accepted all the same —
// a rescheduled visit keeps the time it was sent with, and a colliding
// visit of another export is never sent — so the run report counts them
// (a review: fewer than Min collisions went by unsaid).
type MovedCount struct {
	Moved, Compared int
}

// timeGuard is a Filter's guard while it collects.
type timeGuard struct {
	TimeGuard
	through int64 // requests with ids at or below it are not compared (an accepted move)
	seen    []timedKey
	decided bool
	found   []*MovedTimesError // what tripped, when Warn
	counts  map[platform.Platform]MovedCount
	// held: the events held back as before_first_upload after through,
	// with the times they were held with (heldtimes.go); heldSeen what
	// of tonight's conversions not accepted met them with a recorded
	// time, as Moved of Compared; convs tonight's conversions, bookings
	// aside, up to the verdict (movedTrips weighs the moved against them).
	held     *HeldTimes
	heldSeen map[platform.Platform]MovedCount
	convs    map[platform.Platform]int
}

// newTimeGuard is g's state, comparing what was accepted or held back
// after request through.
func newTimeGuard(g TimeGuard, through int64) *timeGuard {
	return &timeGuard{TimeGuard: g, through: through, heldSeen: map[platform.Platform]MovedCount{}, convs: map[platform.Platform]int{}}
}

// count counts a conversion of p, not a booking, for the verdict; when its
// destination did not accept it before, and an earlier run held it back
// before the first upload with a recorded time, it is compared with that
// time: a new system's visit under an id of the old system's held history
// is another event (heldtimes.go).
func (g *timeGuard) count(p platform.Platform, key uint64, accepted bool, at int64) {
	g.convs[p]++
	if accepted {
		return
	}
	c := g.heldSeen[p]
	if c.Compared >= g.Sample {
		return
	}
	switch m, held := g.held.matchKey(key, at); {
	case m == NotHeld || held == 0:
	case m == HeldElsewhen:
		c.Moved++
		c.Compared++
	default:
		c.Compared++
	}
	g.heldSeen[p] = c
}

// timedKey is one conversion the destination accepted before: its set key
// and tonight's time, in unix minutes.
type timedKey struct {
	p      platform.Platform
	key    uint64
	minute int64
}

// eventTimesThroughKey is the meta key of the last request whose times a
// person accepted as moved (--accept-moved-times): their events are compared
// no more, or a changed timezone would stop every night until the moved
// visits left the export.
const eventTimesThroughKey = "event_times_through"

// SetTimeGuard arms the guard. Call it before the first Write; the net
// (SetNet), when armed, decides it with its own verdict, before anything
// is sent; Finish otherwise.
func (f *Filter) SetTimeGuard(ctx context.Context, g TimeGuard) error {
	var v string
	err := f.ledger.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, eventTimesThroughKey).Scan(&v)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var through int64
	if v != "" {
		if through, err = strconv.ParseInt(v, 10, 64); err != nil {
			return fmt.Errorf("meta %s: %w", eventTimesThroughKey, err)
		}
	}
	tg := newTimeGuard(g, through)
	rows, err := f.ledger.destIDs(ctx, f.dests)
	if err != nil {
		return err
	}
	if tg.held, err = heldAtOn(ctx, f.ledger.db, f.dests, rows, destination.ReasonBeforeFirstUpload, through); err != nil {
		return fmt.Errorf("ledger: read the events held back before the first upload: %w", err)
	}
	f.times = tg
	return nil
}

// noteTime keeps c for the guard: when its destination accepted it
// before, the time it carries tonight, before a restatement dates it as
// the platform holds it; when not, how it meets the holds made before the
// first upload (timeGuard.count).
func (f *Filter) noteTime(c *conversion.Conversion, accepted bool) {
	g := f.times
	if g == nil || g.decided || c.Booking || f.dests[c.Platform].Test {
		return
	}
	k, ok := idKey(c.EventID, f.keysOf(c.Platform).salt)
	if !ok {
		return
	}
	g.count(c.Platform, k, accepted, c.Time.Unix())
	if accepted && len(g.seen) < g.Sample {
		g.seen = append(g.seen, timedKey{c.Platform, k, floorDiv(c.Time.Unix(), 60)})
	}
}

// decideTimes compares what the guard collected with the times the
// ledger recorded; it returns the verdict that stops the run, or nil
// (with Warn, it keeps what tripped for MovedTimes).
func (f *Filter) decideTimes() error {
	g := f.times
	if g == nil || g.decided {
		return nil
	}
	g.decided = true
	seen := g.seen
	g.seen = nil
	found, counts, err := movedVerdicts(seen, g.heldSeen, g.convs, g.TimeGuard, !g.Warn, func(p platform.Platform) string { return f.dests[p].Key },
		func(p platform.Platform, mine []timedKey) (int, int, error) {
			moved, compared, err := f.ledger.movedTimes(f.ctx, f.dests[p], g.through, mine)
			if err != nil {
				err = fmt.Errorf("ledger: compare the event times accepted before: %w", err)
			}
			return moved, compared, err
		})
	switch {
	case err != nil:
		return err
	case !g.Warn && len(found) > 0:
		return found[0] // the stop says the counts
	}
	g.found = append(g.found, found...)
	g.counts = counts
	return nil
}

// movedVerdicts is the guard's verdict over what it collected, one
// destination at a time (an upload's Filter and a dry-run's HeldPeek
// judge alike): compare reads how many of a destination's accepted
// conversions moved, counts keeps that for each destination with any
// compared, held adds those compared with a hold's time, and movedTrips
// decides on the sum, weighing it against convs, tonight's conversions. With first,
// it stops at the first that trips.
func movedVerdicts(seen []timedKey, held map[platform.Platform]MovedCount, convs map[platform.Platform]int, g TimeGuard, first bool, key func(platform.Platform) string,
	compare func(platform.Platform, []timedKey) (moved, compared int, err error)) ([]*MovedTimesError, map[platform.Platform]MovedCount, error) {
	var out []*MovedTimesError
	counts := map[platform.Platform]MovedCount{}
	for _, p := range platform.All {
		var mine []timedKey
		for _, s := range seen {
			if s.p == p {
				mine = append(mine, s)
			}
		}
		moved, compared := held[p].Moved, held[p].Compared
		if len(mine) > 0 {
			m, c, err := compare(p, mine)
			if err != nil {
				return nil, nil, err
			}
			if c > 0 {
				// The report's count: what is skipped as accepted. A
				// held one at another time goes on (heldtimes.go).
				counts[p] = MovedCount{Moved: m, Compared: c}
			}
			moved, compared = moved+m, compared+c
		}
		if compared == 0 {
			continue
		}
		if movedTrips(g, moved, compared, convs[p]) {
			out = append(out, &MovedTimesError{Platform: p, Destination: key(p), Moved: moved, Compared: compared})
			if first {
				break
			}
		}
	}
	return out, counts, nil
}

// movedTrips is the guard's rule: at least g.Min conversions moved, and
// more than half of those compared — or, when none of those compared
// came back at its own time and they are at least half of tonight's
// conversions (convs), at least g.AllMin. An ordinary night's export
// overlaps what was sent before and brings some of it back at its own
// time; a night that brings back only known ids, every one at another
// time, is another export's visits under those ids — a new clinic system
// numbering its appointments from 1 again (a review: its first night's 3
// visits were skipped as the old system's, under the minimum) — or times
// that moved wholesale. The half keeps a night of new visits that carries
// a corrected visit or two along going through.
func movedTrips(g TimeGuard, moved, compared, convs int) bool {
	if g.AllMin > 0 && moved >= g.AllMin && moved == compared && 2*moved >= convs {
		return true
	}
	return moved >= g.Min && 2*moved > compared
}

// MovedTimes returns, after Finish, what tripped the guard in Warn mode.
func (f *Filter) MovedTimes() []*MovedTimesError {
	if f.times == nil {
		return nil
	}
	return f.times.found
}

// MovedCount returns, after a Finish that did not stop on the guard, what
// it compared for p (zero when nothing was).
func (f *Filter) MovedCount(p platform.Platform) MovedCount {
	if f.times == nil {
		return MovedCount{}
	}
	return f.times.counts[p]
}

// movedTimes reads, for keys (dest's conversions tonight, with their
// minutes), the time the latest accepted request recorded after through
// carried each with, newest first and no further than needed, and counts
// those with a recorded time (compared) and those at another minute
// (moved). A request recorded before sent times were kept (schema 12)
// compares nothing.
func (l *Ledger) movedTimes(ctx context.Context, dest Destination, through int64, keys []timedKey) (moved, compared int, err error) {
	id, err := l.destID(ctx, dest.Key)
	if err != nil {
		return 0, 0, err
	}
	return movedTimesOn(ctx, l.db, id, dest.Key, through, keys)
}

// movedTimesOn is movedTimes on q, for the destination of row id and key
// dkey: a dry-run reads a ledger it must not change (PeekHeld).
func movedTimesOn(ctx context.Context, q querier, id int64, dkey string, through int64, keys []timedKey) (moved, compared int, err error) {
	slices.SortFunc(keys, func(a, b timedKey) int { return cmp.Compare(a.key, b.key) })
	keys = slices.CompactFunc(keys, func(a, b timedKey) bool { return a.key == b.key })
	done := make([]bool, len(keys))
	left := len(keys)
	s := salt(dkey)
	rows, err := q.QueryContext(ctx, `SELECT r.event_ids, `+sentTimesColumn()+` FROM requests r JOIN outcomes o ON o.request = r.id
		WHERE r.destination = ? AND o.state = 'accepted' AND r.id > ? ORDER BY r.id DESC`, id, through)
	if err != nil {
		return 0, 0, err
	}
	defer rows.Close()
	var ids, times sql.RawBytes
	for left > 0 && rows.Next() {
		if err := rows.Scan(&ids, &times); err != nil {
			return 0, 0, err
		}
		for i := 0; (i+1)*idLen <= len(ids) && left > 0; i++ {
			j, ok := slices.BinarySearchFunc(keys, key64(ids[i*idLen:], s), func(k timedKey, key uint64) int { return cmp.Compare(k.key, key) })
			if !ok || done[j] {
				continue
			}
			done[j] = true
			left--
			if (i+1)*sentTimeLen > len(times) {
				continue // not recorded: the latest acceptance tells nothing
			}
			at := int64(binary.BigEndian.Uint32(times[i*sentTimeLen:]))
			compared++
			if floorDiv(at, 60) != keys[j].minute {
				moved++
			}
		}
	}
	return moved, compared, rows.Err()
}

// AcceptMovedTimes records that a person accepted the moved times of the
// events recorded so far (--accept-moved-times on a night the guard found
// them): the guard compares only later requests from now on.
func (l *Ledger) AcceptMovedTimes(ctx context.Context, runID string) error {
	_, err := l.db.ExecContext(ctx, `INSERT INTO meta (key, value)
		SELECT ?, CAST(coalesce(max(id), 0) AS TEXT) FROM requests WHERE run_id != ?
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, eventTimesThroughKey, runID)
	return err
}
