package ledger

import (
	"context"
	"database/sql"
	"errors"

	"github.com/hashgate/hashgate/internal/keyset"
)

// Patients who withdrew consent, remembered (pipeline.PatientRevocations):
// a withdrawal written on one row of a rolling export would otherwise be
// forgotten when that row leaves the export, and the patient's later
// visits sent. Each is a keyed digest of the patient key
// (eventid.Deriver.RevokedPatient: HMAC under the clinic's secret, so the
// ledger reveals no chart number to anyone without it), with the run that
// saw the withdrawal, so a run whose consent column was mapped wrong can
// be undone (ForgetRevokedPatients; `hashgate ledger unrevoke`).
//
// Retention (Forget) never prunes them: a withdrawal does not expire.
const schemaV8 = `CREATE TABLE revoked_patients (
		digest INTEGER PRIMARY KEY,
		run_id TEXT NOT NULL,
		at     INTEGER NOT NULL
	);
	CREATE INDEX revoked_patients_run ON revoked_patients (run_id);`

// schemaV9 keys a withdrawal by patient and run: every run that sees a
// patient withdraw remembers it, so undoing one run (a wrongly mapped
// consent column) leaves the withdrawals the other runs saw — keyed by
// the patient alone, a genuine withdrawal first seen by the wrong run was
// forgotten with it (review). revoked_key holds the fingerprint of the
// secret the digests were made under (RevokedKeyCheck).
const schemaV9 = `CREATE TABLE revoked_patients_v9 (
		digest INTEGER NOT NULL,
		run_id TEXT NOT NULL,
		at     INTEGER NOT NULL,
		PRIMARY KEY (digest, run_id)
	) WITHOUT ROWID;
	INSERT INTO revoked_patients_v9 (digest, run_id, at) SELECT digest, run_id, at FROM revoked_patients;
	DROP TABLE revoked_patients;
	ALTER TABLE revoked_patients_v9 RENAME TO revoked_patients;
	CREATE INDEX revoked_patients_run ON revoked_patients (run_id);`

// schemaV10 keeps the day a dated revocation (consent.revoked_allows_
// earlier) takes effect: from_day, unix seconds, 0 for every appointment.
const schemaV10 = `ALTER TABLE revoked_patients ADD COLUMN from_day INTEGER NOT NULL DEFAULT 0;`

// RevokedPatients returns every patient remembered as revoked, each with
// the day from which their appointments are withdrawn (0: every one; of
// several runs', 0 over any day, else the earliest); nil when there is
// none. They are read into a keyset.Mins, whose memory does not grow
// with them: a withdrawal never expires, and in a Go map they held 115 MB
// at 1M patients on every upload (review, session 21). The caller closes
// it.
func (l *Ledger) RevokedPatients(ctx context.Context) (*keyset.Mins, error) {
	return scanRevoked(ctx, l.db, revokedPatientsQuery)
}

// revokedPatientsQuery is RevokedPatients': a patient's day is 0 when
// any run remembered every appointment, else the earliest.
const revokedPatientsQuery = `SELECT digest, CASE WHEN sum(from_day <= 0) > 0 THEN 0 ELSE min(from_day) END FROM revoked_patients GROUP BY digest`

// scanRevoked runs q, which selects (digest, from day) pairs grouped by
// digest, in the digests' order (the primary key's, no sort: a Mins
// given its keys in order writes them once, to one run); nil when there
// is none.
func scanRevoked(ctx context.Context, db interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, q string) (*keyset.Mins, error) {
	m := keyset.NewMins("", keyset.Sizes{BloomBits: rememberedBloomBits})
	err := func() error {
		rows, err := db.QueryContext(ctx, q+" ORDER BY digest")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var d, from int64
			if err := rows.Scan(&d, &from); err != nil {
				return err
			}
			if err := m.Note(uint64(d), from); err != nil {
				return err
			}
		}
		return rows.Err()
	}()
	if err == nil {
		err = m.Freeze()
	}
	if err != nil || m.Len() == 0 {
		m.Close()
		return nil, err
	}
	return m, nil
}

// rememberedBloomBits bounds the remembered withdrawals' filter at 8 MiB
// (a Mins' default is 4): every row with a patient key asks it, and at
// 10M patients 8 MiB lets about 5% of the others through to a 4 KiB read.
const rememberedBloomBits = 1 << 26

