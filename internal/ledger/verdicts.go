package ledger

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
)

// Reading processing verdicts back: per run and destination for the
// morning report (status), per event for `ledger list`, and in total for
// `ledger stats`; and the account-level reasons recent runs share.

// ReasonTally is how many events of a run and destination share a
// processing reason.
type ReasonTally struct {
	Reason string
	Events int64
	// Resend: an error a resend can overcome; these events go back to
	// the queue and the next upload sends them again.
	Resend bool
	// Unattributed of Events are counted by the platform without saying
	// which records (no record indices).
	Unattributed int64
}

// ProcessingSummary is what a platform did with the events one run sent
// to one destination, as far as the ledger knows.
type ProcessingSummary struct {
	RunID       string
	Destination string
	// Ingested events: in requests the platform took (not test requests).
	Ingested int64
	// OK: in requests with a final verdict, and not failed (warned
	// events included: they count).
	OK int64
	// Failed, Warnings and AlreadyRecorded by reason, most events first.
	// AlreadyRecorded are events the platform already held (a duplicate
	// of a conversion it counted): neither OK nor failed.
	Failed, Warnings, AlreadyRecorded []ReasonTally
	// Processing: in requests whose verdict is not final yet.
	Processing int64
	// NoVerdict: in requests the platform gave no verdict for, or none
	// within its window.
	NoVerdict int64
	// Requests by the platform's status word (and GAVE_UP, NO_VERDICT,
	// and "" for requests never polled).
	Requests map[string]int
}

