package ledger

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"time"
)

// Sighting is one run's record of one event at one destination, as
// `hashgate ledger find` answers a patient's access request with it
// ("did you send my data, when, what"): every run whose requests carried
// the event is one, so a visit sent, left unanswered and confirmed the
// next night reads as the two nights it was.
type Sighting struct {
	EventID, Destination, Run string
	// At is when the run recorded its latest request carrying the event
	// (written just before it was sent).
	At time.Time
	// Sent: a request carrying it left for the platform; false, the run
	// only recorded it held back before sending (kept back, quarantined
	// before a request): nothing of it left.
	Sent bool
	// EventTime is the event time it went with (schema 12 on; zero: the
	// request was recorded before the ledger kept event times).
	EventTime time.Time
	// State, Reason and RequestID are as `ledger list --run` shows the
	// event in that run (Events: processing verdicts and restatements
	// overlaid, states as people read them).
	State, Reason, RequestID string
	order                    int64 // the first request carrying it, for the order of the answer
}

// Find returns every run's record of the event ids given (hex, as
// stored; ids not of that shape match nothing), ordered by destination,
// event id and then as the runs recorded them. It reads every request's
// ids once (a lookup made on request, not nightly) and, for each run that
// carried one, that run's events as `ledger list --run` shows them, from
// which only the ids asked for are kept: nothing of another event is
// returned.
func (l *Ledger) Find(ctx context.Context, ids []string) ([]Sighting, error) {
	want := map[[idLen]byte]bool{}
	for _, id := range ids {
		b, err := hex.DecodeString(id)
		if err != nil || len(b) != idLen {
			continue
		}
		want[[idLen]byte(b)] = true
	}
	if len(want) == 0 {
		return nil, nil
	}
	type at struct{ dest, id, run string }
	found := map[at]*Sighting{}
	rows, err := l.db.QueryContext(ctx, `SELECT r.id, r.run_id, d.key, r.sent, r.at, r.event_ids, `+sentTimesColumn()+`
		FROM requests r JOIN destinations d ON d.id = r.destination ORDER BY r.id`)
	if err != nil {
		return nil, err
	}
	var (
		reqID, when int64
		run, dest   string
		sent        bool
		packed      sql.RawBytes
		times       sql.RawBytes
	)
	for rows.Next() {
		if err := rows.Scan(&reqID, &run, &dest, &sent, &when, &packed, &times); err != nil {
			rows.Close()
			return nil, err
		}
		for i := 0; (i+1)*idLen <= len(packed); i++ {
			b := [idLen]byte(packed[i*idLen : (i+1)*idLen])
			if !want[b] {
				continue
			}
			k := at{dest, hex.EncodeToString(b[:]), run}
			s := found[k]
			if s == nil {
				s = &Sighting{EventID: k.id, Destination: dest, Run: run, order: reqID}
				found[k] = s
			}
			// The latest request of the run carrying it (rows come in
			// the order they were recorded).
			s.At = time.UnixMilli(when).UTC()
			s.Sent = s.Sent || sent
			if (i+1)*sentTimeLen <= len(times) {
				if t := binary.BigEndian.Uint32(times[i*sentTimeLen:]); t > 0 {
					s.EventTime = time.Unix(int64(t), 0).UTC()
				}
			}
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, err
	}
	runs := map[string]bool{}
	for k := range found {
		runs[k.run] = true
	}
	for run := range runs {
		evs, err := l.Events(ctx, run)
		if err != nil {
			return nil, err
		}
		for _, e := range evs {
			if s := found[at{e.Destination, e.EventID, run}]; s != nil {
				s.State, s.Reason, s.RequestID = e.State, e.Reason, e.RequestID
			}
		}
	}
	out := make([]Sighting, 0, len(found))
	for _, s := range found {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Sighting) int {
		return cmp.Or(cmp.Compare(a.Destination, b.Destination), cmp.Compare(a.EventID, b.EventID), cmp.Compare(a.order, b.order))
	})
	return out, nil
}

// Withdrawal is one run's memory of a patient's withdrawal.
type Withdrawal struct {
	Run string
	At  time.Time
	// FromDay is the day from which the patient's appointments are
	// withdrawn (unix seconds; 0: every one): a dated revocation under
	// consent.revoked_allows_earlier.
	FromDay int64
	order   int64
}

