package ledger

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
)

// generationMeta is the meta key of the ledger's generation: a counter
// every command that changes what the ledger records bumps (an upload,
// `ledger erase`, `unrevoke`, `forget`, `requeue`, `confirm`), which the
// state directory records beside the ledger's last run (run
// ledgerbehind.go). The last run alone did not tell a backup taken after
// night N from the ledger after the next morning's `ledger erase`: both
// hold run N, so the restored backup passed, the erasure lost and its
// zeroed event ids back (a review, 2026-12-07).
const generationMeta = "generation"

// Generation is the ledger's generation: 0 for a ledger no command has
// bumped (new, or written by a hashgate before the counter).
func (l *Ledger) Generation(ctx context.Context) (int64, error) {
	v, err := l.metaValue(ctx, generationMeta)
	if err != nil || v == "" {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// bumpIn adds one to the ledger's generation in tx, the transaction of
// the change it counts: the change and its bump land together or not at
// all. Bumped after the change's commit (until restored27), a crash
// between them left a changed ledger at the old generation, and the
// backup from before the change, put back, was not told from it. The
// caller records the generation in the state directory after the commit
// (run.recordLedger): a record above the ledger's would stop the next
// upload for a change the ledger never kept.
func bumpIn(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?1, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`, generationMeta)
	return err
}

// RunsPeek reads, changing nothing (no lock, no upgrade, no companion
// file, no mode: readTx), what the restored-ledger check reads of a
// ledger — its runs and generation — for a dry-run, which must leave the
// ledger as it found it.
type RunsPeek struct {
	db *sql.DB
	tx *sql.Tx
}

// PeekRuns opens the ledger at path for RunsPeek's reads. The caller
// closes it.
func PeekRuns(ctx context.Context, path string) (*RunsPeek, error) {
	db, tx, err := readTx(ctx, path)
	if err != nil {
		return nil, err
	}
	return &RunsPeek{db: db, tx: tx}, nil
}

// HasRun is Ledger.HasRun's answer.
func (p *RunsPeek) HasRun(ctx context.Context, runID string) (bool, error) {
	var n int
	err := p.tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?1) OR EXISTS (SELECT 1 FROM requests WHERE run_id = ?1)`, runID).Scan(&n)
	return n != 0, err
}

// RunIDs returns up to limit run ids, in no order: whether it holds any.
func (p *RunsPeek) RunIDs(ctx context.Context, limit int) ([]string, error) {
	return runIDs(ctx, p.tx, `SELECT id FROM runs LIMIT ?`, limit)
}

// Generation is Ledger.Generation's answer.
func (p *RunsPeek) Generation(ctx context.Context) (int64, error) {
	var v string
	err := p.tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, generationMeta).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) || err == nil && v == "" {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(v, 10, 64)
}

// Close ends the read.
func (p *RunsPeek) Close() error {
	p.tx.Rollback()
	return p.db.Close()
}
