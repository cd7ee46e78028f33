package run

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// dedupWindow is the sink between the ledger's Filter and the senders
// that keeps a resend inside the deduplication window of a platform that
// has one (platform.Spec.DedupWindow; Meta: "the maximum deduplication
// window is 7 days", offline-events page). Outside the window the platform
// counts a resent event again, and the event ids no longer protect it:
//
//   - First upload: a ledger cannot know what an earlier (lost,
//     re-created) ledger sent to the destination before its own first
//     delivery there — its horizon (ledger.Horizon; tonight, while it
//     never delivered). Events dated before the horizon go only while
//     younger than Spec.DedupSafe (6 days for Meta) tonight; older ones
//     are held back as before_first_upload, recorded (so later nights hold them back too,
//     as "held back in earlier runs") and reported with what to do. A
//     property of the event, not of the run: judged by the run ("has
//     this ledger delivered?"), the second file of a split first night
//     and a backfill the next night sent history the first run kept
//     back. `upload --backfill` is the deliberate upload of history.
//   - Unconfirmed: an event left "sent" without an answer that settles
//     it — a crash, a timeout, a count the platform did not match, then
//     no acceptance — is resent only while its request is younger than
//     DedupSafe; past it the event is kept, reported, and the run exits 3
//     until a person decides (`upload --resend-unconfirmed`), unless it is
//     older than the platform takes (then it is held back as too old).
//
// Test runs (validate_only, test_event_code) count nothing, so nothing is
// held back for them.
type dedupWindow struct {
	next      sink.Sink
	before    *ledger.HeldTimes    // held back as before_first_upload in an earlier run, with the times held with
	open      *ledger.Marks        // unconfirmed, sent before the window's cut
	anyAge    *ledger.Marks        // unconfirmed, sent at any time before now
	aged      *ledger.Marks        // of anyAge, held back as too old since it was sent
	heldAgain *ledger.Marks        // of anyAge, held back as before_first_upload since it was sent
	keptOpen  *ledger.Marks        // of anyAge, kept back as unconfirmed past the window since it was sent
	obs       destination.Observer // the ledger's Recorder: records the holds
	now       time.Time
	loc       *time.Location // the clinic's, for the dates a note names
	// movedOK: --accept-moved-times, a person judged tonight's moved
	// times the same events': a hold applies to its id at any time.
	movedOK bool
	// plats holds each windowed platform's state by its index, nil for
	// one without a window: Write looks it up per conversion.
	plats [platform.Count]*windowState
	mu    sync.Mutex
}

type windowState struct {
	safe        time.Duration
	maxAge      time.Duration // older: the platform refuses it anyway (event_too_old)
	first       bool          // this ledger never delivered to the destination
	horizon     time.Time     // its first delivery there (ledger.Horizon), now while first
	backfill    bool
	resend      bool
	kept        int // held back tonight as before_first_upload
	keptEarlier int // held back as before_first_upload in an earlier run
	unconfirmed int // unconfirmed past the window, kept
	openEarlier int // of unconfirmed, kept back so by an earlier run too
	agedOut     int // unconfirmed and older than the platform takes, passed on to be held back as too old
	oldest      time.Time
}

// newDedupWindow reads from the ledger what the window needs: whether each
// destination ever took a delivery, the events held back before as
// before_first_upload, and the unconfirmed events older than the window.
func newDedupWindow(ctx context.Context, led *ledger.Ledger, dests map[platform.Platform]ledger.Destination, now time.Time, r UploadRequest, obs destination.Observer, next sink.Sink) (*dedupWindow, error) {
	w := &dedupWindow{next: next, obs: obs, now: now, loc: time.UTC, movedOK: r.AcceptMovedTimes}
	if r.Config != nil {
		w.loc = r.Config.LocationOrUTC() // the clinic's day, not UTC's (a DST review)
	}
	windowed := map[platform.Platform]ledger.Destination{}
	for p, d := range dests {
		s := p.Spec().DedupSafe()
		if s <= 0 || d.Test {
			continue
		}
		horizon, err := led.Horizon(ctx, d)
		if err != nil {
			return nil, fmt.Errorf("ledger: %w", err)
		}
		st := &windowState{safe: s, maxAge: d.MaxAge, first: horizon.IsZero(), horizon: horizon, backfill: r.Backfill, resend: r.ResendUnconfirmed}
		if st.first {
			st.horizon = now
		}
		if spec := p.Spec(); st.maxAge <= 0 || st.maxAge > spec.MaxEventAge-spec.AgeMargin {
			st.maxAge = spec.MaxEventAge - spec.AgeMargin
		}
		w.plats[p] = st
		windowed[p] = d
	}
	if len(windowed) == 0 {
		return w, nil
	}
	var err error
	w.before, err = led.HeldAt(ctx, windowed, destination.ReasonBeforeFirstUpload)
	if err != nil {
		return nil, fmt.Errorf("ledger: %w", err)
	}
	// The requests past the shortest window (Meta is the only one
	// today); and every open request, however young, for the note on
	// those that aged past the platform's limit: a request of a few days,
	// sent close to the limit, leaves its events too old to send again —
	// and of those, the ones held back as too old since, noted already.
	// One reading of the ledger for all three.
	ms, since, err := led.UnconfirmedHeld(ctx, windowed, []string{destination.ReasonTooOld, destination.ReasonBeforeFirstUpload, destination.ReasonUnconfirmedPastWindow},
		now.Add(-minSafe(&w.plats)), now.Add(time.Millisecond))
	if err != nil {
		return nil, err
	}
	w.open, w.anyAge, w.aged, w.heldAgain, w.keptOpen = ms[0], ms[1], since[0], since[1], since[2]
	return w, nil
}

