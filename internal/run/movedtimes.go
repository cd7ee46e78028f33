package run

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/hashgate/hashgate/internal/config"
	"github.com/hashgate/hashgate/internal/conversion"
	"github.com/hashgate/hashgate/internal/eventid"
	"github.com/hashgate/hashgate/internal/ledger"
	"github.com/hashgate/hashgate/internal/platform"
	"github.com/hashgate/hashgate/internal/report"
	"github.com/hashgate/hashgate/internal/sink"
)

// The guard against event times that moved under ids the ledger holds
// (ledger/movedtimes.go): two exports sharing one ledger and one secret,
// both numbering their appointments from 1, take each other's event ids,
// and the second export's visits were skipped as "already ingested in
// earlier runs", exit 0 (a review of a chain of clinics: two branches, ids
// 1–6 and 1–5, lost the second branch's 5 visits; with restate on, each
// night overwrote the other branch's values at Google). The ledger knows
// the event time it sent each event with; a nightly export brings its
// visits back at those times, another export's colliding ids nearly never.
//
// movedTimesMin is the fewest conversions at another time that stop a
// destination (and more than half of those the ledger recorded a time
// for must have moved): the review's branch had 5 visits. Legitimate
// nights stay far below: a rescheduled visit is one of many a rolling
// export re-sends, a re-saved export's times spelt otherwise are the same
// instants, a DST night changes no instant, and bookings, whose booked_at
// a clinic blanks, are not compared (TestMovedTimesLetOrdinaryNightsThrough).
const movedTimesMin = 5

// movedTimesAllMin is the fewest that stop a destination when none of
// the conversions compared comes back at its own time and they make at
// least half of tonight's (ledger.TimeGuard.AllMin). A clinic whose new
// practice-management system numbered its appointments from 1 again
// brought 3 visits its first night, all under the old system's ids at
// other times: under movedTimesMin they were skipped as already sent,
// lost, exit 0 (a review). An ordinary export overlaps what was sent and
// brings some of it back at its own time; 2, not 1: a lone visit whose
// date was corrected, re-exported alone, is an ordinary night
// (TestAVisitWhoseDateIsCorrectedLaterIsNotSentAgain).
const movedTimesAllMin = 2

// armNetAndGuard arms the safety net against changed ids (newids.go)
// and the guard on filter for r: the guard stops before anything is
// sent, or with --accept-moved-times warns after the run
// (movedTimesAccepted). --accept-new-ids, which passes every other stop,
// does not pass this one: an analyst who met it on a chain's second
// branch passed the flag they knew, and the branch's colliding visits
// stayed skipped for good, exit 0 (a docs review). Under it the net still
// holds its sample until the guard has decided (unarmed, it sends as it
// goes, and the stop would come after the sending), and judges the ids,
// passing its stop (ledger.Net.Pass), so that the night can say whether
// the flag passed anything (acceptance.say), both flags given or not.
func armNetAndGuard(ctx context.Context, filter *ledger.Filter, r UploadRequest) error {
	if err := filter.SetNet(ctx, ledger.Net{Min: newIDsMin, Sample: newIDsSample, Pass: r.AcceptNewIDs}); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return armTimeGuard(ctx, filter, r.AcceptMovedTimes)
}

// armTimeGuard arms the guard on filter, to warn only when accept.
func armTimeGuard(ctx context.Context, filter *ledger.Filter, accept bool) error {
	if err := filter.SetTimeGuard(ctx, ledger.TimeGuard{Min: movedTimesMin, AllMin: movedTimesAllMin, Sample: newIDsSample, Warn: accept}); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return nil
}

// movedTimesStop turns the guard's verdict into the config error that
// names the three causes; other errors pass unchanged.
func movedTimesStop(lpath string, err error) error {
	var me *ledger.MovedTimesError
	if !errors.As(err, &me) {
		return err
	}
	return &config.Error{Key: "ledger.path", Problem: fmt.Sprintf(
		"%d of the %d conversions for %s that the ledger (%s) holds as accepted, or as held back before the first upload, come back at another event time than the one they were recorded with; nothing was sent. %s %s",
		me.Moved, me.Compared, me.Destination, lpath, movedTimesCauses, movedTimesPass)}
}

// movedTimesPass is what the stop and the dry-run say passes it, and
// when that is wrong.
const movedTimesPass = "If the same visits' times really moved (a changed timezone or time format), run `hashgate upload --accept-moved-times` once " +
	"(--accept-new-ids does not pass it; a night that trips another stop too needs both). Never for another export sharing this ledger, " +
	"nor for a new clinic system: their colliding visits would stay skipped as already sent, and the check would stop comparing"