// AddRevokedPatients remembers as revoked by run runID, in one
// transaction, the patients each gives add (pipeline.Revoking.Each: a
// patient's digest and the day from which they are withdrawn, 0 for every
// appointment). A patient given more than once is remembered once, with 0
// over any day, else the earliest: the records are merged here, as they
// come, and not in a map of every patient an export revokes (111 MB at
// 10M: memory review). A patient the ledger remembers already is not
// added again (schemaV15): the record notes the first other run that
// reads it again, the last run after those that read it (migrateV17: one
// UPDATE in place a night for each withdrawn patient in the export), and
// a day that withdraws more; else nothing is written. It returns how many
// patients the run's records now name (first, again or last): those
// `ledger unrevoke --run` would forget of it.
func (l *Ledger) AddRevokedPatients(ctx context.Context, runID string, each func(add func(digest uint64, from int64) error) error) (int, error) {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO revoked_patients (digest, run_id, at, from_day) VALUES (?1, ?2, ?3, ?4)
		ON CONFLICT (digest) DO UPDATE SET from_day = `+mergedDay+`,
			again_run = CASE WHEN `+notAgain+` THEN excluded.run_id ELSE again_run END,
			again_at = CASE WHEN `+notAgain+` THEN excluded.at ELSE again_at END,
			last_run = CASE WHEN `+readLast+` THEN excluded.run_id ELSE last_run END,
			last_at = CASE WHEN `+readLast+` THEN excluded.at ELSE last_at END
		WHERE `+stricterDay+` OR `+notAgain+` OR `+readLast+`
		RETURNING run_id = ?2 OR again_run IS ?2 OR last_run IS ?2`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	named := keyset.New("", keyset.Sizes{})
	defer named.Close()
	now := l.now().UnixMilli()
	n := 0
	if err := each(func(d uint64, from int64) error {
		var ours bool
		switch err := st.QueryRowContext(ctx, int64(d), runID, now, from).Scan(&ours); {
		case errors.Is(err, sql.ErrNoRows) || err == nil && !ours:
			return nil // remembered already, by runs that stay: nothing written
		case err != nil:
			return err
		}
		had, err := named.Seen(d, true)
		if err == nil && !had {
			n++
		}
		return err
	}); err != nil {
		return 0, err
	}
	if err := bumpIn(ctx, tx); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// ForgetRevokedPatients forgets run runID's reading of withdrawals, for
// a run whose consent column was mapped wrong (schemaV15, migrateV17):
// the run is cleared from whichever of a record's first, again and last
// readings it is, the others moving up so the first is the earliest
// kept; a record no kept run names then is forgotten, with its patient's
// identifiers. So undoing every run of a mapping wrong for seven nights
// forgets what it withdrew, and undoing the first two nights of a
// genuine withdrawal read on five more keeps it, since the last. One
// under moreRunsRun (schema 15's) stays. It returns how many
// patients the run's records named (RevokedElsewhere counts those that
// stay). An unknown run is an error naming it.
func (l *Ledger) ForgetRevokedPatients(ctx context.Context, runID string) (int, error) {
	var known int
	// A run retention has removed still holds its withdrawals.
	if err := l.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM runs WHERE id = ?1) + (SELECT count(*) FROM revoked_patients WHERE run_id = ?1 OR again_run = ?1 OR last_run = ?1)
		+ (SELECT count(*) FROM revoked_identifiers WHERE run_id = ?1)`, runID).Scan(&known); err != nil {
		return 0, err
	}
	if known == 0 {
		// Not the id: the caller's value, never echoed (cli checks it is
		// a run id's shape first).
		return 0, errors.New("no run of that id in the ledger (hashgate ledger list shows the runs)")
	}
	var n int64
	// Under secure_delete: the forgotten digests are not left readable
	// in the file (securedelete.go).
	_, err := l.secureWrite(ctx, false, func(tx *sql.Tx) error {
		for _, q := range []string{
			// Its reading again of another run's withdrawal.
			// Its last reading: dropped.
			`UPDATE revoked_patients SET last_run = NULL, last_at = NULL WHERE last_run = ?1`,
			// Its reading again: the last, if any, reads it again.
			`UPDATE revoked_patients SET again_run = last_run, again_at = last_at, last_run = NULL, last_at = NULL WHERE again_run = ?1`,
			// What it read first and another run read again: that run's,
			// the last the reading again.
			`UPDATE revoked_patients SET run_id = again_run, at = again_at, again_run = last_run, again_at = last_at, last_run = NULL, last_at = NULL
				WHERE run_id = ?1 AND again_run IS NOT NULL`,
		} {
			res, err := tx.ExecContext(ctx, q, runID)
			if err != nil {
				return err
			}
			kept, err := res.RowsAffected()
			if err != nil {
				return err
			}
			n += kept
		}
		// The identifiers of the patients it alone read go with them
		// (revokedids.go): left, they kept the patients out. An erased
		// patient's record is the erasure's, never a run's: her
		// identifiers stay (forgotten, her renumbered chart was sent: a
		// review, 2026-12-07).
		// An identifier it read of a patient not remembered goes too.
		if _, err := tx.ExecContext(ctx, `DELETE FROM revoked_identifiers WHERE patient IN (SELECT digest FROM revoked_patients WHERE run_id = ?1)
			OR (run_id = ?1 AND patient NOT IN (SELECT digest FROM revoked_patients))`, runID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM revoked_patients WHERE run_id = ?1`, runID)
		if err != nil {
			return err
		}
		gone, err := res.RowsAffected()
		n += gone
		if err != nil {
			return err
		}
		// An identifier it read first of a patient who stays is the
		// patient's, under her record's run: undone, the run is named
		// nowhere.
		_, err = tx.ExecContext(ctx, `UPDATE revoked_identifiers SET (run_id, at) =
			(SELECT p.run_id, p.at FROM revoked_patients p WHERE p.digest = revoked_identifiers.patient)
			WHERE run_id = ?1 AND patient IN (SELECT digest FROM revoked_patients)`, runID)
		if err != nil {
			return err
		}
		return bumpIn(ctx, tx)
	})
	return int(n), err
}

// RevokedElsewhere counts the patients run runID's records name that
// another run read too (another of its first, again and last): `ledger unrevoke --run` forgets runID's reading
// of them, and they stay withdrawn (schemaV15). Said, so that "forgot N"
// is not read as N patients sent again.
func (l *Ledger) RevokedElsewhere(ctx context.Context, runID string) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT count(*) FROM revoked_patients WHERE again_run = ?1 OR last_run = ?1 OR (run_id = ?1 AND again_run IS NOT NULL)`, runID).Scan(&n)
	return n, err
}

// ForgetRevokedKeepingErasures forgets the patients each gives forget,
// whichever runs remembered them — a patient who gave consent
// again, listed by the person who holds the new form — and returns how
// many of them the ledger remembered. Each spelling of a patient's key
// listed comes as the patient's digest (pipeline.RememberedDigest) and
// the digest an older hashgate remembered that spelling under
// (LegacyDigest; 0 when the same), and a patient counts once however many
// of their spellings and digests matched: a key set of those counted, not
// a list of every patient (218 MB for 3M keys listed: memory review). One
// transaction: all or none. It counts in erased the listed patients an
// erasure kept withdrawn (Erase); when keepErased, those are left whole —
// their record and the identifiers remembered with them — and not counted
// in forgot; else forgotten like any other. The ledger keeps a
// withdrawal under the folded key's digest alone (consent.Key: case and
// leading zeros ignored), so it cannot tell an erasure of 0777 from one of
// 777: in a clinic system that tells them apart, `unrevoke --patients 777`
// for a patient who consented again forgot the erasure of another, and
// the next upload sent her later rows ticked "yes" (a review, 2026-12-07).
// Undoing an erasure is the caller's explicit choice (--erased).
//
// With each spelling come its digests under the previous secret
// (ErasePatient.Previous, PreviousLegacy; 0 without one) and under its
// text formula as an older hashgate read it (Literal, LiteralLegacy).
// After a rotation a patient's withdrawal waits under the previous secret
// until she reappears, and `unrevoke --patients` that forgot the new
// secret's digests alone forgot nothing of hers — she stayed out,
// "forgot 0". Only records
// marked prev_key are forgotten by those (revokedprev.go).
func (l *Ledger) ForgetRevokedKeepingErasures(ctx context.Context, keepErased bool, each func(forget func(ErasePatient) error) error) (forgot, erased int, err error) {
	// Under secure_delete: the forgotten digests are not left readable
	// in the file (securedelete.go).
	_, err = l.secureWrite(ctx, false, func(tx *sql.Tx) (err error) {
		if forgot, erased, err = forgetDigests(ctx, tx, keepErased, each); err != nil {
			return err
		}
		return bumpIn(ctx, tx)
	})
	return forgot, erased, err
}

func forgetDigests(ctx context.Context, tx *sql.Tx, keepErased bool, each func(forget func(ErasePatient) error) error) (int, int, error) {
	st, err := tx.PrepareContext(ctx, `DELETE FROM revoked_patients WHERE digest = ?`)
	if err != nil {
		return 0, 0, err
	}
	defer st.Close()
	// A patient's identifiers (revokedids.go) are forgotten with them.
	ids, err := tx.PrepareContext(ctx, `DELETE FROM revoked_identifiers WHERE patient = ?`)
	if err != nil {
		return 0, 0, err
	}
	defer ids.Close()
	isErased, err := tx.PrepareContext(ctx, `SELECT count(*) FROM revoked_patients WHERE run_id = '`+erasureRun+`'
		AND (digest IN (?1, ?2) OR digest IN (?3, ?4) AND prev_key != 0)`)
	if err != nil {
		return 0, 0, err
	}
	defer isErased.Close()
	counted := keyset.New("", keyset.Sizes{})
	defer counted.Close()
	kept := keyset.New("", keyset.Sizes{})
	defer kept.Close()
	del := func(d uint64) (bool, error) {
		res, err := st.ExecContext(ctx, int64(d))
		if err != nil {
			return false, err
		}
		if _, err := ids.ExecContext(ctx, int64(d)); err != nil {
			return false, err
		}
		n, err := res.RowsAffected()
		return n > 0, err
	}
	forgot, erased := 0, 0
	prev, err := tx.PrepareContext(ctx, `DELETE FROM revoked_patients WHERE digest = ? AND prev_key != 0`)
	if err != nil {
		return 0, 0, err
	}
	defer prev.Close()
	err = each(func(p ErasePatient) error {
		patient, legacy := p.Digest, p.Legacy
		var n int
		if err := isErased.QueryRowContext(ctx, int64(patient), int64(legacy), int64(p.Previous), int64(p.PreviousLegacy)).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			had, err := kept.Seen(patient, true)
			if err == nil && !had {
				erased++
			}
			if err != nil || keepErased {
				return err
			}
		}
		found, err := del(patient)
		if err == nil && legacy != 0 && legacy != patient {
			var also bool
			also, err = del(legacy)
			found = found || also
		}
		// Her withdrawal an older hashgate remembered under her key's text
		// formula as written (ErasePatient.Literal) is hers too.
		for _, d := range p.literals() {
			if err != nil {
				continue
			}
			var also bool
			if also, err = del(d); also {
				found = true
			}
		}
		for _, d := range []uint64{p.Previous, p.PreviousLegacy} {
			if err != nil || d == 0 {
				continue
			}
			var also bool
			if also, err = delPrevious(ctx, prev, ids, d); also {
				found = true
			}
		}
		if err != nil || !found {
			return err
		}
		had, err := counted.Seen(patient, true)
		if err == nil && !had {
			forgot++
		}
		return err
	})
	if err != nil {
		return 0, 0, err
	}
	return forgot, erased, nil
}

