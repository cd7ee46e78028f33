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
