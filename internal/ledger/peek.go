package ledger

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/hashgate/hashgate/internal/keyset"
)

// Withdrawals is what a ledger remembers of the patients who withdrew
// consent, as ReadWithdrawals found it.
type Withdrawals struct {
	// Check is the fingerprint of the secret and patient-key column the
	// digests were made under (RevokedKeyCheck; "" when none is kept: a
	// ledger of schema 8 kept none).
	Check string
	// Patients maps each patient's digest to the day from which their
	// appointments are withdrawn, as RevokedPatients does (nil: none; the
	// caller closes it).
	Patients *keyset.Mins
	// Identifiers holds the digests of the identifiers the withdrawn
	// patients' rows carried (revokedids.go), as Patients holds theirs
	// (nil: none, or a ledger older than schema 14; the caller closes it).
	Identifiers *keyset.Mins
	// Withdrawers holds, of Identifiers' digests that more than one
	// patient's withdrawals carried, minus how many (IdentifierWithdrawers;
	// nil: none; the caller closes it).
	Withdrawers *keyset.Mins
	// Schema is the ledger's schema version; Current() is this hashgate's.
	Schema int
	// PrevCheck is the fingerprint of the previous secret after a rotation
	// (revokedPrevKeyMeta; "": none), and UnderPrevious how many patients
	// and identifiers wait under it still (RevokedUnderPreviousKey): a
	// dry-run matches them as an upload given HASHGATE_PREVIOUS_SECRET does.
	PrevCheck     string
	UnderPrevious UnderPreviousKey
	// PrevEventCheck is the event-id key's fingerprint the uploads were
	// made under before the last rotation (rotatedFromEventKeyMeta; "":
	// not known): erase judges the previous secret its event ids are
	// made under by it.
	PrevEventCheck string
}

// Current is the schema version this hashgate writes.
func Current() int { return len(migrations) }

// ReadWithdrawals reads the withdrawals the ledger at path remembers, for
// the commands that send nothing themselves (a dry-run, `hashgate write`)
// and must change nothing: Open migrates an older schema (a dry-run of a
// new hashgate, the usual way to try it, upgraded the ledger for good and
// the cron job's older hashgate refused it), makes a readable file
// private, creates what is missing, and waits on a running upload's
// write lock to do it (review of 71f669b).
//
// It leaves no file behind either (review of 7b048ad): SQLite opens a WAL
// database read-only by making its -wal and -shm files if they are not
// there, and a read-only connection never removes them — left by another
// user, they stopped the owner's next upload, which cannot make them
// private. So when there is no -wal, the last writer closed the ledger
// and checkpointed it into the main file: it is read as immutable
// (sqlite.org/uri.html: no locks, no companion files; also in a directory
// this process cannot write). An upload that starts meanwhile writes to a
// new -wal and touches the main file only at its first checkpoint, 1,000
// pages later, and the read takes milliseconds; were they to meet, SQLite
// would report the file damaged (a dry-run says it could not read the
// ledger, write stops) or miss what that upload was committing, as a read
// a moment earlier would.
// With a -wal (an upload is running, or was killed), the database is
// opened read-only (mode=ro) and reads its commits from the files that
// are there. Every query runs in one read transaction: one snapshot.
//
// An older schema is read as it is: before schema 8 nothing is
// remembered, before 10 no day (every appointment is withdrawn: only
// stricter). A newer schema than this hashgate's is an error, as for
// Open; so is a path that is not there (fs.ErrNotExist), a symbolic link,
// not a regular file, or an empty one (ErrEmptyLedger). Its errors do not name the file: the caller
// does, as it shows file names.
func ReadWithdrawals(ctx context.Context, path string) (Withdrawals, error) {
	st, err := os.Lstat(path)
	switch {
	case err != nil:
		return Withdrawals{}, err
	case st.Mode()&fs.ModeSymlink != 0:
		return Withdrawals{}, errors.New("it is a symbolic link: name the file itself in ledger.path")
	case !st.Mode().IsRegular():
		return Withdrawals{}, errors.New("it is not a regular file")
	case st.Size() == 0:
		// Read, it was a ledger that remembers no withdrawal: `write` put
		// the patients a truncated restore had forgotten in its file.
		return Withdrawals{}, fmt.Errorf("it is empty (0 bytes): %w — restore it from a backup", ErrEmptyLedger)
	}
	db, tx, err := readTx(ctx, path)
	if err != nil {
		return Withdrawals{}, err
	}
	defer db.Close()
	defer tx.Rollback()
	var w Withdrawals
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&w.Schema); err != nil {
		return Withdrawals{}, err
	}
	switch {
	case w.Schema > len(migrations):
		return Withdrawals{}, fmt.Errorf("it has schema version %d; this hashgate knows %d: upgrade hashgate", w.Schema, len(migrations))
	case w.Schema < 8:
		return w, nil // no withdrawal was remembered before schema 8
	}
	if w.Schema >= 9 {
		err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, revokedKeyMeta).Scan(&w.Check)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Withdrawals{}, err
		}
	}
	if err := readPrevious(ctx, tx, &w); err != nil {
		return Withdrawals{}, err
	}
	q := `SELECT digest, 0 FROM revoked_patients GROUP BY digest`
	if w.Schema >= 10 {
		q = revokedPatientsQuery
	}
	if w.Patients, err = scanRevoked(ctx, tx, q); err != nil {
		return Withdrawals{}, err
	}
	if w.Schema >= 14 {
		if w.Identifiers, err = scanRevoked(ctx, tx, revokedIdentifiersQuery); err != nil {
			w.Patients.Close()
			return Withdrawals{}, err
		}
		if w.Withdrawers, err = scanRevoked(ctx, tx, identifierWithdrawersQuery); err != nil {
			w.Patients.Close()
			w.Identifiers.Close()
			return Withdrawals{}, err
		}
	}
	return w, nil
}

