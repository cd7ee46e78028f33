package ledger

// schemaV15 keeps one record a withdrawn patient, and one an identifier
// of a withdrawn patient, however many nights read the withdrawal.
//
// Under schema 9 every run that read a withdrawal added a row for it
// (digest, run, the run's time): a rolling export shows a withdrawn
// patient's row night after night, so after 520 nightly uploads of a
// clinic's 7-day export 900 patients held 53,037 rows and their 1,800
// identifiers 106,074 — 20 MB of a 31 MB ledger, growing 517 bytes a
// conversion, a third of every upload spent reading them, and, for one
// patient, 166 rows dated night by night: a pseudonymous record of when
// her appointments were in the export, which nothing ever pruned
// (retention keeps withdrawals; a review, 2026-12-07).
//
// What the rules read is the patient's digest and the day she is
// withdrawn from (RevokedPatients), an identifier's digest with the
// patients it was read for and their days (revokedIdentifiersQuery,
// identifierWithdrawersQuery), and, for `ledger unrevoke --run R` (a
// night whose consent column was mapped wrong), whether a run other than
// R read the withdrawal too: then it stays (TestWithdrawalsAreKeptPerRun,
// the reason schema 9 kept runs). One other run answers that. So a
// patient's record keeps the run that first read the withdrawal (run_id,
// at), the first other run that read it again (again_run, again_at; NULL
// until one does), and her day merged as before (0 over any day, else
// the earliest); since schema 17 also the last run after those that read
// it (last_run, last_at: migrateV17), updated in place. An erasure's
// record (run_id "erasure", erase.go) keeps no run at all.
//
// Undoing run R (ForgetRevokedPatients) forgets R's reading: the
// withdrawals R read first and no other run read again are forgotten; one
// another run read again is remembered since that run; R's reading again
// of another run's is dropped. Schema 15 kept a third run's reading as a
// flag, seen_more, which left a withdrawal under moreRunsRun when both
// kept runs were undone — for good, even when every run that read it was
// undone; schema 17 keeps the last run that read it instead
// (revokedlast.go, migrateV17). And a day a later run made stricter stays
// so when that run is undone (the safe side: it withdraws more).
//
// An identifier's record keeps its first run; undoing a run forgets the
// identifiers of the patients it forgets, whichever run read them, and
// no others: an identifier goes with its patient.
//
// The upgrade keeps, of each patient's rows, the first in the runs' order
// (a run retention removed, which has no row in runs, before any kept;
// then by time) and the next as the reading again, with seen_more set
// when there were more; an erasure's row alone when there is one. It runs under secure_delete, so the nights' rows are
// overwritten, not left in free pages. The run index goes: unrevoke
// --run, a person's command, reads the table through. WITHOUT ROWID, as
// schema 9's: the digest is stored as the 8 bytes it is, not as a rowid's
// varint, so a search of the file for a forgotten digest
// (TestForgetAndUnrevokeLeaveNoBytes) searches what is there.
const schemaV15 = `PRAGMA secure_delete = ON;
	CREATE TABLE revoked_patients_v15 (
		digest    INTEGER PRIMARY KEY,
		run_id    TEXT NOT NULL,
		at        INTEGER NOT NULL,
		from_day  INTEGER NOT NULL DEFAULT 0,
		again_run TEXT,
		again_at  INTEGER,
		seen_more INTEGER NOT NULL DEFAULT 0
	) WITHOUT ROWID;
	INSERT INTO revoked_patients_v15 (digest, run_id, at, from_day, again_run, again_at, seen_more)
	SELECT digest, run_id, at, day,
		CASE WHEN run_id = '` + erasureRun + `' THEN NULL ELSE next_run END,
		CASE WHEN run_id = '` + erasureRun + `' THEN NULL ELSE next_at END,
		run_id != '` + erasureRun + `' AND n > 2
	FROM (SELECT p.digest, p.run_id, p.at,
			CASE WHEN sum(p.from_day <= 0) OVER w > 0 THEN 0 ELSE min(p.from_day) OVER w END AS day,
			count(*) OVER w AS n,
			lead(p.run_id) OVER o AS next_run, lead(p.at) OVER o AS next_at,
			row_number() OVER o AS k
		FROM revoked_patients p LEFT JOIN runs r ON r.id = p.run_id
		WINDOW w AS (PARTITION BY p.digest),
			o AS (PARTITION BY p.digest ORDER BY p.run_id = '` + erasureRun + `' DESC, coalesce(r.rowid, 0), p.at, p.run_id))
	WHERE k = 1;
	DROP TABLE revoked_patients;
	ALTER TABLE revoked_patients_v15 RENAME TO revoked_patients;
	CREATE TABLE revoked_identifiers_v15 (
		digest   INTEGER NOT NULL,
		patient  INTEGER NOT NULL,
		run_id   TEXT NOT NULL,
		at       INTEGER NOT NULL,
		from_day INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (digest, patient)
	) WITHOUT ROWID;
	INSERT INTO revoked_identifiers_v15 (digest, patient, run_id, at, from_day)
	SELECT i.digest, i.patient, coalesce(e.run_id, i.run_id), coalesce(e.at, i.at), CASE WHEN e.digest IS NULL THEN i.day ELSE 0 END
	FROM (SELECT i.digest, i.patient, i.run_id, i.at,
			CASE WHEN sum(i.from_day <= 0) OVER w > 0 THEN 0 ELSE min(i.from_day) OVER w END AS day,
			row_number() OVER (PARTITION BY i.digest, i.patient ORDER BY coalesce(r.rowid, 0), i.at, i.run_id) AS k
		FROM revoked_identifiers i LEFT JOIN runs r ON r.id = i.run_id
		WINDOW w AS (PARTITION BY i.digest, i.patient)) i
	LEFT JOIN revoked_patients e ON e.digest = i.patient AND e.run_id = '` + erasureRun + `'
	WHERE i.k = 1;
	DROP TABLE revoked_identifiers;
	ALTER TABLE revoked_identifiers_v15 RENAME TO revoked_identifiers;
	CREATE INDEX revoked_identifiers_patient ON revoked_identifiers (patient);
	PRAGMA secure_delete = OFF;`

// notAgain is the upsert's test (in AddRevokedPatients' ON CONFLICT, the
// row kept unqualified, the new one as excluded) that the run reads again
// a withdrawal another run read first and no other run read again: the
// one write a re-read withdrawal costs.
const notAgain = `again_run IS NULL AND run_id NOT IN (excluded.run_id, '` + erasureRun + `')`

// moreRunsRun is the run_id of a withdrawal whose kept runs were both
// undone (`ledger unrevoke --run`) under schema 15 while a third run had
// read it too (seen_more), or, since schema 17, the last or again reading
// of a record seen_more flagged (migrateV17): it stays, named by no run. Like erasureRun it has no run
// id's shape, so no `unrevoke --run` forgets it; `unrevoke --patients`,
// for a patient who gave consent again, does.
const moreRunsRun = "more-runs"

// stricterDay is the upsert's test that the new record withdraws more of
// the patient's appointments: every one, or from an earlier day.
const stricterDay = `from_day > 0 AND (excluded.from_day <= 0 OR excluded.from_day < from_day)`

// mergedDay is the upsert's merged day: 0 over any day, else the earliest.
const mergedDay = `CASE WHEN from_day <= 0 OR excluded.from_day <= 0 THEN 0 ELSE min(from_day, excluded.from_day) END`
