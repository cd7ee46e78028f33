package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// After a rotation a withdrawal waits under the previous secret's digest
// (prev_key). Erase given only the new secret's digests left that record
// — a keyed digest of the patient's key — in the ledger; given her
// digests under the previous secret too (ErasePatient.Previous), it
// erases it as the re-key would move it, and keeps one suppression record
// under the new digest.

// rotatedLedger remembers patients 7 and 8 (identifiers 1007, 2007, 1008,
// 2008) at t0, erases 7 at t0+1d when erase7, and rotates at t0+30d: all
// of it under the previous secret.
func rotatedLedger(t *testing.T, now *time.Time, erase7 bool) *Ledger {
	t.Helper()
	ctx := context.Background()
	*now = t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(now))
	rememberNight(t, l, "r1", map[uint64]int64{7: 0, 8: 0})
	if erase7 {
		*now = t0.Add(24 * time.Hour)
		if _, err := l.Erase(ctx, []ErasePatient{{Digest: 7}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	*now = t0.Add(30 * 24 * time.Hour)
	if err := l.RotateRevokedKey(ctx, "old-check", "new-check", ""); err != nil {
		t.Fatal(err)
	}
	return l
}

// TestEraseReachesTheRecordUnderThePreviousSecret: 7's record under the
// previous secret goes; her withdrawal is the erasure's under 70, and her
// identifiers name her by it, the erasure's; 8's record is untouched; a
// second erasure changes nothing.
func TestEraseReachesTheRecordUnderThePreviousSecret(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	l := rotatedLedger(t, &now, false)
	now = t0.Add(90 * 24 * time.Hour)
	for i := range 2 {
		e, err := l.Erase(ctx, []ErasePatient{{Digest: 70, Previous: 7}}, nil)
		if err != nil || e.Kept != 1 || e.Written != 0 {
			t.Fatalf("erase %d: %+v %v; want her withdrawal kept", i+1, e, err)
		}
		if ws, _ := l.Withdrawals(ctx, []uint64{7}); len(ws) != 0 {
			t.Errorf("erase %d: her record under the previous secret is still remembered: %+v", i+1, ws)
		}
		ws, err := l.Withdrawals(ctx, []uint64{70})
		if err != nil || len(ws) != 1 || !ws[0].Erasure() {
			t.Errorf("erase %d: under the new digest %+v %v; want the erasure's one record", i+1, ws, err)
		}
		for _, id := range []uint64{1007, 2007} {
			ids, err := l.IdentifierWithdrawals(ctx, []uint64{id})
			if err != nil || len(ids) != 1 || !ids[0].Erasure() {
				t.Errorf("erase %d: identifier %d reads %+v %v; want the erasure's", i+1, id, ids, err)
			}
		}
		if u, _ := l.RevokedUnderPreviousKey(ctx); u.Patients != 1 {
			t.Errorf("erase %d: %d patient(s) under the previous key; want 8 alone", i+1, u.Patients)
		}
	}
	var owner int64
	if err := l.db.QueryRowContext(ctx, `SELECT patient FROM revoked_identifiers WHERE digest = 1007`).Scan(&owner); err != nil || owner != 70 {
		t.Errorf("identifier 1007 names patient %d (%v); want 70, her new digest", owner, err)
	}
	if n := rows(t, l, "revoked_patients"); n != 2 {
		t.Errorf("%d withdrawals; want 70 (the erasure's) and 8", n)
	}
}

// TestAnErasureBeforeTheRotationKeepsItsTime: repeated after the
// rotation, an erasure is still dated when it was first made.
func TestAnErasureBeforeTheRotationKeepsItsTime(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	l := rotatedLedger(t, &now, true)
	now = t0.Add(90 * 24 * time.Hour)
	if _, err := l.Erase(ctx, []ErasePatient{{Digest: 70, Previous: 7}}, nil); err != nil {
		t.Fatal(err)
	}
	ws, err := l.Withdrawals(ctx, []uint64{70})
	if want := t0.Add(24 * time.Hour); err != nil || len(ws) != 1 || !ws[0].At.Equal(want) {
		t.Fatalf("the erasure reads %+v %v; want it at %v, when first made", ws, err, want)
	}
}

// TestUnrevokeReachesTheRecordUnderThePreviousSecret: forgetting 8 by
// his digests under both secrets forgets his record under the previous
// one and his identifiers; an erasure made before the rotation is kept
// (and counted) unless erased is asked.
func TestUnrevokeReachesTheRecordUnderThePreviousSecret(t *testing.T) {
	ctx := context.Background()
	var now time.Time
	l := rotatedLedger(t, &now, true)
	forgot, erased, err := l.ForgetRevokedKeepingErasures(ctx, true, func(forget func(ErasePatient) error) error {
		if err := forget(ErasePatient{Digest: 80, Previous: 8}); err != nil {
			return err
		}
		return forget(ErasePatient{Digest: 70, Previous: 7})
	})
	if err != nil || forgot != 1 || erased != 1 {
		t.Fatalf("forgot %d, erased %d (%v); want 8 forgotten and 7's erasure kept", forgot, erased, err)
	}
	if ids, _ := l.IdentifierWithdrawals(ctx, []uint64{1008, 2008}); len(ids) != 0 {
		t.Errorf("8's identifiers are still remembered: %+v", ids)
	}
	if ws, _ := l.Withdrawals(ctx, []uint64{7}); len(ws) != 1 {
		t.Errorf("7's erasure under the previous secret: %+v; want it kept", ws)
	}
}