// Processing summarises, per destination, what the platforms did with
// the events run sent. Destinations whose key starts with one of
// platforms are summarised (the platforms that report processing).
func (l *Ledger) Processing(ctx context.Context, runID string, platforms ...string) ([]ProcessingSummary, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT r.id, d.key, r.n, coalesce(p.status, ''), coalesce(p.final, 0), coalesce(p.records, -1)
		FROM requests r JOIN destinations d ON d.id = r.destination JOIN outcomes o ON o.request = r.id
		LEFT JOIN processing p ON p.request = r.id
		WHERE r.run_id = ? AND r.sent AND o.state = 'accepted' ORDER BY r.id`, runID)
	if err != nil {
		return nil, err
	}
	type reqInfo struct {
		dest   string
		n      int64
		status string
		final  bool
	}
	byDest := map[string]*ProcessingSummary{}
	reqs := map[int64]reqInfo{}
	for rows.Next() {
		var id int64
		var ri reqInfo
		var records int64
		if err := rows.Scan(&id, &ri.dest, &ri.n, &ri.status, &ri.final, &records); err != nil {
			rows.Close()
			return nil, err
		}
		if !hasPlatform(ri.dest, platforms) {
			continue
		}
		s := byDest[ri.dest]
		if s == nil {
			s = &ProcessingSummary{RunID: runID, Destination: ri.dest, Requests: map[string]int{}}
			byDest[ri.dest] = s
		}
		reqs[id] = ri
		s.Ingested += ri.n
		s.Requests[ri.status]++
		switch {
		case !ri.final:
			s.Processing += ri.n
		case ri.status == ProcessingGaveUp || ri.status == ProcessingNoVerdict:
			s.NoVerdict += ri.n
		}
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	counts, err := l.reasonRows(ctx, `r.run_id = ?`, runID)
	if err != nil {
		return nil, err
	}
	type tallyKey struct{ dest, kind, reason string }
	tallies := map[tallyKey]*ReasonTally{}
	failed := map[int64]map[int]bool{} // request → failed positions known
	unknownFailed := map[int64]int64{} // request → failures without positions
	for _, c := range counts {
		ri, ok := reqs[c.request]
		if !ok || !ri.final {
			continue
		}
		k := tallyKey{ri.dest, c.kind, c.reason}
		t := tallies[k]
		if t == nil {
			t = &ReasonTally{Reason: c.reason, Resend: c.retry}
			tallies[k] = t
		}
		ix, rest := c.events()
		t.Events += int64(len(ix)) + rest
		t.Unattributed += rest
		if c.kind == "warning" {
			continue
		}
		unknownFailed[c.request] += rest
		m := failed[c.request]
		if m == nil {
			m = map[int]bool{}
			failed[c.request] = m
		}
		for _, i := range ix {
			m[i] = true
		}
	}
	for id, ri := range reqs {
		if !ri.final || ri.status == ProcessingGaveUp || ri.status == ProcessingNoVerdict {
			continue
		}
		bad := int64(len(failed[id])) + unknownFailed[id]
		byDest[ri.dest].OK += max(ri.n-bad, 0)
	}
	for k, t := range tallies {
		s := byDest[k.dest]
		switch k.kind {
		case "error":
			s.Failed = append(s.Failed, *t)
		case "recorded":
			s.AlreadyRecorded = append(s.AlreadyRecorded, *t)
		default:
			s.Warnings = append(s.Warnings, *t)
		}
	}
	out := make([]ProcessingSummary, 0, len(byDest))
	for _, s := range byDest {
		for _, list := range [][]ReasonTally{s.Failed, s.Warnings, s.AlreadyRecorded} {
			sort.Slice(list, func(i, j int) bool {
				if list[i].Events != list[j].Events {
					return list[i].Events > list[j].Events
				}
				return list[i].Reason < list[j].Reason
			})
		}
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b ProcessingSummary) int { return strings.Compare(a.Destination, b.Destination) })
	return out, nil
}

func hasPlatform(dest string, platforms []string) bool {
	if len(platforms) == 0 {
		return true
	}
	return slices.Contains(platforms, platformOf(dest))
}

// WindowRun is a run of the status window (RunsSince).
type WindowRun struct {
	ID string
	// Ahead: the run recorded a request dated later than the clock now —
	// a night whose clock ran fast. Its times are not when it ran.
	Ahead bool
}

// RunsSince lists the runs that recorded a request at or after t, oldest
// first (runsOldestFirst; a run whose row was forgotten before its
// requests comes first, by id).
//
// A request dated more than futureSlack ahead of now was recorded by a
// clock running fast: dated by that clock it would stay inside every
// window until its date had passed, and a night a year fast was in every
// morning's status for a year (TestAFastNightLeavesTheStatusWindow). Such
// a request is in the window only while no request recorded after it is
// dated before t: the nights after it, dated right, push it out as they
// push out every other night.
//
// The window is bounded above too when this clock is behind the ledger
// (clockBehind, ClockBehind's verdict): a clock a year slow took every
// run of the year for a fast night's and listed each, 1,853 lines of one
// upload's summary, each saying that night's clock ran fast; the caller
// says once that this clock looks behind instead. The caller gives the
// verdict it says: asked here too, a reconcile grouped every request by
// run twice (a review, 2026-12-07).
func (l *Ledger) RunsSince(ctx context.Context, t time.Time, clockBehind bool) ([]WindowRun, error) {
	now := l.now()
	cut, ahead := t.UnixMilli(), now.Add(futureSlack).UnixMilli()
	fast := `r.id > coalesce((SELECT max(b.id) FROM requests b WHERE b.at < ?3), 0)`
	if clockBehind {
		fast = `0`
	}
	rows, err := l.db.QueryContext(ctx, `SELECT r.run_id, max(r.at) FROM requests r LEFT JOIN runs u ON u.id = r.run_id
		WHERE r.at >= ?1 AND (r.at <= ?2 OR `+fast+`)
		GROUP BY r.run_id ORDER BY `+runsOldestFirstOn("u")+`, r.run_id`, cut, ahead, cut)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WindowRun
	for rows.Next() {
		var w WindowRun
		var latest int64
		if err := rows.Scan(&w.ID, &latest); err != nil {
			return nil, err
		}
		w.Ahead = latest > now.UnixMilli()
		out = append(out, w)
	}
	return out, rows.Err()
}

// ClockBehindLedger is what ClockBehind found.
type ClockBehindLedger struct {
	// Behind: most of the last runs the ledger recorded (at least two of
	// clockRuns, in the order it recorded them) recorded a request dated
	// more than futureSlack after this clock's now.
	Behind bool
	// RunID and Newest: the last of those runs recorded, and its latest
	// request's date.
	RunID  string
	Newest time.Time
}

// clockRuns is how many of the last runs recorded ClockBehind weighs: a
// week of nights.
const clockRuns = 7

// ClockBehind tells whether this machine's clock is behind what the
// ledger recorded last. One run ahead of the clock among nights dated
// right is a night whose clock ran fast (RunsSince lists it, said to be
// ahead); most of the last nights ahead of it, at least two, is this
// clock slow — a night run on it records its own requests dated right by
// it, so the test is a majority of the last week, not the last night.
// Past that week of slow nights the nights before it leave the window as
// a fast night does, pushed out by the nights after them.
func (l *Ledger) ClockBehind(ctx context.Context) (ClockBehindLedger, error) {
	ahead := l.now().Add(futureSlack).UnixMilli()
	rows, err := l.db.QueryContext(ctx, `SELECT run_id, max(at) FROM requests GROUP BY run_id ORDER BY max(id) DESC LIMIT ?`, clockRuns)
	if err != nil {
		return ClockBehindLedger{}, err
	}
	defer rows.Close()
	var out ClockBehindLedger
	runs, later := 0, 0
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return ClockBehindLedger{}, err
		}
		runs++
		if at > ahead {
			if later == 0 {
				out.RunID, out.Newest = id, time.UnixMilli(at).UTC()
			}
			later++
		}
	}
	out.Behind = later >= 2 && 2*later > runs
	if !out.Behind {
		out = ClockBehindLedger{}
	}
	return out, rows.Err()
}

// overlayProcessing rewrites the display state of a run's events (sorted
// by destination and event id) with what processing made of them: an
// accepted event is "ingested" until its request's verdict is final, then
// "processed" or "failed" with the platform's reason. Later requests win.
func (l *Ledger) overlayProcessing(ctx context.Context, runID string, events []Event) error {
	find := func(dest, id string) *Event {
		i := sort.Search(len(events), func(i int) bool {
			e := events[i]
			return e.Destination > dest || (e.Destination == dest && e.EventID >= id)
		})
		if i < len(events) && events[i].Destination == dest && events[i].EventID == id {
			return &events[i]
		}
		return nil
	}
	for i := range events {
		if events[i].State == StateAccepted {
			events[i].State = StateIngested
		}
	}
	counts, err := l.reasonRows(ctx, `r.run_id = ? AND c.kind IN ('error', 'recorded')`, runID)
	if err != nil {
		return err
	}
	failed := map[int64]map[int]string{}
	unknown := map[int64]int64{} // request → failures the platform did not place
	for _, c := range counts {
		ix, rest := c.events()
		unknown[c.request] += rest
		m := failed[c.request]
		if m == nil {
			m = map[int]string{}
			failed[c.request] = m
		}
		reason := c.reason
		if c.retry {
			reason += " (resent by the next upload)"
		}
		if c.kind == "recorded" {
			reason = alreadyMark + c.reason
		}
		for _, i := range ix {
			m[i] = reason
		}
	}
	notes, err := l.requeueNotes(ctx, runID)
	if err != nil {
		return err
	}
	return l.each(ctx, `JOIN processing p ON p.request = r.id WHERE r.run_id = ? AND o.state = 'accepted' AND p.final AND p.status NOT IN (?, ?) ORDER BY r.id`,
		[]any{runID, ProcessingGaveUp, ProcessingNoVerdict}, func(r *row) error {
			for i := 0; (i+1)*idLen <= len(r.ids); i++ {
				e := find(r.dest, hex.EncodeToString(r.ids[i*idLen:(i+1)*idLen]))
				if e == nil || (e.State != StateIngested && e.State != StateProcessed && e.State != StateFailed && e.State != StateAlreadyRecorded) {
					continue
				}
				switch reason, bad := failed[r.id][i]; {
				case bad && strings.HasPrefix(reason, alreadyMark):
					e.State, e.Reason = StateAlreadyRecorded, strings.TrimPrefix(reason, alreadyMark)
				case bad:
					e.State, e.Reason = StateFailed, reason
				case unknown[r.id] > 0:
					// Some events of the request failed and the platform
					// did not say which: this one may be among them.
					e.State, e.Reason = StateIngested, fmt.Sprintf("%d of the %d events of its request failed processing; the platform did not say which", unknown[r.id], len(r.ids)/idLen)
				default:
					e.State, e.Reason = StateProcessed, ""
				}
				if at, ok := notes[r.id][i]; ok {
					// The failure stays as the platform gave it; the
					// requeue is recorded beside it.
					note := "requeued " + at.Format("2006-01-02T15:04:05Z") + ", sent again by the next upload"
					if e.Reason != "" {
						note = e.Reason + "; " + note
					}
					e.Reason = note
				}
			}
			return nil
		})
}

// alreadyMark tags, inside overlayProcessing, a reason of kind recorded.
const alreadyMark = "\x00recorded:"

// Label is the word people read for a stored state: "accepted" is stored
// (the platform took the request) but printed "ingested", because it says
// nothing of what the platform did with the events afterwards.
func Label(state string) string {
	if state == StateAccepted {
		return StateIngested
	}
	return state
}

// ProcessingTotals are one destination's processing verdicts over the
// whole ledger, counted per request as the platform gave them (an event
// resent after a retryable failure counts in each of its requests).
type ProcessingTotals struct {
	OK, Failed, Resent, Processing, NoVerdict int64
	// Requeued: failed events requeued by hand (`ledger requeue`), out
	// of Failed and unplaced ones.
	Requeued int64
}

// ProcessingTotals sums the verdicts of every destination that has any.
func (l *Ledger) ProcessingTotals(ctx context.Context) (map[string]ProcessingTotals, error) {
	out := map[string]ProcessingTotals{}
	rows, err := l.db.QueryContext(ctx, `SELECT d.key, p.status, p.final, sum(r.n) FROM processing p
		JOIN requests r ON r.id = p.request JOIN destinations d ON d.id = r.destination
		GROUP BY d.key, p.status, p.final`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var dest, status string
		var final bool
		var n int64
		if err := rows.Scan(&dest, &status, &final, &n); err != nil {
			rows.Close()
			return nil, err
		}
		t := out[dest]
		switch {
		case !final:
			t.Processing += n
		case status == ProcessingGaveUp || status == ProcessingNoVerdict:
			t.NoVerdict += n
		default:
			t.OK += n
		}
		out[dest] = t
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	rows, err = l.db.QueryContext(ctx, `SELECT d.key, c.retry, sum(c.records) FROM processing_counts c
		JOIN processing p ON p.request = c.request AND p.final
		JOIN requests r ON r.id = c.request JOIN destinations d ON d.id = r.destination
		WHERE c.kind = 'error' GROUP BY d.key, c.retry`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var dest string
		var retry bool
		var n int64
		if err := rows.Scan(&dest, &retry, &n); err != nil {
			return nil, err
		}
		t := out[dest]
		if retry {
			t.Resent += n
		} else {
			t.Failed += n
		}
		t.OK = max(t.OK-n, 0)
		out[dest] = t
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	requeued, err := l.requeuedTotals(ctx)
	if err != nil {
		return nil, err
	}
	for d, n := range requeued {
		t := out[d]
		t.Requeued = n
		out[d] = t
	}
	return out, nil
}

// RecentErrorReasons returns, for the runs runs most recent runs whose
// requests to dest have a final processing verdict, newest first (in the
// order they were recorded, as runsNewestFirst, never by the time a clock
// gave them; a run whose row was forgotten before its requests last, by
// id), the error reasons each run's requests failed
// with (an empty set: that run was processed without error). Fewer than
// runs entries: not enough verdicts yet.
func (l *Ledger) RecentErrorReasons(ctx context.Context, dest string, runs int) ([]map[string]bool, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT r.run_id, coalesce(c.reason, '') FROM requests r
		JOIN destinations d ON d.id = r.destination JOIN processing p ON p.request = r.id AND p.final
		LEFT JOIN processing_counts c ON c.request = r.id AND c.kind = 'error'
		LEFT JOIN runs u ON u.id = r.run_id
		WHERE d.key = ? AND r.run_id IN (SELECT r2.run_id FROM requests r2 JOIN processing p2 ON p2.request = r2.id AND p2.final
			LEFT JOIN runs u2 ON u2.id = r2.run_id
			WHERE r2.destination = d.id AND p2.status NOT IN (?, ?)
			GROUP BY r2.run_id ORDER BY `+runsNewestFirstOn("u2")+`, r2.run_id DESC LIMIT ?)
			AND p.status NOT IN (?, ?)
		ORDER BY `+runsNewestFirstOn("u")+`, r.run_id DESC`, dest, ProcessingGaveUp, ProcessingNoVerdict, runs, ProcessingGaveUp, ProcessingNoVerdict)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []map[string]bool
	last := ""
	for rows.Next() {
		var run, reason string
		if err := rows.Scan(&run, &reason); err != nil {
			return nil, err
		}
		if run != last || len(out) == 0 {
			out = append(out, map[string]bool{})
			last = run
		}
		if reason != "" {
			out[len(out)-1][reason] = true
		}
	}
	return out, rows.Err()
}
