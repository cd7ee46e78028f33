package ledger

// Processing: what a platform did with the events it ingested.
//
// "Accepted" in the outcomes table means the platform took the request
// (Google's 200 on events:ingest, Meta's events_received): the events are
// ingested, nothing more. Google still processes them afterwards, and
// records can fail there (EVENT_TOO_OLD, CLICK_NOT_FOUND, consent, terms
// not signed) or count with a warning. Its verdict is read later through
// requestStatus:retrieve and kept here, per request, next to the request
// whose batch order maps the platform's record indices back to event ids:
//
//   - processing: one row per polled request — the platform's status word,
//     whether it is final, how often and when it was asked, and when to
//     ask next (package reconcile keeps Google's schedule).
//   - processing_counts: per request, kind (error or warning) and reason,
//     the platform's count, whether a resend can help (error reasons only,
//     classified by the platform's package) and the 0-based record indices
//     packed as 4-byte big-endian integers — NULL when the platform did not
//     say which records (then only the count is known, and hashgate never
//     guesses which events it meant).
//
// Both stay one row per request (or per reason of a request), so writes
// keep the ledger's constant cost. An event whose request failed with a
// reason a resend can overcome is left out of the accepted set the Filter
// loads, so the next upload sends it again; every other failure keeps the
// event "done": counted under its reason, never resent.

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
)

// schemaV3 adds the platforms' processing verdicts. See processing.go.
const schemaV3 = `CREATE TABLE processing (
		request INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
		status  TEXT NOT NULL,
		final   INTEGER NOT NULL,
		polls   INTEGER NOT NULL,
		checked INTEGER NOT NULL,
		next    INTEGER NOT NULL,
		records INTEGER NOT NULL
	);
	CREATE TABLE processing_counts (
		request INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
		kind    TEXT NOT NULL CHECK (kind IN ('error', 'warning')),
		reason  TEXT NOT NULL,
		records INTEGER NOT NULL,
		retry   INTEGER NOT NULL,
		indices BLOB,
		PRIMARY KEY (request, kind, reason)
	) WITHOUT ROWID;`

// schemaV5 lets processing_counts hold records the platform already had
// (kind 'recorded': Google's DUPLICATE_TRANSACTION_ID and DUPLICATE_GCLID,
// destination.Processing.Recorded) beside errors and warnings. SQLite
// cannot change a CHECK constraint, so the table is rebuilt; rows stored
// as errors with those two reasons become 'recorded': the conversion is
// already there, nothing failed.
const schemaV5 = `CREATE TABLE processing_counts_v5 (
		request INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
		kind    TEXT NOT NULL CHECK (kind IN ('error', 'warning', 'recorded')),
		reason  TEXT NOT NULL,
		records INTEGER NOT NULL,
		retry   INTEGER NOT NULL,
		indices BLOB,
		PRIMARY KEY (request, kind, reason)
	) WITHOUT ROWID;
	INSERT INTO processing_counts_v5 (request, kind, reason, records, retry, indices)
		SELECT request,
			CASE WHEN kind = 'error' AND reason IN ('PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', 'PROCESSING_ERROR_REASON_DUPLICATE_GCLID') THEN 'recorded' ELSE kind END,
			reason, records, CASE WHEN kind = 'error' AND reason IN ('PROCESSING_ERROR_REASON_DUPLICATE_TRANSACTION_ID', 'PROCESSING_ERROR_REASON_DUPLICATE_GCLID') THEN 0 ELSE retry END,
			indices
		FROM processing_counts;
	DROP TABLE processing_counts;
	ALTER TABLE processing_counts_v5 RENAME TO processing_counts;`

// hashgate's own processing statuses, beside the platform's words.
const (
	// ProcessingGaveUp: no final status within the platform's window
	// (Google: 24 hours); final, events neither ok nor failed.
	ProcessingGaveUp = "GAVE_UP"
	// ProcessingNoVerdict: the platform has no status for the request
	// (destination.ErrNoVerdict); final.
	ProcessingNoVerdict = "NO_VERDICT"
)

// Display states of an event in `ledger list`, beside the stored ones: an
// accepted (ingested) event the platform processed without error is
// "processed", one it failed is "failed" with the platform's reason.
const (
	StateIngested  = "ingested"
	StateProcessed = "processed"
	StateFailed    = "failed"
	// StateAlreadyRecorded: the platform already held the conversion
	// (Google's DUPLICATE_TRANSACTION_ID, DUPLICATE_GCLID): not a failure.
	StateAlreadyRecorded = "already_recorded"
)

