package ledger

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// snapshot is everything the ledger remembers but its meta keys: every
// row of every table, as text, sorted.
func snapshot(t *testing.T, l *Ledger) string {
	t.Helper()
	ctx := context.Background()
	tables, err := runIDs(ctx, l.db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('meta', 'sqlite_sequence') LIMIT ?`, 1000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(tables)
	var b strings.Builder
	for _, name := range tables {
		rows, err := l.db.QueryContext(ctx, `SELECT * FROM "`+name+`"`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		var lines []string
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			lines = append(lines, fmt.Sprintf("%v", vals))
		}
		rows.Close()
		slices.Sort(lines)
		fmt.Fprintf(&b, "%s: %s\n", name, strings.Join(lines, " "))
	}
	return b.String()
}

// failGeneration makes every write of the generation fail, as a crash
// between a change and its bump would leave it unwritten.
func failGeneration(t *testing.T, l *Ledger) {
	t.Helper()
	for _, op := range []string{"INSERT", "UPDATE"} {
		if _, err := l.db.Exec(`CREATE TRIGGER fail_generation_` + op + ` BEFORE ` + op + ` ON meta WHEN NEW.key = 'generation' BEGIN SELECT RAISE(ABORT, 'injected'); END`); err != nil {
			t.Fatal(err)
		}
	}
}

// withdrawn sets up a run that remembered patient 42's withdrawal, and
// rotated one whose secret was then rotated (revokedprev.go): the three
// writes of a rotation change what the ledger remembers too.
func withdrawn(t *testing.T, l *Ledger, _ *time.Time) string {
	t.Helper()
	run, _ := l.StartRun(context.Background(), RunInfo{ToolVersion: "test"})
	if _, err := l.AddRevokedPatients(context.Background(), run, func(add func(uint64, int64) error) error { return add(42, 0) }); err != nil {
		t.Fatal(err)
	}
	return run
}

func rotated(t *testing.T, l *Ledger, now *time.Time) string {
	t.Helper()
	run := withdrawn(t, l, now)
	if err := l.RotateRevokedKey(context.Background(), "old-check", "new-check", ""); err != nil {
		t.Fatal(err)
	}
	return run
}

// TestAChangeAndItsGenerationLandTogether: the generation was bumped after
// the change's commit (run.recordLedger), so a crash between them left a
// changed ledger at the old generation, and the backup from before the
// change, put back, was not told from it. Every command that changes what
// the ledger remembers bumps in the change's own transaction: with the
// generation's write failing, the change fails whole; without, the change
// and the bump land together.
func TestAChangeAndItsGenerationLandTogether(t *testing.T) {
	ctx := context.Background()
	for _, op := range []struct {
		name  string
		setup func(t *testing.T, l *Ledger, now *time.Time) string
		do    func(l *Ledger, run string) error
	}{
		{"finish a run", nil, func(l *Ledger, run string) error {
			return l.FinishRun(ctx, run, 0, "sha", "{}")
		}},
		{"remember withdrawals", nil, func(l *Ledger, run string) error {
			_, err := l.AddRevokedPatients(ctx, run, func(add func(uint64, int64) error) error { return add(42, 0) })
			return err
		}},
		{"remember withdrawn identifiers", nil, func(l *Ledger, run string) error {
			return l.AddRevokedIdentifiers(ctx, run, func(add func(uint64, uint64, int64) error) error { return add(7, 42, 0) })
		}},
		{"unrevoke a run", func(t *testing.T, l *Ledger, _ *time.Time) string {
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			if _, err := l.AddRevokedPatients(ctx, run, func(add func(uint64, int64) error) error { return add(42, 0) }); err != nil {
				t.Fatal(err)
			}
			return run
		}, func(l *Ledger, run string) error {
			_, err := l.ForgetRevokedPatients(ctx, run)
			return err
		}},
		{"unrevoke patients", func(t *testing.T, l *Ledger, _ *time.Time) string {
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			if _, err := l.AddRevokedPatients(ctx, run, func(add func(uint64, int64) error) error { return add(42, 0) }); err != nil {
				t.Fatal(err)
			}
			return run
		}, func(l *Ledger, _ string) error {
			_, _, err := l.ForgetRevokedKeepingErasures(ctx, true, func(forget func(ErasePatient) error) error { return forget(ErasePatient{Digest: 42}) })
			return err
		}},
		{"erase", nil, func(l *Ledger, _ string) error {
			_, err := l.Erase(ctx, []ErasePatient{{Digest: 42}}, nil)
			return err
		}},
		{"forget", func(t *testing.T, l *Ledger, now *time.Time) string {
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			send(t, l, run, meta, evIDs("F", 3), StateAccepted, "")
			*now = now.Add(48 * time.Hour)
			return run
		}, func(l *Ledger, _ string) error {
			_, err := l.Forget(ctx, t0.Add(24*time.Hour))
			return err
		}},
		{"confirm", func(t *testing.T, l *Ledger, _ *time.Time) string {
			run, _ := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
			send(t, l, run, meta, evIDs("C", 3), StateSent, "")
			return run
		}, func(l *Ledger, run string) error {
			_, err := l.Confirm(ctx, ConfirmSelect{RunID: run})
			return err
		}},
		{"requeue", func(t *testing.T, l *Ledger, now *time.Time) string {
			run, _ := sixProcessed(t, l, *now, true)
			return run
		}, func(l *Ledger, run string) error {
			_, err := l.Requeue(ctx, RequeueSelect{RunID: run, Destination: "google", Reason: clickNotFound})
			return err
		}},
		{"rotate the withdrawals' secret", withdrawn, func(l *Ledger, _ string) error {
			return l.RotateRevokedKey(ctx, "old-check", "new-check", "")
		}},
		{"re-key a withdrawal", rotated, func(l *Ledger, _ string) error {
			_, err := l.RekeyRevoked(ctx, func(patient, _ func(old, new uint64) error) error { return patient(42, 43) })
			return err
		}},
		{"unrevoke under the previous secret", rotated, func(l *Ledger, _ string) error {
			_, err := l.ForgetRevokedUnderPreviousKey(ctx)
			return err
		}},
	} {
		t.Run(op.name, func(t *testing.T) {
			for _, fault := range []bool{false, true} {
				now := t0
				l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
				var run string
				if op.setup != nil {
					run = op.setup(t, l, &now)
				} else {
					run, _ = l.StartRun(ctx, RunInfo{ToolVersion: "test"})
				}
				gen, err := l.Generation(ctx)
				if err != nil {
					t.Fatal(err)
				}
				before := snapshot(t, l)
				if fault {
					failGeneration(t, l)
				}
				err = op.do(l, run)
				after := snapshot(t, l)
				got, gerr := l.Generation(ctx)
				if gerr != nil {
					t.Fatal(gerr)
				}
				switch {
				case after == before:
					if !fault || err == nil {
						t.Fatalf("fault %v: the change changed nothing (%v): the test's setup is wrong", fault, err)
					}
					if got != gen {
						t.Errorf("the change failed whole, and the generation moved %d → %d", gen, got)
					}
				case got <= gen:
					t.Errorf("fault %v: the ledger changed, its generation did not (%d → %d; %v)", fault, gen, got, err)
				}
				if !fault && err != nil {
					t.Fatalf("without a fault: %v", err)
				}
			}
		})
	}
}
