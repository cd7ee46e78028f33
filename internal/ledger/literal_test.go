package ledger

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestMigrationMarksTheTextFormulaReadersRequests: the ledger hashgate
// c55587c wrote from order ids written as Excel text formulas
// (testdata/ledger/main-c55587c-wrapped.db: two requests, ids made of
// ="A0001") migrates with its requests marked (literal_ids_through), so
// the dual lookup is on for a single-column id though no request predates
// schema 16; and a withdrawal remembered under the formula's digest moves
// to the text's (RekeyLiteral), keeping its record and its identifiers.
func TestMigrationMarksTheTextFormulaReadersRequests(t *testing.T) {
	ctx := context.Background()
	data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "ledger", "main-c55587c-wrapped.db"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "l.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)
	l := open(t, path, clock(&now))
	if through, err := l.literalThrough(ctx); err != nil || through != 2 {
		t.Fatalf("literal_ids_through %d, %v; want 2 (both requests)", through, err)
	}
	if through, _ := l.unfoldedThrough(ctx); through != 0 {
		t.Fatalf("unfolded_ids_through %d: the fixture was to have none", through)
	}
	var old int64
	var ids int
	if err := l.db.QueryRow(`SELECT digest FROM revoked_patients`).Scan(&old); err != nil {
		t.Fatal(err)
	}
	l.db.QueryRow(`SELECT count(*) FROM revoked_identifiers WHERE patient = ?`, old).Scan(&ids)
	const moved = 0x5eed
	n, err := l.RekeyLiteral(ctx, func(patient, _ func(old, new uint64) error) error {
		for range 2 { // a pair comes once a row
			if err := patient(uint64(old), moved); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil || n != 1 {
		t.Fatalf("RekeyLiteral: %d, %v; want 1", n, err)
	}
	var left, now2, idsNow int
	l.db.QueryRow(`SELECT count(*) FROM revoked_patients WHERE digest = ?`, old).Scan(&left)
	l.db.QueryRow(`SELECT count(*) FROM revoked_patients WHERE digest = ?`, moved).Scan(&now2)
	l.db.QueryRow(`SELECT count(*) FROM revoked_identifiers WHERE patient = ?`, moved).Scan(&idsNow)
	if left != 0 || now2 != 1 || idsNow != ids {
		t.Errorf("after the move: %d under the formula's digest, %d under the text's, %d identifiers of %d moved", left, now2, idsNow, ids)
	}
}