func minSafe(plats *[platform.Count]*windowState) time.Duration {
	var out time.Duration
	for _, s := range plats {
		if s != nil && (out == 0 || s.safe < out) {
			out = s.safe
		}
	}
	return out
}

// Write implements sink.Sink. Conversions come from one goroutine in
// export order; the lock covers the counts apply reads.
func (w *dedupWindow) Write(c *conversion.Conversion) error {
	st := w.plats[c.Platform]
	if st == nil {
		return w.next.Write(c)
	}
	old := c.OlderThan(w.now, st.maxAge)
	if old && w.anyAge.Has(c.Platform, c.EventID) && !w.aged.Has(c.Platform, c.EventID) {
		// Said in a note, the night it is first held back: the hold
		// alone would not say it was sent. A hold from before it was
		// sent (before_first_upload) does not count.
		w.mu.Lock()
		st.agedOut++
		w.mu.Unlock()
	}
	switch {
	case !st.resend && !old && w.open.Has(c.Platform, c.EventID):
		// Sent before, answer unknown: not a first upload's history.
		// One older than the platform takes goes on, to be held back
		// as too old by the sender's pre-flight (the same limit, later
		// now): it cannot count twice, and kept here it was reported
		// every night — a hold settles no open request (ledger.settles),
		// and --resend-unconfirmed only sent it to that same hold.
		return w.keepUnconfirmed(st, c)
	case !st.backfill && w.heldBefore(c) && w.unsentSinceHold(c):
		// Held back in an earlier run — unless sent since (a backfill
		// that never learnt its answer): that one is unconfirmed, not
		// history still to backfill, and goes on as the cases above
		// and below say. The same event only: its id at the minute it
		// was held with (ledger/heldtimes.go). A new clinic system
		// numbering its appointments from 1 again made the old
		// system's held ids, and its new visits were held back as that
		// history for good, exit 0 (a review); the same id at another
		// time went through the moved-times guard (the Filter, before
		// this), which compares it with the time it was held with.
		w.mu.Lock()
		st.keptEarlier++
		w.mu.Unlock()
		return w.obs.Quarantined(c.Platform, c, destination.ReasonBeforeFirstUpload)
	case !st.backfill && c.Time.Before(st.horizon) && w.now.Sub(c.Time) >= st.safe && w.now.Sub(c.Time) <= st.maxAge && (st.first || w.unsentSinceHold(c)):
		// Dated before the horizon, and the window or more old tonight:
		// history a lost ledger may have sent, whichever run or file
		// brings it — and sent then, it is older than Meta deduplicates.
		// Dated before the horizon by less than the window (not only the
		// window or more): a lost ledger may have sent it days before
		// the horizon, and a night weeks later counted it twice
		// (TestAHistoryJustBeforeTheHorizonIsKeptOnceOld). Younger than
		// the window tonight, a resend still counts once, so it goes;
		// dated after the horizon, it is this ledger's own. Not one this
		// ledger sent since a hold (a backfill that never learnt its
		// answer): resent inside the window it counts once, and past it
		// the first case kept it. Before the hold any send was a first
		// upload's own, which did not settle it
		// (TestASendBeforeTheHoldKeepsItHeld).
		w.mu.Lock()
		st.kept++
		if st.oldest.IsZero() || c.Time.Before(st.oldest) {
			st.oldest = c.Time
		}
		w.mu.Unlock()
		return w.obs.Quarantined(c.Platform, c, destination.ReasonBeforeFirstUpload)
	}
	return w.next.Write(c)
}

// keepUnconfirmed keeps back c, unconfirmed past the window, and records
// the hold (ReasonUnconfirmedPastWindow): the night that first keeps it
// back exits 3, and the nights after, which find that hold, count it as
// kept back in an earlier run — reported, never the exit code again (as
// held_back_in_earlier_runs). Until this, every night exited 3 until the
// events left the export, and the only way out counted them twice.
func (w *dedupWindow) keepUnconfirmed(st *windowState, c *conversion.Conversion) error {
	w.mu.Lock()
	st.unconfirmed++
	if w.keptOpen.Has(c.Platform, c.EventID) {
		st.openEarlier++
	}
	w.mu.Unlock()
	return w.obs.Quarantined(c.Platform, c, destination.ReasonUnconfirmedPastWindow)
}

