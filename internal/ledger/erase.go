package ledger

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
)

// Erasure: a patient who withdrew consent and then asked for erasure
// (GDPR art. 17, PIPL art. 47, Taiwan PDPA art. 11).
//
// The only per-patient delete hashgate had was `ledger unrevoke
// --patients`, which forgets the withdrawal — and the next upload of an
// export still holding a later row of the patient wrongly ticked "yes"
// sent it to both platforms (a privacy officer's review). The law's answer
// is a suppression record: keep the least that keeps the person out, erase
// the rest (ICO direct-marketing guidance, "suppression list"; GDPR
// 17(3)(b); PIPL art. 47, stop processing except storage where deletion is
// impossible). So Erase keeps — or writes, when none is there — the
// patient's withdrawal (revoked_patients, and the identifiers of
// revokedids.go, which keep the patient out under a new chart number), for
// every appointment (from_day 0: an erased patient's earlier visits must
// not go again either), and deletes the rest.
//
// The ledger cannot tie an event to a patient: an event id is a keyed hash
// of the order id (eventid), and nothing in the ledger joins it to the
// patient's digest. So the caller names the patient's events (from her
// order ids or event ids: run.ErasePatients). Each is erased where the
// ledger holds it:
//
//   - in a request's packed columns its 16 bytes of event_ids, 12 of
//     value_keys and 4 of sent_times are overwritten with zeros in place —
//     not cut out, for processing_counts, requeues and restated name
//     events by position, and a platform's verdict still to be polled
//     maps its record indices to positions: cut, every later position
//     would point at another patient's event. No export makes the zero id.
//   - a request left with nothing but erased events is deleted, with its
//     outcome, processing verdicts and requeues (ON DELETE CASCADE).
//   - id_aliases rows naming the event (as its id or its legacy id).
//
// A later export holding one of the patient's rows cannot make it go
// again: the pipeline excludes it by the kept withdrawal
// (consent_revoked_patient) before the ledger's "already sent" is asked.
//
// Deleted bytes must not stay readable in the file: the erasure runs with
// PRAGMA secure_delete (SQLite overwrites deleted content with zeros) and
// ends with a TRUNCATE checkpoint, which copies the pages into the
// database and empties the write-ahead log that still held the earlier
// versions of them.

// erasureRun is the run_id of the withdrawals Erase writes: no run id's
// shape, so `ledger unrevoke --run` (which checks the shape) cannot
// forget them, nor the identifiers of the patients they keep
// (ForgetRevokedPatients); `unrevoke --patients --erased` can, for a
// patient who consents anew (ForgetRevokedKeepingErasures: without
// --erased it cannot tell her from another patient whose key folds alike).
const erasureRun = "erasure"

// ErasePatient is a patient to erase: the digest an upload remembers
// the patient under (pipeline.RememberedDigest) and the one an older
// hashgate may have (pipeline.LegacyDigest; 0 when the same); after a
// rotation, the same two under the previous secret (Previous,
// PreviousLegacy; 0 without HASHGATE_PREVIOUS_SECRET): her record waiting
// under it is hers as much as the new one (erasePrevious).
type ErasePatient struct {
	Digest, Legacy           uint64
	Previous, PreviousLegacy uint64
	// Literal and LiteralLegacy are the two digests under which hashgate
	// up to c55587c remembered her withdrawal when her key's cell was an
	// Excel text formula (="00101": pipeline.LiteralDigests); 0 for none.
	// Her record there is hers alone, as under the previous secret
	// (eraseLiteral).
	Literal, LiteralLegacy uint64
}

// literals are p's Literal digests that are not its own (Digest, Legacy).
func (p ErasePatient) literals() []uint64 {
	var out []uint64
	for _, d := range []uint64{p.Literal, p.LiteralLegacy} {
		if d != 0 && d != p.Digest && d != p.Legacy {
			out = append(out, d)
		}
	}
	return out
}

// Erased is what Erase did, in counts.
type Erased struct {
	// Kept: patients whose withdrawal the ledger remembered already, and
	// keeps; Written: patients it remembers from now on.
	Kept, Written int
	// Events: event occurrences (one per request that carried one)
	// erased; Requests: requests deleted, every event of them erased;
	// Aliases: id_aliases rows deleted.
	Events, Requests, Aliases int
	// Checkpointed is false when the write-ahead log could not be emptied
	// (a reader held it): the erased bytes may stay in it until the next
	// checkpoint.
	Checkpointed bool
	// Moved: the patients' e-mail and phone suppression records moved
	// from the previous secret to this one (EraseMoving); StillPrevious:
	// those of theirs left under the previous secret (erasemove.go).
	Moved, StillPrevious int
}

