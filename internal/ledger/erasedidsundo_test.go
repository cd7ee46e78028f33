package ledger

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// TestUndoingARunKeepsAnErasedPatientsLaterIdentifier: an erased
// patient's new e-mail, read by run R after the erasure (her renumbered
// chart's withdrawing row), is remembered under R. `unrevoke --run R`
// (ForgetRevokedPatients) deleted every identifier R read; hers went,
// and her renumbered chart carrying that e-mail was sent (a review,
// 2026-12-07). It stays, the erasure's; R's reading of another patient,
// remembered by R alone, goes with him.
func TestUndoingARunKeepsAnErasedPatientsLaterIdentifier(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	if _, err := l.Erase(ctx, []ErasePatient{{Digest: 11}}, nil); err != nil {
		t.Fatal(err)
	}
	now = now.Add(24 * time.Hour)
	rememberNight(t, l, "R", map[uint64]int64{12: 0}) // his withdrawal, R's alone
	if err := l.AddRevokedIdentifiers(ctx, "R", func(add func(uint64, uint64, int64) error) error {
		return add(3011, 11, 0) // her new e-mail, under R
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.ForgetRevokedPatients(ctx, "R"); err != nil {
		t.Fatal(err)
	}
	var hers, his int
	if err := l.db.QueryRow(`SELECT count(*) FROM revoked_identifiers WHERE digest = 3011 AND patient = 11 AND run_id = 'erasure'`).Scan(&hers); err != nil {
		t.Fatal(err)
	}
	if err := l.db.QueryRow(`SELECT count(*) FROM revoked_identifiers WHERE patient = 12`).Scan(&his); err != nil {
		t.Fatal(err)
	}
	if hers != 1 || his != 0 {
		t.Errorf("after undoing R: her identifier kept by the erasure %d time(s), his %d; want 1, 0", hers, his)
	}
	ids, err := l.RevokedIdentifiers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer ids.Close()
	if _, ok, err := ids.Get(3011); err != nil || !ok {
		t.Errorf("her identifier is not among those the upload keeps out")
	}
}
