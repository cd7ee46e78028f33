package ledger

import (
	"context"
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

// BumpGeneration adds one to the ledger's generation and returns it. The
// caller bumps once its change is written, and records the value in the
// state directory after: a record above the ledger's would stop the next
// upload for a change the ledger never kept.
func (l *Ledger) BumpGeneration(ctx context.Context) (int64, error) {
	var g int64
	err := l.db.QueryRowContext(ctx, `INSERT INTO meta (key, value) VALUES (?1, '1')
		ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1 RETURNING CAST(value AS INTEGER)`, generationMeta).Scan(&g)
	return g, err
}