// revokedKeyMeta is the meta key of the fingerprint the remembered
// withdrawals were made under.
const revokedKeyMeta = "revoked_key"

// RevokedUnderAnotherKey compares check, the fingerprint of what this run
// makes digests with (eventid.Deriver.RevokedKeyCheck: the secret and the
// patient-key column), with the one the remembered withdrawals were made
// with, and returns how many patients are remembered under another (0:
// the same, or none remembered); unknown is true when the ledger keeps no
// fingerprint for them (remembered under schema 8, before it was kept),
// so that it cannot tell. While none is remembered it returns 0 and the
// caller keeps the run's fingerprint: a secret changed before the first
// withdrawal is no change under any — but it is still a rotation, whose
// events sent before it carry the old secret's ids, and the caller
// records it as one (RotateRevokedKey) once the run goes on. Set here,
// before the run's own stops, a run that stopped after it left the new
// fingerprint and no rotation: the next night saw none.
func (l *Ledger) RevokedUnderAnotherKey(ctx context.Context, check string) (n int, unknown bool, err error) {
	was, err := l.metaValue(ctx, revokedKeyMeta)
	if err != nil {
		return 0, false, err
	}
	if was == check {
		return 0, false, nil
	}
	unknown = was == ""
	if err := l.db.QueryRowContext(ctx, `SELECT count(DISTINCT digest) FROM revoked_patients`).Scan(&n); err != nil {
		return 0, false, err
	}
	if n == 0 {
		return 0, false, nil
	}
	return n, unknown, nil
}

// RememberedRevoked counts the patients remembered as withdrawn.
func (l *Ledger) RememberedRevoked(ctx context.Context) (int, error) {
	var n int
	err := l.db.QueryRowContext(ctx, `SELECT count(DISTINCT digest) FROM revoked_patients`).Scan(&n)
	return n, err
}

// SetRevokedKey records check as the fingerprint from now on: when none
// is remembered, or after a person chose to go on under a new secret or
// patient-key column (--accept-new-ids), when the withdrawals made under
// the old one can no longer be matched.
func (l *Ledger) SetRevokedKey(ctx context.Context, check string) error {
	return l.setMeta(ctx, revokedKeyMeta, check)
}

// delPrevious forgets the record waiting under the previous secret whose
// digest is d (st: prev_key's alone) and the identifiers remembered with
// it (ids), reporting whether there was one.
func delPrevious(ctx context.Context, st, ids *sql.Stmt, d uint64) (bool, error) {
	res, err := st.ExecContext(ctx, int64(d))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil || n == 0 {
		return false, err
	}
	_, err = ids.ExecContext(ctx, int64(d))
	return true, err
}
