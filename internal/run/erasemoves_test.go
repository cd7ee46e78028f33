package run

import (
	"context"
	"slices"
	"testing"

	"github.com/hashgate/hashgate/internal/eventid"
)

// erasureMoves is what findRows gives erase to move of the patient CH-1's
// identifiers, from an export of hers and another patient's rows.
func erasureMoves(t *testing.T, export string) [][2]uint64 {
	t.Helper()
	cfg := patientConfig(t)
	cfg.Secret = "erase-moves-test-secret-7Hd2Kq9Lw4Np"
	env, _, _ := testEnv(t, export)
	m := newPatientRows(false)
	m.list(eventid.NewDeriver(cfg.Secret), "CH-1")
	f := Found{prevD: eventid.NewDeriver("erase-moves-previous-secret-3Vb8Xc1Zm6Qt")}
	if err := findRows(context.Background(), env, cfg, "-", m, &f); err != nil {
		t.Fatal(err)
	}
	return f.moves
}

// TestAnErasureMovesEachIdentifierOnce: a patient's e-mail and phone are
// one move each however many of her visits carry them — her five visits
// give erase the moves her one visit gives. Each row added its pairs,
// and the ledger ran two statements per listed patient and pair
// (moveErasedIdentifiers): a patient of a hundred visits, a thousand.
func TestAnErasureMovesEachIdentifierOnce(t *testing.T) {
	const header = "id,chart,at,email,phone,consent\n"
	const other = "B1,CH-2,2026-11-20 12:00,bo@example.com,0912-000-111,yes\n"
	one := erasureMoves(t, header+"A1,CH-1,2026-11-20 10:00,ann@example.com,0912-345-678,yes\n"+other)
	if len(one) != 2 {
		t.Fatalf("her one visit gives %d moves; want 2 (e-mail, phone)", len(one))
	}
	five := header
	for i, at := range []string{"2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20"} {
		five += "A" + string(rune('1'+i)) + ",CH-1," + at + " 10:00,Ann@Example.com,0912345678,yes\n" + other
	}
	got := erasureMoves(t, five)
	sortMoves := func(ms [][2]uint64) {
		slices.SortFunc(ms, func(a, b [2]uint64) int { return slices.Compare(a[:], b[:]) })
	}
	sortMoves(one)
	sortMoves(got)
	if !slices.Equal(got, one) {
		t.Fatalf("her five visits give %d moves %v; want her one visit's %d %v", len(got), got, len(one), one)
	}
}
