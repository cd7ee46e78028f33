package ledger

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
)

// TestSchema17KeepsWhatTheFlagMeant: a ledger at schema 16 holds schema
// 15's records with the seen_more flag, or without it (main built schema
// 15 without it before 2026-12-07 16:47). The upgrade adds the last run
// (last_run, last_at) either way and drops the flag, keeping what it
// meant: a third run read the withdrawal, so undoing the runs kept leaves
// it withdrawn (under moreRunsRun, which no run id undoes).
func TestSchema17KeepsWhatTheFlagMeant(t *testing.T) {
	for _, flag := range []bool{true, false} {
		t.Run(fmt.Sprint("seen_more=", flag), func(t *testing.T) {
			ctx := context.Background()
			now := t0
			path := filepath.Join(t.TempDir(), "l.db")
			l := open(t, path, clock(&now))
			steps := []string{
				`ALTER TABLE revoked_patients DROP COLUMN last_run`,
				`ALTER TABLE revoked_patients DROP COLUMN last_at`,
				// schema 19's (revokedprev.go), not a schema 16 ledger's
				`ALTER TABLE revoked_patients DROP COLUMN prev_key`,
				`ALTER TABLE revoked_identifiers DROP COLUMN prev_key`,
			}
			if flag {
				steps = append(steps, `ALTER TABLE revoked_patients ADD COLUMN seen_more INTEGER NOT NULL DEFAULT 0`,
					`INSERT INTO revoked_patients (digest, run_id, at, from_day, again_run, again_at, seen_more) VALUES
						(1, 'r1', 100, 0, 'r2', 200, 1), (2, 'r1', 100, 0, NULL, NULL, 1),
						(3, '`+moreRunsRun+`', 100, 0, NULL, NULL, 1), (4, 'r1', 100, 0, 'r2', 200, 0)`)
			} else {
				steps = append(steps, `INSERT INTO revoked_patients (digest, run_id, at, from_day, again_run, again_at) VALUES
						(1, 'r1', 100, 0, 'r2', 200), (4, 'r1', 100, 0, 'r2', 200)`)
			}
			steps = append(steps, `PRAGMA user_version = 16`)
			for _, q := range steps {
				if _, err := l.db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if err := l.Close(); err != nil {
				t.Fatal(err)
			}
			l = open(t, path, clock(&now))
			var cols []string
			rs, err := l.db.Query(`SELECT name FROM pragma_table_info('revoked_patients') ORDER BY cid`)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var c string
				if err := rs.Scan(&c); err != nil {
					t.Fatal(err)
				}
				cols = append(cols, c)
			}
			if err := rs.Close(); err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(cols) != "[digest run_id at from_day again_run again_at last_run last_at prev_key]" {
				t.Errorf("columns after the upgrade: %v", cols)
			}
			got := map[int64]string{}
			rs, err = l.db.Query(`SELECT digest, run_id, at, coalesce(again_run, '-'), coalesce(again_at, 0), coalesce(last_run, '-'), coalesce(last_at, 0) FROM revoked_patients`)
			if err != nil {
				t.Fatal(err)
			}
			for rs.Next() {
				var d, at, againAt, lastAt int64
				var run, again, last string
				if err := rs.Scan(&d, &run, &at, &again, &againAt, &last, &lastAt); err != nil {
					t.Fatal(err)
				}
				got[d] = fmt.Sprintf("%s %d %s %d %s %d", run, at, again, againAt, last, lastAt)
			}
			if err := rs.Close(); err != nil {
				t.Fatal(err)
			}
			want := map[int64]string{
				1: "r1 100 r2 200 - 0",
				4: "r1 100 r2 200 - 0",
			}
			if flag {
				want[1] = "r1 100 r2 200 " + moreRunsRun + " 200"
				want[2] = "r1 100 " + moreRunsRun + " 100 - 0"
				want[3] = moreRunsRun + " 100 - 0 - 0"
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("after the upgrade:\n got %v\nwant %v", got, want)
			}
			for _, r := range []string{"r1", "r2"} {
				if _, err := l.ForgetRevokedPatients(ctx, r); err != nil {
					t.Fatalf("unrevoke %s: %v", r, err)
				}
			}
			// The flagged ones stay (a third run read them); the others go.
			kept := 0
			if flag {
				kept = 3 // 1, 2 and 3; 4 goes
			}
			if n := rows(t, l, "revoked_patients"); n != kept {
				t.Errorf("%d records after undoing r1 and r2, want %d", n, kept)
			}
		})
	}
}
