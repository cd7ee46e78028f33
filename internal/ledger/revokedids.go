package ledger

import (
	"context"

	"github.com/hashgate/hashgate/internal/keyset"
)

// Identifiers of patients who withdrew consent, remembered beside the
// patients (revoked.go). A withdrawal remembered by the patient key's
// digest alone was lost when the clinic changed its practice system: the
// new one numbered its patients anew under the same column name, the
// withdrawn patient came back under another chart number with consent
// yes, and was sent (a review; exit 0, nothing said). So the ledger also
// keeps keyed digests (eventid.Deriver.RevokedIdentifier: HMAC under the
// secret, never the identifier) of the email addresses and phone numbers
// the withdrawing rows carried, as normalised for hashing, each with the
// digest of the patient it was read for and the run that first saw it
// (one record each since schema 15: revokedonce.go): `ledger unrevoke
// --run` forgets those of the patients it forgets, `--patients` a
// patient's. Like the patients they never expire. IF NOT EXISTS: a
// ledger set back to an older schema by hand (tests do) keeps the table.
const schemaV14 = `CREATE TABLE IF NOT EXISTS revoked_identifiers (
		digest   INTEGER NOT NULL,
		patient  INTEGER NOT NULL,
		run_id   TEXT NOT NULL,
		at       INTEGER NOT NULL,
		from_day INTEGER NOT NULL DEFAULT 0,
		PRIMARY KEY (digest, patient, run_id)
	) WITHOUT ROWID;
	CREATE INDEX IF NOT EXISTS revoked_identifiers_run ON revoked_identifiers (run_id);
	CREATE INDEX IF NOT EXISTS revoked_identifiers_patient ON revoked_identifiers (patient);`

// revokedIdentifiersQuery selects each remembered identifier's digest
// with the patient it withdraws nobody but (its owner): the digest of the
// one patient whose dated withdrawals (from_day > 0) alone carried it,
// else 0 — an undated withdrawal carried it, or more than one patient did,
// and it withdraws every row that carries it. The pipeline exempts a row
// of the owner (her visits before her day carry her own identifiers) and
// no other: the day the value held before was never read, while every
// row of a patient with a dated revocation was exempt, whoever had
// withdrawn the identifier (review). A patient's digest of 0 is taken as
// none (it withdraws: the safe side).
const revokedIdentifiersQuery = `SELECT digest, CASE WHEN sum(from_day <= 0) > 0 OR min(patient) != max(patient) THEN 0 ELSE min(patient) END FROM revoked_identifiers GROUP BY digest`

// RevokedIdentifiers returns every identifier remembered as a withdrawn
// patient's, each with its owner (revokedIdentifiersQuery; nil when there
// is none), read into a keyset.Mins as the patients are (RevokedPatients):
// its memory does not grow with them. The caller closes it.
func (l *Ledger) RevokedIdentifiers(ctx context.Context) (*keyset.Mins, error) {
	return scanRevoked(ctx, l.db, revokedIdentifiersQuery)
}

// identifierWithdrawersQuery selects each remembered identifier that more
// than one patient's withdrawals carried, with minus how many patients
// (a keyset.Mins keeps the least): the fan-out alarm judges a remembered
// identifier against max(10, 3 × them), as it judges one withdrawn
// tonight against tonight's withdrawing patients (pipeline fanout.go) —
// so the withdrawal night's verdict and a later night's, a re-run's, agree.
// One patient, the usual case, is no row: absent counts one. Since schema
// 15 a (digest, patient) pair is one row (its primary key), so a count of
// rows is a count of patients.
const identifierWithdrawersQuery = `SELECT digest, -count(*) FROM revoked_identifiers GROUP BY digest HAVING count(*) > 1`

// IdentifierWithdrawers returns, per remembered identifier carried by
// more than one withdrawn patient, minus how many
// (identifierWithdrawersQuery; nil when there is none). The caller closes
// it.
func (l *Ledger) IdentifierWithdrawers(ctx context.Context) (*keyset.Mins, error) {
	return scanRevoked(ctx, l.db, identifierWithdrawersQuery)
}

// AddRevokedIdentifiers remembers, as seen by run runID and in one
// transaction, the identifiers each gives add: an identifier's digest,
// the digest of the patient whose withdrawing row carried it, and the day
// from which that patient is withdrawn (0: every appointment). The same
// identifier of the same patient given twice, by this run or any, is one
// record, with its first run, its days merged as AddRevokedPatients
// merges a patient's: a night that reads it again writes nothing unless
// the day withdraws more (schemaV15).
func (l *Ledger) AddRevokedIdentifiers(ctx context.Context, runID string, each func(add func(digest, patient uint64, from int64) error) error) error {
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO revoked_identifiers (digest, patient, run_id, at, from_day) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (digest, patient) DO UPDATE SET from_day = `+mergedDay+` WHERE `+stricterDay)
	if err != nil {
		return err
	}
	defer st.Close()
	now := l.now().UnixMilli()
	if err := each(func(d, patient uint64, from int64) error {
		_, err := st.ExecContext(ctx, int64(d), int64(patient), runID, now, from)
		return err
	}); err != nil {
		return err
	}
	if err := bumpIn(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}