// Erase erases what the ledger holds of patients and of the events
// (packed 16-byte ids) the caller says are theirs, keeping each patient's
// withdrawal (see above), in one transaction: all or nothing. The lists
// are a privacy officer's, a handful of patients: they are held in memory.
func (l *Ledger) Erase(ctx context.Context, patients []ErasePatient, events [][idLen]byte) (Erased, error) {
	return l.EraseMoving(ctx, patients, events, nil)
}

// EraseMoving is Erase, moving in the same transaction the patients'
// e-mail and phone records from the previous secret's digest to this
// one's (moves: pairs of old and new digests of one identifier;
// erasemove.go).
func (l *Ledger) EraseMoving(ctx context.Context, patients []ErasePatient, events [][idLen]byte, moves [][2]uint64) (Erased, error) {
	var out Erased
	conn, err := l.db.Conn(ctx) // the pragmas are a connection's
	if err != nil {
		return out, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return out, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`) // the pool's connection goes on
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	if err := erasePatients(ctx, tx, patients, l.now().UnixMilli(), &out); err != nil {
		return Erased{}, err
	}
	if err := moveErasedIdentifiers(ctx, tx, patients, moves, &out); err != nil {
		return Erased{}, err
	}
	if err := eraseEvents(ctx, tx, events, &out); err != nil {
		return Erased{}, err
	}
	if err := bumpIn(ctx, tx); err != nil {
		return Erased{}, err
	}
	if err := tx.Commit(); err != nil {
		return Erased{}, err
	}
	var busy, logged, moved int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
		return out, fmt.Errorf("ledger: erased, but the write-ahead log could not be emptied: %w", err)
	}
	out.Checkpointed = busy == 0
	return out, nil
}

// erasePatients keeps each patient withdrawn from every appointment,
// writing the withdrawal when the ledger remembered none. What is kept is
// one suppression record a patient and one an identifier of hers, the
// erasure's, with no run: the runs that had read her withdrawal, and
// when, go — kept, they said night by night when her appointments were
// in the export (a review: erasing a patient 166 nights had read added a
// 167th row, and find said "remembered by 91 run(s)"). A record under
// the digest an older hashgate made (Legacy) becomes the erasure's too,
// and is not deleted: it may be another patient's whose key folds alike
// (ForgetRevokedKeepingErasures).
func erasePatients(ctx context.Context, tx *sql.Tx, patients []ErasePatient, now int64, out *Erased) error {
	seen := map[uint64]bool{}
	for _, p := range patients {
		if seen[p.Digest] {
			continue
		}
		seen[p.Digest] = true
		var had int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM revoked_patients WHERE digest IN (?, ?)`, int64(p.Digest), int64(p.Legacy)).Scan(&had); err != nil {
			return err
		}
		// from_day 0: an earlier visit a dated withdrawal let through is
		// one of the events erased now, and must not be sent again. An
		// erasure repeated keeps the first one's time.
		if _, err := tx.ExecContext(ctx, `INSERT INTO revoked_patients (digest, run_id, at, from_day) VALUES (?1, '`+erasureRun+`', ?2, 0)
			ON CONFLICT (digest) DO UPDATE SET run_id = excluded.run_id, from_day = 0, again_run = NULL, again_at = NULL, last_run = NULL, last_at = NULL,
				at = CASE WHEN run_id = excluded.run_id THEN at ELSE excluded.at END`, int64(p.Digest), now); err != nil {
			return err
		}
		if p.Legacy != 0 && p.Legacy != p.Digest {
			if _, err := tx.ExecContext(ctx, `UPDATE revoked_patients SET run_id = '`+erasureRun+`', at = ?2, from_day = 0, again_run = NULL, again_at = NULL, last_run = NULL, last_at = NULL
				WHERE digest = ?1 AND run_id != '`+erasureRun+`'`, int64(p.Legacy), now); err != nil {
				return err
			}
		}
		prev, err := erasePrevious(ctx, tx, p, now)
		if err != nil {
			return err
		}
		lit, err := eraseLiteral(ctx, tx, p, now)
		if err != nil {
			return err
		}
		prev = prev || lit
		legacy := p.Legacy
		if legacy == 0 {
			legacy = p.Digest // 0 is no patient's (revokedIdentifiersQuery)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE revoked_identifiers SET run_id = '`+erasureRun+`', at = ?3, from_day = 0
			WHERE patient IN (?1, ?2) AND run_id != '`+erasureRun+`'`, int64(p.Digest), int64(legacy), now); err != nil {
			return err
		}
		if had > 0 || prev {
			out.Kept++
		} else {
			out.Written++
		}
	}
	return nil
}

// eraseEvents zeroes the events in every request that carried them,
// deletes the requests left with none, and the aliases naming them.
func eraseEvents(ctx context.Context, tx *sql.Tx, events [][idLen]byte, out *Erased) error {
	if len(events) == 0 {
		return nil
	}
	erase := map[[idLen]byte]bool{}
	for _, e := range events {
		erase[e] = true
	}
	type change struct {
		id                 int64
		ids, values, times []byte
		empty              bool
	}
	var changes []change
	rows, err := tx.QueryContext(ctx, `SELECT id, event_ids, value_keys, sent_times FROM requests`)
	if err != nil {
		return err
	}
	var zero [idLen]byte
	for rows.Next() {
		var c change
		if err := rows.Scan(&c.id, &c.ids, &c.values, &c.times); err != nil {
			rows.Close()
			return err
		}
		hit, left := false, false
		for i := 0; i+idLen <= len(c.ids); i += idLen {
			id := [idLen]byte(c.ids[i : i+idLen])
			if !erase[id] {
				left = left || id != zero
				continue
			}
			hit = true
			out.Events++
			pos := i / idLen
			copy(c.ids[i:i+idLen], zero[:])
			zeroAt(c.values, pos, valueFactLen)
			zeroAt(c.times, pos, sentTimeLen)
		}
		if hit {
			c.empty = !left
			changes = append(changes, c)
		}
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range changes {
		if c.empty {
			if _, err := tx.ExecContext(ctx, `DELETE FROM requests WHERE id = ?`, c.id); err != nil {
				return err
			}
			out.Requests++
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE requests SET event_ids = ?, value_keys = ?, sent_times = ? WHERE id = ?`,
			c.ids, nilIfNone(c.values), nilIfNone(c.times), c.id); err != nil {
			return err
		}
	}
	for id := range erase {
		res, err := tx.ExecContext(ctx, `DELETE FROM id_aliases WHERE id = ?1 OR legacy = ?1`, id[:])
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		out.Aliases += int(n)
	}
	return nil
}

