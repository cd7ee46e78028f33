package ledger

import (
	"context"
	"database/sql"
	"fmt"
)

// migrateV17 keeps, of a withdrawn patient's readings, the last other run
// that read it (last_run, last_at) beside the first (run_id, at) and the
// first other (again_run, again_at); it drops schema 15's seen_more.
//
// Why: seen_more, a flag set once when a third run read a withdrawal,
// kept it, when both kept runs were undone, under moreRunsRun, which no
// `ledger unrevoke --run` forgets. The README's recovery from a wrong
// consent mapping — undo every run that ran with it — then failed for a
// mapping wrong three nights or more: r1 wrote, r2 read again, r3 set the
// flag, r4…r7 wrote nothing, and undoing r7…r1 left every patient it
// withdrew withdrawn for good (a review, 2026-12-07). With the last
// reading kept by name, `unrevoke --run R` clears R from whichever of the
// three it is (ForgetRevokedPatients) and the record goes when none is
// left: all seven undone, it is forgotten; r1 and r2 undone of a genuine
// withdrawal read by r3…r7, it stays, since r7.
//
// A ledger at schema 15 may or may not hold seen_more (main built it
// without before 2026-12-07 16:47), so the step asks the table
// (PRAGMA table_info) and adds only what is missing. A record seen_more
// flagged names no third run; the step keeps what the flag meant: its
// third reading goes under moreRunsRun as the last (or, its reading again
// undone already, as the reading again) — dated from the reading before
// it, the latest the ledger knows it was read by then — so undoing the
// runs kept still leaves it withdrawn, and the next night that reads it
// names itself the last instead. Records under moreRunsRun already stay
// as they are. The flag's column goes (ALTER TABLE DROP COLUMN rewrites
// the table, under secure_delete: the digests stay, but no freed page
// holds one forgotten).
func migrateV17(ctx context.Context, tx *sql.Tx) error {
	cols := map[string]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT name FROM pragma_table_info('revoked_patients')`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return err
		}
		cols[name] = true
	}
	if err := closeRows(rows); err != nil {
		return err
	}
	var steps []string
	if !cols["last_run"] {
		steps = append(steps, `ALTER TABLE revoked_patients ADD COLUMN last_run TEXT`)
	}
	if !cols["last_at"] {
		steps = append(steps, `ALTER TABLE revoked_patients ADD COLUMN last_at INTEGER`)
	}
	if cols["seen_more"] {
		steps = append(steps,
			`UPDATE revoked_patients SET last_run = '`+moreRunsRun+`', last_at = again_at
				WHERE seen_more != 0 AND run_id NOT IN ('`+moreRunsRun+`', '`+erasureRun+`') AND again_run IS NOT NULL AND last_run IS NULL`,
			`UPDATE revoked_patients SET again_run = '`+moreRunsRun+`', again_at = at
				WHERE seen_more != 0 AND run_id NOT IN ('`+moreRunsRun+`', '`+erasureRun+`') AND again_run IS NULL`,
			`PRAGMA secure_delete = ON`,
			`ALTER TABLE revoked_patients DROP COLUMN seen_more`,
			`PRAGMA secure_delete = OFF`)
	}
	for _, q := range steps {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("schema 17: %w", err)
		}
	}
	return nil
}

// readLast is the upsert's test (AddRevokedPatients' ON CONFLICT) that
// the run reads a withdrawal after the two runs the record keeps first,
// and is not already its last: it becomes the last. That is one UPDATE in
// place a night for every withdrawn patient in the night's export (the
// last run differs every night), where schema 14 inserted a row: the
// file does not grow, and undoing every night of a wrong mapping forgets
// what it withdrew. An erasure's record keeps no again_run, so it is
// never one.
const readLast = `again_run IS NOT NULL AND excluded.run_id NOT IN (run_id, again_run) AND last_run IS NOT excluded.run_id`