// movedTimesCauses is what the stop and the warnings say can cause it,
// each with its way out. Three causes, not two: a clinic that changed its
// practice-management software mid-year, whose new system numbers its
// appointments from 1 again, met this stop naming only another branch and
// moved times, and followed the first remedy — a ledger and secret of its
// own — which sent the migrated history again (Google 18 → 36: a review).
// What works there is an order id the old system never made, on the same
// ledger and secret: the id and the appointment time (README, Known ids at
// other times).
const movedTimesCauses = "One of three causes. " +
	"(1) a new clinic system numbering its appointments from 1 again (a changed practice-management software) gives its visits the old system's ids: " +
	"keep this ledger and HASHGATE_SECRET, and make the order id composite with the appointment time (input.columns.order_id: [<id column>, <appointment-time column>]), " +
	"which sends each new visit once and nothing again; a new ledger would send any history the new system migrated again. " +
	"(2) another export whose order ids overlap this one's (another branch numbering its appointments from 1) shares this ledger and secret: " +
	"their visits take each other's event ids, and one export's are skipped as already sent — give each export its own ledger.path " +
	"(configs without one share $XDG_STATE_HOME/hashgate/ledger.db) and its own HASHGATE_SECRET. " +
	"(3) this export's times moved: check timezone and the appointment-time column's format against the last upload's."

// movedTimesAccepted warns of what the guard found on a run that passed
// --accept-moved-times and, when the run read its export (keep), records that
// the times of the events recorded so far were accepted: later nights
// compare only what is sent from now on. A run that passed the flag and
// found nothing to pass says so: the flag is for one night, and left in a
// nightly job it would pass a later real collision (another branch's
// export sharing the ledger) with only a log line.
func movedTimesAccepted(ctx context.Context, env *Env, led *ledger.Ledger, filter *ledger.Filter, runID string, keep, asked bool) {
	found := filter.MovedTimes()
	if asked && len(found) == 0 {
		env.Logger.Warn("--accept-moved-times passed nothing tonight: no conversions came back at another event time. It is for one night; remove it from a nightly job, where it would let another export sharing this ledger through unseen")
	}
	for _, me := range found {
		env.Logger.Warn("conversions the ledger holds as accepted came back at another event time; sent as --accept-moved-times asked. "+movedTimesCauses,
			"destination", me.Destination, "moved", me.Moved, "compared", me.Compared)
	}
	if len(found) == 0 || !keep {
		return
	}
	if err := led.AcceptMovedTimes(context.WithoutCancel(ctx), runID); err != nil {
		env.Logger.Warn("could not record that the moved event times were accepted; the next upload stops on them again", "error", err)
	}
}

// peekHeld opens the uploads' ledger for a dry-run's count of what it
// already holds (ledger.HeldPeek): nil when there is none, when the
// dry-run runs on the demo key (its ids are no upload's), or when it
// cannot be read (rememberedWithdrawals says so).
func peekHeld(ctx context.Context, env *Env, cfg *config.Config, demo bool) (*ledger.HeldPeek, string) {
	if demo {
		return nil, ""
	}
	lpath, err := LedgerPath(env, cfg)
	if err != nil {
		return nil, ""
	}
	peek, err := ledger.PeekHeld(ctx, lpath, ledgerDestinations(cfg), ledger.TimeGuard{Min: movedTimesMin, AllMin: movedTimesAllMin, Sample: newIDsSample})
	if err != nil {
		return nil, ""
	}
	if err := peek.ArmNet(ctx, ledger.Net{Min: newIDsMin, Sample: newIDsSample}); err != nil {
		env.Logger.Warn("could not read what the ledger delivered for the safety net's prediction", "error", err)
	}
	return peek, lpath
}

