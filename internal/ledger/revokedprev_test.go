package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestARekeyedWithdrawalKeepsItsTime: a withdrawal the previous secret's
// digest remembered, re-keyed when its patient reappears after a
// rotation, is still dated when she withdrew — `ledger find` shows it as
// the night she first withdrew. Schema 17 moved its `at` to the re-key's
// time (its mark of a digest made under the new key).
func TestARekeyedWithdrawalKeepsItsTime(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	run, err := l.StartRun(ctx, RunInfo{ToolVersion: "test"})
	if err != nil {
		t.Fatal(err)
	}
	rememberNight(t, l, run, map[uint64]int64{7: 0, 8: 0})
	now = t0.Add(30 * 24 * time.Hour)
	if err := l.RotateRevokedKey(ctx, "old-check", "new-check", ""); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(90 * 24 * time.Hour)
	if _, err := l.RekeyRevoked(ctx, func(patient, identifier func(old, new uint64) error) error {
		if err := patient(7, 70); err != nil {
			return err
		}
		return identifier(1007, 1070)
	}); err != nil {
		t.Fatal(err)
	}
	ws, err := l.Withdrawals(ctx, []uint64{70})
	if err != nil || len(ws) != 1 || !ws[0].At.Equal(t0) || ws[0].Run != run {
		t.Fatalf("the re-keyed withdrawal reads %+v %v; want run %s at %v, when she withdrew", ws, err, run, t0)
	}
	ids, err := l.IdentifierWithdrawals(ctx, []uint64{1070})
	if err != nil || len(ids) != 1 || !ids[0].At.Equal(t0) {
		t.Fatalf("the re-keyed identifier reads %+v %v; want it at %v", ids, err, t0)
	}
}

// TestUnderPreviousKeyCountsWhatAwaitsARekey: the records a rotation
// found stay counted until re-keyed, whatever their times; a withdrawal
// remembered after the rotation is the new key's; forgetting them
// (ledger unrevoke --under-previous-secret) leaves the new key's.
func TestUnderPreviousKeyCountsWhatAwaitsARekey(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	rememberNight(t, l, "r1", map[uint64]int64{7: 0, 8: 0})
	now = t0.Add(24 * time.Hour)
	if err := l.RotateRevokedKey(ctx, "old-check", "new-check", ""); err != nil {
		t.Fatal(err)
	}
	rememberNight(t, l, "r2", map[uint64]int64{9: 0}) // under the new key, on the rotation's millisecond
	if _, err := l.RekeyRevoked(ctx, func(patient, identifier func(old, new uint64) error) error {
		return patient(7, 70)
	}); err != nil {
		t.Fatal(err)
	}
	u, err := l.RevokedUnderPreviousKey(ctx)
	if want := (UnderPreviousKey{Patients: 1, Identifiers: 4, Since: now.UnixMilli(), Newest: t0.UnixMilli()}); err != nil || u != want {
		t.Fatalf("under the previous key: %+v %v; want %+v", u, err, want)
	}
	f, err := l.ForgetRevokedUnderPreviousKey(ctx)
	if err != nil || f.Patients != 1 {
		t.Fatalf("forgot %+v %v; want patient 8", f, err)
	}
	if got := rows(t, l, "revoked_patients"); got != 2 {
		t.Errorf("%d withdrawals left; want 70 (re-keyed) and 9 (the new key's)", got)
	}
	if u, _ := l.RevokedUnderPreviousKey(ctx); u.Patients+u.Identifiers != 0 {
		t.Errorf("after the forgetting: %+v under the previous key", u)
	}
}

// TestSchema19CarriesTheRotationOver: a ledger rotated under schema 17 or
// 18 (the previous key's records told apart by `at`; 18 is the composite
// ids' fold, unfolded.go) keeps them counted once migrated, and counted by
// a dry-run's read before an upload migrates it (ReadWithdrawals: no
// prev_key column to read yet).
func TestSchema19CarriesTheRotationOver(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	rememberNight(t, l, "r1", map[uint64]int64{7: 0, 8: 0})
	now = t0.Add(24 * time.Hour)
	if err := l.RotateRevokedKey(ctx, "old-check", "new-check", ""); err != nil {
		t.Fatal(err)
	}
	now = t0.Add(48 * time.Hour)
	rememberNight(t, l, "r2", map[uint64]int64{9: 0})
	for _, q := range []string{`ALTER TABLE revoked_patients DROP COLUMN prev_key`, `ALTER TABLE revoked_identifiers DROP COLUMN prev_key`, `PRAGMA user_version = 18`} {
		if _, err := l.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	l.Close()
	w, err := ReadWithdrawals(ctx, path)
	if err != nil || w.Schema != 18 || w.UnderPrevious.Patients != 2 || w.UnderPrevious.Identifiers != 4 {
		t.Fatalf("read at schema %d before the upgrade: %+v %v; want patients 7 and 8 and their 4 identifiers", w.Schema, w.UnderPrevious, err)
	}
	l = open(t, path, clock(&now))
	u, err := l.RevokedUnderPreviousKey(ctx)
	if err != nil || u.Patients != 2 || u.Identifiers != 4 {
		t.Fatalf("migrated: %+v %v; want patients 7 and 8 and their 4 identifiers", u, err)
	}
}

// TestARekeyedWholeWithdrawalOutranksTheNewKeysDatedOne: a patient who
// withdrew every appointment under the previous secret, and whose dated
// withdrawal the new secret remembers since, is withdrawn from every
// appointment once re-keyed — the stricter of both (movePatient, the one
// home a rotation's re-key and a text formula's unwrapping share).
func TestARekeyedWholeWithdrawalOutranksTheNewKeysDatedOne(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	rememberNight(t, l, "r1", map[uint64]int64{7: 0})
	now = t0.Add(24 * time.Hour)
	if err := l.RotateRevokedKey(ctx, "old-check", "new-check", ""); err != nil {
		t.Fatal(err)
	}
	day := t0.Add(48 * time.Hour).Unix()
	rememberNight(t, l, "r2", map[uint64]int64{70: day})
	if _, err := l.RekeyRevoked(ctx, func(patient, identifier func(old, new uint64) error) error {
		return patient(7, 70)
	}); err != nil {
		t.Fatal(err)
	}
	ws, err := l.Withdrawals(ctx, []uint64{70})
	if err != nil || len(ws) == 0 {
		t.Fatalf("withdrawals of 70: %+v %v", ws, err)
	}
	for _, w := range ws {
		if w.FromDay != 0 {
			t.Errorf("the re-keyed patient withdraws from day %d; want every appointment (0)", w.FromDay)
		}
	}
}