// readTx opens the ledger at path as ReadWithdrawals reads it, changing
// nothing, and begins the read transaction every query runs in.
func readTx(ctx context.Context, path string) (*sql.DB, *sql.Tx, error) {
	dsn, err := fileURI(path)
	if err != nil {
		return nil, nil, err
	}
	mode := "?mode=ro"
	if _, err := os.Lstat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		mode = "?mode=ro&immutable=1"
	}
	db, err := sql.Open("sqlite", dsn+mode+"&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		return nil, nil, err
	}
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, tx, nil
}

// ErrOlderSchema: Options.NoUpgrade and a ledger of an older schema.
var ErrOlderSchema = errors.New("written by an older hashgate")

// olderError is ErrOlderSchema for the ledger at path, of schema version,
// whose last run was by hashgate tool ("": not known).
func olderError(path string, version int, tool string) error {
	if version == 0 {
		return fmt.Errorf("ledger %s: %w: it holds no schema yet (an upload stopped as it created it)", path, ErrNoLedger)
	}
	by := ""
	if tool != "" {
		by = ", last run by hashgate " + tool
	}
	return fmt.Errorf("ledger %s is of schema %d (%w%s), older than this hashgate's %d: reading it does not upgrade it, and this hashgate reads only its own — "+
		"use the hashgate the uploads use, or let an upload with this one upgrade the ledger first (one way: an older hashgate cannot open it after)",
		path, version, ErrOlderSchema, by, len(migrations))
}

// notOlder reads, changing nothing, the schema of the ledger at path: an
// older one is ErrOlderSchema, naming the hashgate of its last run. What
// cannot be read here is left to Open, which says why.
func notOlder(ctx context.Context, path string) error {
	db, tx, err := readTx(ctx, path)
	if err != nil {
		return nil
	}
	defer db.Close()
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version >= len(migrations) {
		return nil
	}
	var tool string
	if version > 0 {
		_ = tx.QueryRowContext(ctx, `SELECT tool_version FROM runs ORDER BY `+runsNewestFirst+` LIMIT 1`).Scan(&tool)
	}
	return olderError(path, version, tool)
}

// PeekRevokedKey reads, changing nothing, the fingerprint the ledger at
// path keeps of the secret and patient-key column its withdrawals were
// made under ("": none kept, or a ledger older than schema 9): `ledger
// erase` and `unrevoke --patients` tell by it, and by the event-id key's
// (PeekEventKeys), a rotation's first night before they open the ledger.
func PeekRevokedKey(ctx context.Context, path string) (string, error) {
	db, tx, err := readTx(ctx, path)
	if err != nil {
		return "", err
	}
	defer db.Close()
	defer tx.Rollback()
	var schema int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&schema); err != nil || schema < 9 || schema > len(migrations) {
		return "", err
	}
	var v string
	err = tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, revokedKeyMeta).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}
