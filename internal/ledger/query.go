package ledger

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"hash/fnv"
	"slices"
	"strings"
	"time"

	"github.com/hashgate/hashgate/internal/destination"
	"github.com/hashgate/hashgate/internal/keyset"
)

// StateKeptBack is how `ledger stats` and `ledger list` show an event a
// first upload held back (stored quarantined, before_first_upload: see
// run's dedupWindow): a choice the tool made, waiting for `upload
// --backfill`, not a verdict on the event, which "quarantined" reads as.
// It is a view: the ledger stores the hold as it always did, and what
// uploads read of it (HeldBefore, UnconfirmedHeld, Filter) is unchanged.
//
// Other holds stay quarantined. event_too_old (also where an unconfirmed
// event past the window ends once too old) is the platform's limit: the
// conversion is never sent, and the night's report counts it quarantined
// too. An unconfirmed event kept past the window is not recorded again:
// it stays sent in the run that sent it.
const StateKeptBack = "kept_back"

// StateNotSent is how `ledger stats` and `ledger list` show an event
// whose request the destination's stop ended before the platform took it
// (stored rejected, destination_stopped[:why]: an outage's spent retry
// budget, a stop for a setting): the run's summary counts them "not
// sent", and the next run sends them. Shown as "rejected" they read as
// the platform's refusal (a month of nights: a Google 503 night said "0
// rejected, 2 not sent" and the ledger "rejected 2"). A view, like
// StateKeptBack: what uploads read of them is unchanged.
const StateNotSent = "not_sent"

// shownState is the state Stats, Runs and Events show for a stored state
// and reason.
func shownState(state, reason string) string {
	switch {
	case state == StateQuarantined && reason == destination.ReasonBeforeFirstUpload:
		return StateKeptBack
	case state == StateRejected && (reason == destination.ReasonStopped || strings.HasPrefix(reason, destination.ReasonStopped+":")):
		return StateNotSent
	case state == StateAccepted && reason == ReasonConfirmedByUser:
		return StateConfirmedByUser
	case state == StateQuarantined && reason == destination.ReasonUnconfirmedPastWindow:
		// The upload's record that it kept the event back, not a
		// verdict: the event is still sent, its answer unknown.
		return StateSent
	}
	return state
}

// row is one request with its outcome, as the queries below read it.
type row struct {
	id        int64
	run       string
	dest      string
	sent      bool
	at        int64
	ids       []byte // packed, batch order
	state     string // StateSent when there is no outcome (StateValidated for a test request)
	reason    string
	requestID string
	updated   int64
}

// rowColumns selects a row. A test request without an answer reads as
// validated, reason ReasonTestUnanswered (testrequests.go): nothing of a
// validation is left waiting for an answer, or resent.
func rowColumns() string {
	return `r.id, r.run_id, d.key, r.sent, r.at, r.event_ids,
		coalesce(o.state, CASE WHEN ` + testColumn() + ` THEN 'validated' ELSE 'sent' END),
		coalesce(o.reason, CASE WHEN ` + testColumn() + ` THEN '` + ReasonTestUnanswered + `' ELSE '' END), coalesce(o.request_id, ''), coalesce(o.at, r.at)
	FROM requests r JOIN destinations d ON d.id = r.destination LEFT JOIN outcomes o ON o.request = r.id`
}