// sayHeld puts into a dry-run's summary how many of its conversions the
// ledger already holds as accepted (an upload skips them), and warns as
// the upload stops when their times moved.
func sayHeld(ctx context.Context, env *Env, cfg *config.Config, sum *report.Summary, peek *ledger.HeldPeek, lpath string) {
	if peek == nil {
		return
	}
	found, counts, err := peek.MovedTimes(ctx)
	if err != nil {
		env.Logger.Warn("could not compare the event times the ledger holds", "error", err)
	}
	for _, p := range cfg.Enabled() {
		held, n := peek.Held(p)
		if held == 0 {
			continue
		}
		moved := ""
		// A destination an upload would stop for is said below, once.
		if c := counts[p]; c.Moved > 0 && !slices.ContainsFunc(found, func(me *ledger.MovedTimesError) bool { return me.Platform == p }) {
			moved = fmt.Sprintf(" (%d of the %d compared at another event time than they were sent with)", c.Moved, c.Compared)
		}
		sum.Notices = append(sum.Notices, fmt.Sprintf("the ledger %s already holds %d of %s's %d conversions as accepted%s: an upload would skip them, not send them again", DisplayPath(lpath), held, p, n, moved))
	}
	sayNewIDs(ctx, env, cfg, peek) // the safety net's stop (peeknet.go)
	for _, me := range found {
		msg := fmt.Sprintf("%d of the %d conversions for %s that the ledger holds as accepted, or as held back before the first upload, come back at another event time than the one they were recorded with: an upload with this config stops (exit 2) before sending. %s %s",
			me.Moved, me.Compared, me.Destination, movedTimesCauses, movedTimesPass)
		env.Logger.Warn(msg)
	}
}

// heldSink counts, for a dry-run, what the ledger already holds of the
// conversions it passes on (ledger.HeldPeek), preparing each one's key on
// the pipeline's workers when the sink behind prepares (sink.Preparer).
type heldSink struct {
	peek *ledger.HeldPeek
	next sink.Sink
	prep sink.Preparer
}

func newHeldSink(peek *ledger.HeldPeek, next sink.Sink) sink.Sink {
	if peek == nil || next == nil {
		return next
	}
	prep, _ := next.(sink.Preparer)
	return &heldSink{peek: peek, next: next, prep: prep}
}

func (s *heldSink) Write(c *conversion.Conversion) error {
	if err := s.peek.Write(c); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return s.next.Write(c)
}

// heldPrepLen is what Prepare appends: platform, key found, booking,
// set key, event time. A conversion whose key is its legacy id's (the
// ledger's dual lookup: heldViaLegacy in the found byte) has its own id's
// key before them, which Respell asks from: nothing more for the others.
const (
	heldPrepLen   = 3 + 8 + 8
	heldViaLegacy = 2
)

func (s *heldSink) Prepare(b []byte, c *conversion.Conversion) ([]byte, bool) {
	if s.prep == nil {
		return b, false
	}
	b, ok := s.prep.Prepare(b, c)
	if !ok {
		return b, false
	}
	k, id, found := s.peek.KeyAndID(c)
	how := boolByte(found)
	if found && id != k {
		b = binary.BigEndian.AppendUint64(b, id)
		how = heldViaLegacy
	}
	b = append(b, byte(c.Platform), how, boolByte(c.Booking))
	b = binary.BigEndian.AppendUint64(b, k)
	return binary.BigEndian.AppendUint64(b, uint64(c.Time.Unix())), true
}

func (s *heldSink) WritePrepared(b []byte) error {
	n := len(b) - heldPrepLen
	if n < 0 {
		return errors.New("dry-run: malformed prepared conversion")
	}
	t := b[n:]
	if t[1] == heldViaLegacy {
		if n -= 8; n < 0 {
			return errors.New("dry-run: malformed prepared conversion")
		}
	}
	if err := s.peek.Count(platform.Platform(t[0]), binary.BigEndian.Uint64(t[3:]), t[1] != 0, t[2] == 1, int64(binary.BigEndian.Uint64(t[11:]))); err != nil {
		return fmt.Errorf("ledger: %w", err)
	}
	return s.prep.WritePrepared(b[:n])
}

// Respell re-asks the ledger for a conversion prepared without the
// legacy id its order's other row carried (sink.Respeller): the count
// then says what the upload's filter, looking that id up, skips. From
// its own id's key when the one prepared was its own legacy id's: the
// upload looks up the order's legacy id instead of it, not beside it. A
// booking as a visit: its order's rows give it a legacy id of its own,
// and the upload looks it up as a visit's (the session-29 review: the
// dry-run counted a mixed order's booking sent again).
func (s *heldSink) Respell(b []byte, p platform.Platform, legacy eventid.ID) {
	n := len(b) - heldPrepLen
	if n < 0 || b[n+1] == 0 {
		return // malformed (WritePrepared says so), or not counted
	}
	k := binary.BigEndian.Uint64(b[n+3:])
	if b[n+1] == heldViaLegacy && n >= 8 {
		k = binary.BigEndian.Uint64(b[n-8:])
	}
	binary.BigEndian.PutUint64(b[n+3:], s.peek.Respelled(p, k, legacy))
}

func (s *heldSink) Close() error { return s.next.Close() }

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}