// heldBefore says whether c is an event held back as before_first_upload
// in an earlier run: its id at the minute it was held with. By its id
// alone, a booking — its time is booked_at, which a clinic blanks or
// rewrites (the booking then dates by its visit), and the moved-times
// guard leaves bookings out (TestMovedTimesLeaveBookingsOut) — and any
// event on a night run with --accept-moved-times: a changed timezone
// moves the held history too, and it stays the history a lost ledger may
// have sent (TestAHeldHistoryStaysHeldWhenItsTimesMove); held again
// tonight, it is held with tonight's time from then on.
func (w *dedupWindow) heldBefore(c *conversion.Conversion) bool {
	m := w.before.Match(c)
	return m == ledger.HeldSame || ((c.Booking || w.movedOK) && m == ledger.HeldElsewhen)
}

// unsentSinceHold says whether c, held back as before_first_upload in an
// earlier run, has not been sent since that hold: never sent, or sent
// before it — by a first upload whose answer never came, which may be the
// history a lost ledger sent as well — and held back again after.
func (w *dedupWindow) unsentSinceHold(c *conversion.Conversion) bool {
	return !w.anyAge.Has(c.Platform, c.EventID) || w.heldAgain.Has(c.Platform, c.EventID)
}

// Close implements sink.Sink.
func (w *dedupWindow) Close() error {
	w.before.Close()
	return w.next.Close()
}

// apply puts the window's counts into the uploads' report lines.
func (w *dedupWindow) apply(ups []report.Upload) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := range ups {
		p, err := platform.Parse(ups[i].Destination)
		if err != nil {
			continue
		}
		st := w.plats[p]
		if st == nil {
			continue
		}
		days := int(st.safe / (24 * time.Hour))
		ups[i].HeldEarlier += st.keptEarlier
		ups[i].KeptBeforeFirstUpload = st.kept
		ups[i].UnconfirmedPastWindow = st.unconfirmed
		ups[i].UnconfirmedEarlier = st.openEarlier
		ups[i].DedupSafeDays = days
		spec := p.Spec()
		if st.kept > 0 && !st.first {
			ups[i].Notes = append(ups[i].Notes, fmt.Sprintf(
				"kept back %d conversions dated before this ledger first delivered to this %s destination on %s and %d days old or older (the oldest %s): %s deduplicates a resent event only within %d days, so if an earlier ledger sent them they would count twice — history brought by a later file or night is kept back as the first night's is. If a ledger was lost, restore it (ledger.path) rather than backfill; to send this history deliberately, run once with `hashgate upload --backfill`",
				st.kept, spec.Title, st.horizon.In(w.loc).Format("2006-01-02"), days, st.oldest.In(w.loc).Format("2006-01-02"), spec.Title, int(spec.DedupWindow/(24*time.Hour))))
		}
		if st.kept > 0 && st.first {
			ups[i].Notes = append(ups[i].Notes, fmt.Sprintf(
				"kept back %d conversions %d days old or older (the oldest %s): this ledger has never delivered to this %s destination, and %s deduplicates a resent event only within %d days, so if an earlier ledger sent them they would count twice. If a ledger was lost, restore it (ledger.path) rather than backfill; to send this history deliberately, run once with `hashgate upload --backfill`",
				st.kept, days, st.oldest.In(w.loc).Format("2006-01-02"), spec.Title, spec.Title, int(spec.DedupWindow/(24*time.Hour))))
		}
		if st.agedOut > 0 {
			ups[i].Notes = append(ups[i].Notes, fmt.Sprintf(
				"%d conversions held back as too old were sent by a run that never learnt the answer: %s no longer takes them, so they were not resent. Check them in %s Events Manager",
				st.agedOut, spec.Title, spec.Title))
		}
		if st.unconfirmed > 0 {
			ups[i].Notes = append(ups[i].Notes, unconfirmedNote(st, spec, days))
		}
	}
}

// unconfirmedNote says what became of the events kept back as unconfirmed
// past the window, and the two ways to settle them.
func unconfirmedNote(st *windowState, spec *platform.Spec, days int) string {
	earlier := ""
	if st.openEarlier > 0 {
		earlier = fmt.Sprintf(" (%d of them kept back so in an earlier run too: they no longer set the exit code)", st.openEarlier)
	}
	return fmt.Sprintf(
		"%d conversions were sent by a run that never learnt the answer (a crash, a timeout, or a count %s did not match) %d or more days ago: %s deduplicates a resend only within %d days, so they were not resent%s. Check them in %s Events Manager: if they arrived, record them delivered with `hashgate ledger confirm --run ID` (`hashgate ledger list` names the run: its sent count); if they are missing, run `hashgate upload --resend-unconfirmed` (it resends them all: any that did arrive count twice)",
		st.unconfirmed, spec.Title, days, spec.Title, int(spec.DedupWindow/(24*time.Hour)), earlier, spec.Title)
}
