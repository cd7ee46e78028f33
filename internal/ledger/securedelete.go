package ledger

import (
	"context"
	"database/sql"
)

// secureWrite runs fn in one transaction under PRAGMA secure_delete, so
// SQLite overwrites what it deletes with zeros instead of leaving it in
// freed cells, and then empties the write-ahead log (a TRUNCATE
// checkpoint), which still held the pages as they were. `ledger forget`
// and `ledger unrevoke` deleted without it: a forgotten request's event
// ids, a forgotten withdrawal's digest stayed readable in ledger.db and
// -wal until SQLite happened to reuse the page — not forgotten. Erase
// does the same (erase.go). checkpointed is false when a reader held the
// log: the old pages stay in it until the next checkpoint. A checkpoint
// that fails after the commit is not the delete's failure: the caller is
// told nothing was emptied, not that nothing was deleted.
//
// The TRUNCATE checkpoint waits for readers (up to the ledger's busy
// timeout, 10 s): every nightly upload paid 10 s of retention while a
// status, a backup or a find held the ledger open (a review of the day's
// late fixes). For retention at the start of every upload (nowait) it
// runs only when a row went (total_changes moved), with no busy wait: it
// empties the log when no reader holds it, and otherwise leaves it to the
// next checkpoint. A PASSIVE checkpoint, tried first, never empties the
// log, so the deleted rows' frames stayed readable in -wal (the review
// after). ledger forget, unrevoke and erase, asked by a person to forget,
// truncate every time, waiting for readers.
func (l *Ledger) secureWrite(ctx context.Context, nowait bool, fn func(tx *sql.Tx) error) (checkpointed bool, err error) {
	conn, err := l.db.Conn(ctx) // the pragma is a connection's
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA secure_delete = ON`); err != nil {
		return false, err
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA secure_delete = OFF`) // the pool's connection goes on
	var before, after int64
	if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&before); err != nil {
		return false, err
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return false, err
	}
	if err := tx.Commit(); err != nil {
		return false, err
	}
	if nowait {
		if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&after); err != nil || after == before {
			return after == before, nil // nothing deleted: nothing for the log to hold
		}
		if _, err := conn.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
			return false, nil
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA busy_timeout = 10000`) // the DSN's, for the pool
	}
	var busy, logged, moved int
	if err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logged, &moved); err != nil {
		return false, nil
	}
	return busy == 0, nil
}