// each runs a query selecting rowColumns and calls fn per row. The ids
// slice is the driver's own copy (sql.RawBytes; into a []byte,
// database/sql copied every blob again: 50 MB more garbage per read of a
// year-full ledger's older acceptances), valid until the next row: fn
// must not keep it.
func (l *Ledger) each(ctx context.Context, query string, args []any, fn func(*row) error) error {
	return eachOn(ctx, l.db, query, args, fn)
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// eachOn is each on q: within a transaction that writes while it reads
// (Confirm: the ledger has one connection).
func eachOn(ctx context.Context, q querier, query string, args []any, fn func(*row) error) error {
	rows, err := q.QueryContext(ctx, `SELECT `+rowColumns()+` `+query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var (
		r   row
		ids sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&r.id, &r.run, &r.dest, &r.sent, &r.at, &ids, &r.state, &r.reason, &r.requestID, &r.updated); err != nil {
			return err
		}
		r.ids = ids
		if err := fn(&r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// salt separates the keys of two destinations in one set.
func salt(dest string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(dest))
	return h.Sum64()
}

// key64 is the set key of the packed id at b[0:16] for a destination's salt.
func key64(b []byte, salt uint64) uint64 { return binary.BigEndian.Uint64(b) ^ salt }

// stateCounter counts each event once by its current state: accepted if
// any request accepted it, else the state of the latest request that
// carried it, as shown (shownState). Rows must come accepted ones first, then the others newest
// first; memory is bounded (keyset).
type stateCounter struct {
	seen   *keyset.Set
	counts map[string]map[string]int // destination → state → events
	// each, when set, hears every event the first time it is counted.
	each func(r *row, id []byte)
}

func newStateCounter() *stateCounter {
	return &stateCounter{seen: keyset.New("", keyset.Sizes{}), counts: map[string]map[string]int{}}
}

func (c *stateCounter) add(r *row) error {
	s := salt(r.dest)
	m := c.counts[r.dest]
	if m == nil {
		m = map[string]int{}
		c.counts[r.dest] = m
	}
	for i := 0; i+idLen <= len(r.ids); i += idLen {
		if erasedID(r.ids[i:]) {
			continue // an erased position (erase.go): no event
		}
		seen, err := c.seen.Seen(key64(r.ids[i:], s), true)
		if err != nil {
			return err
		}
		if !seen {
			m[shownState(r.state, r.reason)]++
			if c.each != nil {
				c.each(r, r.ids[i:i+idLen])
			}
		}
	}
	return nil
}

// count feeds c the rows matching where (on r, d or o) in the order it needs.
func (l *Ledger) count(ctx context.Context, c *stateCounter, where string, args ...any) error {
	defer c.seen.Close()
	if err := l.each(ctx, `WHERE o.state = 'accepted' AND `+where+` ORDER BY r.id DESC`, args, c.add); err != nil {
		return err
	}
	return l.each(ctx, `WHERE o.state IS NOT 'accepted' AND `+where+` ORDER BY r.id DESC`, args, c.add)
}

// runsOldestFirst and runsNewestFirst order the runs table by insertion
// (rowid: a run's row is written once, when it starts, and a new one takes
// a rowid above every other; the ledger lock lets one run start at a
// time). Never by the time a run recorded: a night whose clock ran a year
// fast recorded a start a year ahead, and `ledger list`, `ledger stats`
// and the setting stop took it for the newest run until that year had
// passed (TestAFastNightIsNotTakenForTheLatestRun). Nor by id: a run id
// has one-second resolution and a random suffix, so two runs started in
// the same second sorted by id came out in either order.
const (
	runsOldestFirst = `rowid`
	runsNewestFirst = `rowid DESC`
)

// runsOldestFirstOn and runsNewestFirstOn are the same orders on the runs
// table joined as alias (a run whose row is gone sorts as the oldest).
func runsOldestFirstOn(alias string) string { return alias + `.rowid` }
func runsNewestFirstOn(alias string) string { return alias + `.rowid DESC` }

// Stats summarises the ledger.
type Stats struct {
	Events     map[string]map[string]int // destination → state → count
	Runs       int
	FirstRun   string
	LastRun    string
	SchemaVers int
	// Adopted lists, per platform, the identity that adopted rows
	// migrated from a ledger without identities, and when.
	Adopted map[string]string
	// FirstDelivered lists each destination's horizon, RFC 3339 in UTC:
	// when this ledger first delivered there (horizon.go). One that
	// delivered before horizons were recorded has none until an upload
	// derives it.
	FirstDelivered map[string]string
}

// Stats counts events by destination and current state.
func (l *Ledger) Stats(ctx context.Context) (Stats, error) {
	s := Stats{Adopted: map[string]string{}, FirstDelivered: map[string]string{}}
	c := newStateCounter()
	if err := l.count(ctx, c, `1`); err != nil {
		return s, err
	}
	s.Events = c.counts
	restated, err := l.restatedCounts(ctx, "")
	if err != nil {
		return s, err
	}
	for d, n := range restated {
		if s.Events[d] == nil {
			s.Events[d] = map[string]int{}
		}
		s.Events[d][StateRestated] = n
	}
	var first, last sql.NullString
	if err := l.db.QueryRowContext(ctx, `SELECT count(*), (SELECT id FROM runs ORDER BY `+runsOldestFirst+` LIMIT 1),
		(SELECT id FROM runs ORDER BY `+runsNewestFirst+` LIMIT 1) FROM runs`).Scan(&s.Runs, &first, &last); err != nil {
		return s, err
	}
	s.FirstRun, s.LastRun = first.String, last.String
	rows, err := l.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE 'adopted:%' OR key LIKE '`+horizonMeta+`%'`)
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return s, err
		}
		if d, ok := strings.CutPrefix(k, horizonMeta); ok {
			s.FirstDelivered[d] = v
			continue
		}
		s.Adopted[strings.TrimPrefix(k, "adopted:")] = v
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	err = l.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&s.SchemaVers)
	return s, err
}

// Run is one row of `hashgate ledger list`.
type Run struct {
	ID, StartedAt, FinishedAt, ToolVersion, InputSHA256 string
	ExitCode                                            sql.NullInt64
	Events                                              map[string]int // state → events, each once, by its state in this run
	Requests                                            int            // requests sent
	// Ahead: the run recorded a start later than the clock now — a night
	// whose clock ran fast. It is listed where it was recorded, and its
	// times are not to be read as when it ran.
	Ahead bool
}

// RunIDs lists the ids of the newest runs, at most limit, newest first:
// in the order they were recorded (runsNewestFirst). Cheaper than Runs,
// which counts each run's events.
func (l *Ledger) RunIDs(ctx context.Context, limit int) ([]string, error) {
	return runIDs(ctx, l.db, `SELECT id FROM runs ORDER BY `+runsNewestFirst+` LIMIT ?`, limit)
}

// runIDs runs q (one string column; limit bound) on db, a ledger's or a
// dry-run's read-only peek (RunsPeek.RunIDs).
func runIDs(ctx context.Context, db querier, q string, limit int) ([]string, error) {
	rows, err := db.QueryContext(ctx, q, limit)
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

// Runs lists runs, newest first: in the order they were recorded
// (runsNewestFirst), whatever time each recorded.
func (l *Ledger) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := l.db.QueryContext(ctx, `SELECT id, started_at, coalesce(finished_at, ''), tool_version, input_sha256, exit_code FROM runs ORDER BY `+runsNewestFirst+` LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.StartedAt, &r.FinishedAt, &r.ToolVersion, &r.InputSHA256, &r.ExitCode); err != nil {
			return nil, err
		}
		if t, err := time.Parse(time.RFC3339Nano, r.StartedAt); err == nil && t.After(l.now()) {
			r.Ahead = true
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i := range out {
		c := newStateCounter()
		if err := l.count(ctx, c, `r.run_id = ?`, out[i].ID); err != nil {
			return nil, err
		}
		out[i].Events = map[string]int{}
		for _, m := range c.counts {
			for st, n := range m {
				out[i].Events[st] += n
			}
		}
		restated, err := l.restatedCounts(ctx, out[i].ID)
		if err != nil {
			return nil, err
		}
		for _, n := range restated {
			out[i].Events[StateRestated] += n
		}
		if err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM requests WHERE run_id = ? AND sent`, out[i].ID).Scan(&out[i].Requests); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Event is one row of `hashgate ledger list --run ID`.
type Event struct {
	Destination, EventID, State, Reason, RequestID, UpdatedAt string
}

// Events lists the events of a run, each once with its state in that run,
// by destination and event id.
func (l *Ledger) Events(ctx context.Context, runID string) ([]Event, error) {
	var out []Event
	c := newStateCounter()
	c.each = func(r *row, id []byte) {
		out = append(out, Event{Destination: r.dest, EventID: hex.EncodeToString(id), State: shownState(r.state, r.reason), Reason: r.reason,
			RequestID: r.requestID, UpdatedAt: time.UnixMilli(r.updated).UTC().Format("2006-01-02T15:04:05.000Z")})
	}
	if err := l.count(ctx, c, `r.run_id = ?`, runID); err != nil {
		return nil, err
	}
	slices.SortFunc(out, compareEvents)
	if err := l.overlayProcessing(ctx, runID, out); err != nil {
		return nil, err
	}
	return out, l.overlayRestated(ctx, runID, out)
}

// compareEvents orders events by destination and event id.
func compareEvents(a, b Event) int {
	if c := strings.Compare(a.Destination, b.Destination); c != 0 {
		return c
	}
	return strings.Compare(a.EventID, b.EventID)
}

// RequestInfo is one request of a run, with its event ids in the order
// the platform received them: what a later status poll maps a platform's
// per-record results back through.
type RequestInfo struct {
	ID          int64
	Destination string
	Sent        bool // false: a record of events quarantined before sending
	State       string
	Reason      string
	RequestID   string // the platform's
	At          time.Time
	EventIDs    []string
}

// Requests lists a run's requests in the order they were recorded.
func (l *Ledger) Requests(ctx context.Context, runID string) ([]RequestInfo, error) {
	var out []RequestInfo
	err := l.each(ctx, `WHERE r.run_id = ? ORDER BY r.id`, []any{runID}, func(r *row) error {
		ri := RequestInfo{ID: r.id, Destination: r.dest, Sent: r.sent, State: r.state, Reason: r.reason, RequestID: r.requestID, At: time.UnixMilli(r.at).UTC()}
		for i := 0; i+idLen <= len(r.ids); i += idLen {
			ri.EventIDs = append(ri.EventIDs, hex.EncodeToString(r.ids[i:i+idLen]))
		}
		out = append(out, ri)
		return nil
	})
	return out, err
}