// Withdrawals returns the runs the ledger keeps of the withdrawal of a
// patient whose digests are given (pipeline.RememberedDigest, and
// LegacyDigest for what an older hashgate remembered), oldest first: the
// first is the night it was first remembered, the next the first other
// run that read it again, then the last run that read it (schemaV15,
// migrateV17: the nights between are not kept), or the erasure alone.
// nil: no withdrawal of theirs is remembered (or it was remembered under another secret or patient-key column: RevokedKey
// tells).
func (l *Ledger) Withdrawals(ctx context.Context, digests []uint64) ([]Withdrawal, error) {
	return l.withdrawals(ctx, `SELECT p.run_id, p.at, p.from_day, coalesce(r.rowid, 0) FROM revoked_patients p
			LEFT JOIN runs r ON r.id = p.run_id WHERE p.digest = ?1
		UNION ALL SELECT p.again_run, p.again_at, p.from_day, coalesce(r.rowid, CASE p.again_run WHEN '`+moreRunsRun+`' THEN `+laterOrder+` ELSE 0 END) FROM revoked_patients p
			LEFT JOIN runs r ON r.id = p.again_run WHERE p.digest = ?1 AND p.again_run IS NOT NULL
		UNION ALL SELECT p.last_run, p.last_at, p.from_day, coalesce(r.rowid, CASE p.last_run WHEN '`+moreRunsRun+`' THEN `+laterOrder+` ELSE 0 END) FROM revoked_patients p
			LEFT JOIN runs r ON r.id = p.last_run WHERE p.digest = ?1 AND p.last_run IS NOT NULL`, digests)
}

// laterOrder sorts a reading again or last kept under moreRunsRun (a
// schema 15 record's third reading, migrateV17) after the kept runs: it
// read the withdrawal after the runs before it. A run retention removed
// sorts with the oldest, by its time, as a first reading's does.
const laterOrder = `(SELECT coalesce(max(rowid), 0) + 1 FROM runs)`

// IdentifierWithdrawals returns, as Withdrawals does, the first runs that
// remembered a withdrawn patient's email address or phone number whose
// digests are given (eventid.Deriver.RevokedIdentifier, as the upload
// makes them of a row: pipeline.RowIDs.Identifiers), oldest first. A row
// carrying one is kept out of every upload whatever its patient key says
// (a patient renumbered by a new practice system, a family's one phone),
// so an access request must hear of it. FromDay is as remembered; the
// upload withdraws every appointment by an identifier.
func (l *Ledger) IdentifierWithdrawals(ctx context.Context, digests []uint64) ([]Withdrawal, error) {
	return l.withdrawals(ctx, `SELECT i.run_id, i.at, i.from_day, coalesce(r.rowid, 0) FROM revoked_identifiers i
			LEFT JOIN runs r ON r.id = i.run_id WHERE i.digest = ?`, digests)
}

// withdrawals runs query (run, at, from_day, the run's order; one digest
// bound) for each digest, one Withdrawal a run, oldest first.
func (l *Ledger) withdrawals(ctx context.Context, query string, digests []uint64) ([]Withdrawal, error) {
	var out []Withdrawal
	seen := map[string]int{} // run → index in out
	for _, d := range digests {
		// In the order the runs were recorded (runsOldestFirst), not by
		// their clocks; a run retention removed sorts as the oldest.
		rows, err := l.db.QueryContext(ctx, query, int64(d))
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var w Withdrawal
			var ms int64
			if err := rows.Scan(&w.Run, &ms, &w.FromDay, &w.order); err != nil {
				rows.Close()
				return nil, err
			}
			w.At = time.UnixMilli(ms).UTC()
			if i, ok := seen[w.Run]; ok {
				if out[i].FromDay > 0 && (w.FromDay <= 0 || w.FromDay < out[i].FromDay) {
					out[i].FromDay = max(w.FromDay, 0)
				}
				continue
			}
			seen[w.Run] = len(out)
			out = append(out, w)
		}
		if err := closeRows(rows); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(out, func(a, b Withdrawal) int { return cmp.Or(cmp.Compare(a.order, b.order), a.At.Compare(b.At)) })
	return placeErasure(out), nil
}

// Erasure reports whether the withdrawal is the one `ledger erase` kept
// or wrote (Erase), not a run's: what was sent before At is no longer in
// the ledger.
func (w Withdrawal) Erasure() bool { return w.Run == erasureRun }

// MoreRuns reports whether the withdrawal is kept for runs the ledger
// does not keep: under schema 15 the two it kept were undone (`ledger
// unrevoke --run`) and a third had read it too (seen_more), or a third
// reading schema 15 flagged, carried over by migrateV17. At is a run's
// before it; the third read it later.
func (w Withdrawal) MoreRuns() bool { return w.Run == moreRunsRun }

// placeErasure moves the erasure's record, which has no row in runs and
// so sorts as the oldest, to its own time among the runs': before it,
// `ledger find` named the erasure the first to remember a withdrawal the
// uploads had remembered nights before (a review).
func placeErasure(out []Withdrawal) []Withdrawal {
	i := slices.IndexFunc(out, Withdrawal.Erasure)
	if i < 0 {
		return out
	}
	e := out[i]
	out = slices.Delete(out, i, i+1)
	at := slices.IndexFunc(out, func(w Withdrawal) bool { return w.At.After(e.At) })
	if at < 0 {
		at = len(out)
	}
	return slices.Insert(out, at, e)
}

// RevokedKey is the fingerprint the remembered withdrawals were made
// under (eventid.Deriver.RevokedKeyCheck; "" when none is kept).
func (l *Ledger) RevokedKey(ctx context.Context) (string, error) {
	return l.metaValue(ctx, revokedKeyMeta)
}
