package ledger

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// RunInfo describes a run when it starts.
type RunInfo struct {
	ToolVersion  string
	InputSHA256  string
	ConfigSHA256 string
}

// StartRun records a run and returns its id (sortable by time), and bumps
// the generation with it (bumpIn), before any request of the run is
// recorded or sent; the caller records that generation in the state
// directory before sending (run.RecordLedgerChange). Bumped only at the
// run's end, a run killed after its first accepted request (SIGKILL, the
// OOM killer, a power cut) left a ledger changed at the old generation and
// the record at the night before's: the backup from before that night,
// put back, matched the record, and the next upload sent again what the
// killed run had delivered (a review, 2026-12-07). A crash between this
// commit and the record leaves the ledger ahead of its record, which the
// check passes (run.LedgerBehind), and nothing was sent yet.
func (l *Ledger) StartRun(ctx context.Context, info RunInfo) (string, error) {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	now := l.now().UTC()
	id := now.Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return "", l.fault("record the run's start", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `INSERT INTO runs (id, started_at, tool_version, input_sha256, config_sha256) VALUES (?, ?, ?, ?, ?)`,
		id, now.Format(time.RFC3339Nano), info.ToolVersion, info.InputSHA256, info.ConfigSHA256); err != nil {
		return "", l.fault("record the run's start", err)
	}
	if err := bumpIn(ctx, tx); err != nil {
		return "", l.fault("count the run's start", err)
	}
	return id, l.fault("record the run's start", tx.Commit())
}