// Unpolled is an ingested request whose processing verdict is not final.
type Unpolled struct {
	ID          int64 // the ledger's request row
	RunID       string
	Destination string
	RequestID   string // the platform's
	At          time.Time
	Events      int
	Polls       int       // how often its status was read so far
	Next        time.Time // when its status is due; zero: never read
}

// Unpolled lists, oldest first, the ingested requests of destinations
// whose key starts with platform + ":" recorded at or after since whose
// processing verdict is not final. Test requests ("validated") are never
// listed: a validateOnly request has no status to read (Google answers
// INVALID_REQUEST_ID). Requests without a platform request id are not
// listed either.
func (l *Ledger) Unpolled(ctx context.Context, platform string, since time.Time) ([]Unpolled, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT r.id, r.run_id, d.key, o.request_id, r.at, r.n, coalesce(p.polls, 0), coalesce(p.next, 0)
		FROM requests r JOIN destinations d ON d.id = r.destination JOIN outcomes o ON o.request = r.id
		LEFT JOIN processing p ON p.request = r.id
		WHERE o.state = 'accepted' AND r.sent AND o.request_id != '' AND r.at >= ? AND d.key LIKE ? AND coalesce(p.final, 0) = 0
		ORDER BY r.id`, since.UnixMilli(), platform+":%")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Unpolled
	for rows.Next() {
		var u Unpolled
		var at, next int64
		if err := rows.Scan(&u.ID, &u.RunID, &u.Destination, &u.RequestID, &at, &u.Events, &u.Polls, &next); err != nil {
			return nil, err
		}
		u.At = time.UnixMilli(at).UTC()
		if next > 0 {
			u.Next = time.UnixMilli(next).UTC()
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Poll is the result of reading one request's processing status.
type Poll struct {
	Request int64     // Unpolled.ID
	At      time.Time // when it was read
	Next    time.Time // when to read it again; ignored when Verdict.Final
	Verdict destination.Processing
}

// RecordPoll stores a status read. A final verdict replaces any counts
// stored before; a pending one only moves the schedule.
func (l *Ledger) RecordPoll(ctx context.Context, p Poll) error {
	if p.Request == 0 {
		return errors.New("ledger: a poll of no request")
	}
	v := p.Verdict
	next := p.Next.UnixMilli()
	if v.Final {
		next = 0
	}
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO processing (request, status, final, polls, checked, next, records) VALUES (?, ?, ?, 1, ?, ?, ?)
		ON CONFLICT (request) DO UPDATE SET status = excluded.status, final = excluded.final, polls = polls + 1,
			checked = excluded.checked, next = excluded.next, records = excluded.records`,
		p.Request, v.Status, v.Final, p.At.UnixMilli(), next, v.Records); err != nil {
		return err
	}
	if v.Final {
		if _, err := tx.ExecContext(ctx, `DELETE FROM processing_counts WHERE request = ?`, p.Request); err != nil {
			return err
		}
		for kind, list := range map[string][]destination.ReasonCount{"error": v.Errors, "warning": v.Warnings, "recorded": v.Recorded} {
			for _, c := range list {
				var blob []byte
				if c.Indices != nil {
					blob = packIndices(c.Indices)
				}
				if _, err := tx.ExecContext(ctx, `INSERT INTO processing_counts (request, kind, reason, records, retry, indices) VALUES (?, ?, ?, ?, ?, ?)
					ON CONFLICT DO UPDATE SET records = records + excluded.records`,
					p.Request, kind, c.Reason, c.Records, c.Retry && kind == "error", blob); err != nil {
					return err
				}
			}
		}
	}
	return tx.Commit()
}

func packIndices(ix []int) []byte {
	b := make([]byte, 0, 4*len(ix))
	for _, i := range ix {
		b = binary.BigEndian.AppendUint32(b, uint32(i))
	}
	return b
}

// unpackIndices reads packed indices, dropping any outside [0, n): the
// platform's positions are trusted only where they can mean an event.
func unpackIndices(b []byte, n int) []int {
	out := make([]int, 0, len(b)/4)
	for i := 0; i+4 <= len(b); i += 4 {
		if x := int(binary.BigEndian.Uint32(b[i:])); x < n {
			out = append(out, x)
		}
	}
	return out
}

// reasonRow is one processing_counts row with its request.
type reasonRow struct {
	request   int64
	n         int // events in the request
	kind      string
	reason    string
	records   int64
	retry     bool
	indices   []int // nil: the platform did not say which
	hasIndex  bool
	run, dest string
}

