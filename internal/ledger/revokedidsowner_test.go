package ledger

import (
	"context"
	"path/filepath"
	"testing"
)

// TestRevokedIdentifiersOwner: an identifier is remembered with its owner
// — the one patient whose dated withdrawals alone carried it, over runs —
// and with 0 when an undated withdrawal carried it or two patients did:
// the pipeline exempts the owner's rows before her day, and no other's
// (pipeline.runner.withdrawnByIdentifier). Patient 8's digest is the
// lesser of the two dated patients', and -5 a negative one.
func TestRevokedIdentifiersOwner(t *testing.T) {
	ctx := context.Background()
	now := t0
	l := open(t, filepath.Join(t.TempDir(), "l.db"), clock(&now))
	type rec struct {
		digest, patient uint64
		from            int64
	}
	nights := map[string][]rec{
		"r1": {{100, 7, 0}, {100, 8, 9 * 86400}, {101, 8, 9 * 86400}, {102, 8, 9 * 86400}, {104, uint64(1<<64 - 5), 9 * 86400}},
		"r2": {{101, 8, 5 * 86400}, {102, 10, 6 * 86400}, {103, 10, 0}, {104, uint64(1<<64 - 5), 4 * 86400}},
	}
	for _, run := range []string{"r1", "r2"} {
		if err := l.AddRevokedIdentifiers(ctx, run, func(add func(uint64, uint64, int64) error) error {
			for _, r := range nights[run] {
				if err := add(r.digest, r.patient, r.from); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := l.RevokedIdentifiers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	for d, want := range map[uint64]int64{100: 0, 101: 8, 102: 0, 103: 0, 104: -5} {
		if owner, ok, err := m.Get(d); err != nil || !ok || owner != want {
			t.Errorf("identifier %d: owner %d, %v, %v; want %d", d, owner, ok, err, want)
		}
	}
}

// TestIdentifierWithdrawers: per remembered identifier carried by more
// than one withdrawn patient, minus how many (the fan-out alarm's
// threshold): the same patient on two runs counts once, one patient is
// no entry; ReadWithdrawals (a dry-run, write) reads the same.
func TestIdentifierWithdrawers(t *testing.T) {
	ctx := context.Background()
	now := t0
	path := filepath.Join(t.TempDir(), "l.db")
	l := open(t, path, clock(&now))
	nights := map[string][][2]uint64{
		"r1": {{100, 7}, {100, 8}, {101, 8}},
		"r2": {{100, 8}, {100, 9}, {102, 10}},
	}
	for _, run := range []string{"r1", "r2"} {
		if err := l.AddRevokedIdentifiers(ctx, run, func(add func(uint64, uint64, int64) error) error {
			for _, r := range nights[run] {
				if err := add(r[0], r[1], 0); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	m, err := l.IdentifierWithdrawers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if m.Len() != 1 {
		t.Errorf("%d identifiers of more than one patient, want 1", m.Len())
	}
	if n, ok, err := m.Get(100); err != nil || !ok || n != -3 {
		t.Errorf("identifier 100: %d, %v, %v; want -3", n, ok, err)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	w, err := ReadWithdrawals(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Patients.Close()
	defer w.Identifiers.Close()
	defer w.Withdrawers.Close()
	if n, ok, err := w.Withdrawers.Get(100); err != nil || !ok || n != -3 || w.Withdrawers.Len() != 1 {
		t.Errorf("ReadWithdrawals: identifier 100: %d, %v, %v (of %d); want -3 of 1", n, ok, err, w.Withdrawers.Len())
	}
}
