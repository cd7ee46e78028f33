package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Withdrawals is what a ledger remembers of the patients who withdrew
// consent, as ReadWithdrawals found it.
type Withdrawals struct {
	// Check is the fingerprint of the secret and patient-key column the
	// digests were made under (RevokedKeyCheck; "" when none is kept).
	Check string
	// Patients maps each patient's digest to the day from which their
	// appointments are withdrawn, as RevokedPatients does.
	Patients map[uint64]int64
}

// ReadWithdrawals reads the withdrawals the ledger at path remembers, for
// the commands that send nothing themselves (a dry-run, `hashgate write`)
// and must change nothing: Open migrates an older schema (a dry-run of a
// new hashgate, the usual way to try it, upgraded the ledger for good and
// the cron job's older hashgate refused it), makes a readable file
// private, creates what is missing, and waits on a running upload's
// write lock to do it (review of 71f669b). This opens the file through
// SQLite's read-only mode (sqlite.org/uri.html: mode=ro), without the run
// lock — a reader beside an upload sees its last commit (WAL) — and reads
// an older schema as it is: before schema 8 nothing is remembered, before
// 10 no day (every appointment is withdrawn: only stricter). A schema
// newer than this hashgate's is an error, as for Open; so is a path that
// is not there (fs.ErrNotExist), a symbolic link or not a regular file.
func ReadWithdrawals(ctx context.Context, path string) (Withdrawals, error) {
	st, err := os.Lstat(path)
	switch {
	case err != nil:
		return Withdrawals{}, err
	case st.Mode()&fs.ModeSymlink != 0:
		return Withdrawals{}, fmt.Errorf("ledger %s is a symbolic link: name the file itself in ledger.path", path)
	case !st.Mode().IsRegular():
		return Withdrawals{}, fmt.Errorf("ledger %s is not a regular file", path)
	}
	dsn, err := fileURI(path)
	if err != nil {
		return Withdrawals{}, err
	}
	db, err := sql.Open("sqlite", dsn+"?mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return Withdrawals{}, err
	}
	defer db.Close()
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return Withdrawals{}, fmt.Errorf("ledger %s: %w", path, err)
	}
	switch {
	case version > len(migrations):
		return Withdrawals{}, fmt.Errorf("ledger %s has schema version %d; this hashgate knows %d: upgrade hashgate", path, version, len(migrations))
	case version < 8:
		return Withdrawals{}, nil // no withdrawal was remembered before schema 8
	}
	var w Withdrawals
	if version >= 9 {
		err := db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'revoked_key'`).Scan(&w.Check)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Withdrawals{}, fmt.Errorf("ledger %s: %w", path, err)
		}
	}
	q := `SELECT digest, 0 FROM revoked_patients GROUP BY digest`
	if version >= 10 {
		q = revokedPatientsQuery
	}
	if w.Patients, err = scanRevoked(ctx, db, q); err != nil {
		return Withdrawals{}, fmt.Errorf("ledger %s: %w", path, err)
	}
	return w, nil
}