// events returns the 0-based positions in its request of the events a
// reason concerns, and how many more records it counts without placing
// them (unattributed). With indices, those the platform named, and the
// rest of its count — recordIndices shorter than recordCount — is
// unattributed: never booked as processed. Without indices, a reason that
// counts every record of the request concerns them all; otherwise every
// record it counts is unattributed.
func (r *reasonRow) events() (ix []int, unattributed int64) {
	if r.hasIndex {
		return r.indices, max(r.records-int64(len(r.indices)), 0)
	}
	if r.records == int64(r.n) && r.n > 0 {
		all := make([]int, r.n)
		for i := range all {
			all[i] = i
		}
		return all, 0
	}
	return nil, max(r.records, 0)
}

func (l *Ledger) reasonRows(ctx context.Context, where string, args ...any) ([]reasonRow, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT c.request, r.n, c.kind, c.reason, c.records, c.retry, c.indices, r.run_id, d.key
		FROM processing_counts c JOIN requests r ON r.id = c.request JOIN destinations d ON d.id = r.destination
		WHERE `+where+` ORDER BY c.request, c.kind, c.reason`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []reasonRow
	for rows.Next() {
		var r reasonRow
		var blob []byte
		if err := rows.Scan(&r.request, &r.n, &r.kind, &r.reason, &r.records, &r.retry, &blob, &r.run, &r.dest); err != nil {
			return nil, err
		}
		if blob != nil {
			r.hasIndex = true
			r.indices = unpackIndices(blob, r.n)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// resendable returns, per request recorded in [from, to) (unix ms), the
// positions of its events that failed processing with a reason a resend
// can overcome: the Filter leaves them out of the accepted set, so the
// next upload sends them again. Such failures are few; the map is small.
//
// A retryable reason that counts records it does not place (recordIndices
// shorter than recordCount, or none) has its unattributed failures among
// the events of the request no error reason placed: those are all resent.
// Resending one that was processed is harmless — Google treats a known
// transactionId as an adjustment with the same values, nothing counted
// twice — while booking an unplaced failure as processed would lose it.
func (l *Ledger) resendable(ctx context.Context, from, to int64) (map[int64][]bool, error) {
	rows, err := l.reasonRows(ctx, `c.kind = 'error' AND r.at >= ? AND r.at < ?`, from, to)
	if err != nil {
		return nil, err
	}
	out := map[int64][]bool{}
	placed := map[int64][]bool{} // request → positions any error reason named
	unplaced := map[int64]bool{} // request → a retryable reason left some unplaced
	mark := func(m map[int64][]bool, r reasonRow, ix []int) {
		s := m[r.request]
		if s == nil {
			s = make([]bool, r.n)
			m[r.request] = s
		}
		for _, i := range ix {
			s[i] = true
		}
	}
	for _, r := range rows {
		ix, rest := r.events()
		mark(placed, r, ix)
		if !r.retry {
			continue
		}
		mark(out, r, ix)
		if rest > 0 {
			unplaced[r.request] = true
		}
	}
	for _, r := range rows {
		if !unplaced[r.request] {
			continue
		}
		s := out[r.request]
		for i, named := range placed[r.request] {
			if !named {
				s[i] = true
			}
		}
		unplaced[r.request] = false
	}
	return out, nil
}

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

// RunsSince lists the ids of runs that recorded a request at or after t,
// oldest first.
func (l *Ledger) RunsSince(ctx context.Context, t time.Time) ([]string, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT DISTINCT run_id FROM requests WHERE at >= ? ORDER BY run_id`, t.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
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
	return out, rows.Err()
}

// RecentErrorReasons returns, for the runs runs most recent runs whose
// requests to dest have a final processing verdict, newest first, the
// error reasons each run's requests failed with (an empty set: that run
// was processed without error). Fewer than runs entries: not enough
// verdicts yet.
func (l *Ledger) RecentErrorReasons(ctx context.Context, dest string, runs int) ([]map[string]bool, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT r.run_id, coalesce(c.reason, '') FROM requests r
		JOIN destinations d ON d.id = r.destination JOIN processing p ON p.request = r.id AND p.final
		LEFT JOIN processing_counts c ON c.request = r.id AND c.kind = 'error'
		WHERE d.key = ? AND r.run_id IN (SELECT DISTINCT r2.run_id FROM requests r2 JOIN processing p2 ON p2.request = r2.id AND p2.final
			WHERE r2.destination = d.id AND p2.status NOT IN (?, ?) ORDER BY r2.run_id DESC LIMIT ?)
			AND p.status NOT IN (?, ?)
		ORDER BY r.run_id DESC`, dest, ProcessingGaveUp, ProcessingNoVerdict, runs, ProcessingGaveUp, ProcessingNoVerdict)
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