// erasedID reports whether the packed id at b[0:16] is an erased
// position (all zeros): no export makes it, so it is nothing — every
// reader of requests.event_ids skips it: never counted, listed, matched,
// confirmed or resent.
func erasedID(b []byte) bool {
	return binary.BigEndian.Uint64(b) == 0 && binary.BigEndian.Uint64(b[8:]) == 0
}

// zeroAt overwrites the size bytes of position pos in packed, when it
// holds them (a request of an earlier schema has none).
func zeroAt(packed []byte, pos, size int) {
	if (pos+1)*size <= len(packed) {
		copy(packed[pos*size:(pos+1)*size], bytes.Repeat([]byte{0}, size))
	}
}

// nilIfNone keeps a column NULL that was (a request recorded before it).
func nilIfNone(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

// eraseLiteral erases p's withdrawal remembered under her key's text
// formula as written (ErasePatient.Literal): a record an older hashgate
// kept of ="00101", with the nights that read it, a keyed digest of her
// chart number. Her identifiers remembered under it become the erasure's,
// under Digest, and the record goes: the one kept under Digest keeps her
// out, as an upgraded upload reads the cell as its text. It reports
// whether there was one. A digest equal to Digest or Legacy is not one.
func eraseLiteral(ctx context.Context, tx *sql.Tx, p ErasePatient, now int64) (bool, error) {
	had := false
	for _, d := range p.literals() {
		var res sql.Result
		for _, q := range []string{
			`UPDATE OR IGNORE revoked_identifiers SET patient = ?2, run_id = '` + erasureRun + `', at = ?3, from_day = 0 WHERE patient = ?1`,
			`DELETE FROM revoked_identifiers WHERE patient = ?1`,
			`DELETE FROM revoked_patients WHERE digest = ?1`, // last: res is its
		} {
			var err error
			if res, err = tx.ExecContext(ctx, q, int64(d), int64(p.Digest), now); err != nil {
				return false, err
			}
		}
		n, err := res.RowsAffected()
		if err != nil {
			return false, err
		}
		had = had || n > 0
	}
	return had, nil
}
