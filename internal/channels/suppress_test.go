package channels

import (
	"math/big"
	"math/rand/v2"
	"testing"
)

// tableGrid builds a grid from interior counts (channels × periods) and
// adds the margins: the total row and, with twoD, the whole-window column.
func tableGrid(interior [][]float64, twoD bool) *grid {
	rows, cols := len(interior)+1, len(interior[0])
	if twoD {
		cols++
	}
	g := newGrid(rows, cols, twoD)
	for r := range interior {
		for c, v := range interior[r] {
			g.v[r][c] = v
			g.v[rows-1][c] += v
			if twoD {
				g.v[r][cols-1] += v
				g.v[rows-1][cols-1] += v
			}
		}
	}
	for r := range rows {
		for c := range cols {
			g.ok[r][c] = true
		}
	}
	return g
}

// determinedCells solves the grid's sums exactly (big.Rat Gauss-Jordan)
// with the printed figures as constants and returns the suppressed cells
// whose value the printed figures fix. It is the attacker with unlimited
// patience: any combination of additions and subtractions is a row
// operation here.
func determinedCells(g *grid) [][2]int {
	idx := map[[2]int]int{}
	var unknowns [][2]int
	for r := range g.rows {
		for c := range g.cols {
			if g.ok[r][c] && g.suppressed(r, c) {
				idx[[2]int{r, c}] = len(unknowns)
				unknowns = append(unknowns, [2]int{r, c})
			}
		}
	}
	n := len(unknowns)
	var rows [][]*big.Rat
	for _, line := range g.lines() {
		eq := make([]*big.Rat, n+1)
		for i := range eq {
			eq[i] = new(big.Rat)
		}
		for i, cell := range line {
			coef := int64(1)
			if i == len(line)-1 {
				coef = -1 // members minus margin is zero
			}
			r, c := cell[0], cell[1]
			if !g.ok[r][c] {
				continue
			}
			if j, hidden := idx[cell]; hidden {
				eq[j].Add(eq[j], big.NewRat(coef, 1))
			} else {
				v := new(big.Rat).SetFloat64(g.v[r][c])
				eq[n].Sub(eq[n], v.Mul(v, big.NewRat(coef, 1)))
			}
		}
		rows = append(rows, eq)
	}
	// Reduced row echelon form.
	pivotOf := make([]int, n)
	for i := range pivotOf {
		pivotOf[i] = -1
	}
	r := 0
	for c := 0; c < n && r < len(rows); c++ {
		p := -1
		for i := r; i < len(rows); i++ {
			if rows[i][c].Sign() != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		rows[r], rows[p] = rows[p], rows[r]
		inv := new(big.Rat).Inv(rows[r][c])
		for j := range rows[r] {
			rows[r][j].Mul(rows[r][j], inv)
		}
		for i := range rows {
			if i == r || rows[i][c].Sign() == 0 {
				continue
			}
			f := new(big.Rat).Set(rows[i][c])
			for j := range rows[i] {
				rows[i][j].Sub(rows[i][j], new(big.Rat).Mul(f, rows[r][j]))
			}
		}
		pivotOf[c] = r
		r++
	}
	var out [][2]int
	for c, pr := range pivotOf {
		if pr < 0 {
			continue
		}
		alone := true
		for j := 0; j < n; j++ {
			if j != c && rows[pr][j].Sign() != 0 {
				alone = false
			}
		}
		if alone {
			out = append(out, unknowns[c])
		}
	}
	return out
}

// checkProtected fails when a small count is printed, a suppressed count
// is determined by the printed ones, or a line's suppressed members add up
// (recoverably) to a small count — or to zero, when one of them is
// withheld under a small count it is part of (nested): a sum of zero
// otherwise describes nobody.
func checkProtected(t *testing.T, g *grid, k int, nested func(r, c int) bool, label string) {
	t.Helper()
	for r := range g.rows {
		for c := range g.cols {
			if v := g.v[r][c]; g.ok[r][c] && v > 0 && v < float64(k) && !g.suppressed(r, c) {
				t.Fatalf("%s: cell %d,%d = %v is printed", label, r, c, v)
			}
		}
	}
	if d := determinedCells(g); len(d) > 0 {
		t.Fatalf("%s: suppressed cells %v can be worked out from the printed ones\n%s", label, d, dump(g))
	}
	for _, line := range g.lines() {
		members, margin := line[:len(line)-1], line[len(line)-1]
		if g.suppressed(margin[0], margin[1]) {
			continue
		}
		sum, n, zeros := 0.0, 0, false
		for _, m := range members {
			if g.ok[m[0]][m[1]] && g.suppressed(m[0], m[1]) {
				sum += g.v[m[0]][m[1]]
				n++
				zeros = zeros || nested(m[0], m[1])
			}
		}
		if n > 0 && (sum > 0 && sum < float64(k) || sum == 0 && zeros) {
			t.Fatalf("%s: line %v: suppressed members add up to %v, recoverable and below %d\n%s", label, line, sum, k, dump(g))
		}
	}
}

func dump(g *grid) string {
	s := ""
	for r := range g.rows {
		for c := range g.cols {
			mark := " "
			if g.suppressed(r, c) {
				mark = "*"
			}
			s += big.NewRat(int64(g.v[r][c]), 1).RatString() + mark + "\t"
		}
		s += "\n"
	}
	return s
}

func TestSuppressRandomTables(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(17, 5))
	for trial := range 600 {
		twoD := trial%2 == 1
		nr := 2 + rng.IntN(6)
		nc := 1
		if twoD {
			nc = 1 + rng.IntN(6)
		}
		k := 2 + rng.IntN(9)
		interior := make([][]float64, nr)
		for r := range interior {
			interior[r] = make([]float64, nc)
			for c := range interior[r] {
				switch rng.IntN(4) {
				case 0:
					interior[r][c] = 0
				case 1:
					interior[r][c] = float64(1 + rng.IntN(k))
				default:
					interior[r][c] = float64(rng.IntN(40))
				}
			}
		}
		var gs [numMeasures]*grid
		gs[mBookings] = tableGrid(interior, twoD)
		// Visits and new patients are subsets of bookings.
		visits := make([][]float64, nr)
		newPts := make([][]float64, nr)
		for r := range interior {
			visits[r] = make([]float64, nc)
			newPts[r] = make([]float64, nc)
			for c, b := range interior[r] {
				visits[r][c] = float64(rng.IntN(int(b) + 1))
				newPts[r][c] = float64(rng.IntN(int(visits[r][c]) + 1))
			}
		}
		gs[mVisits] = tableGrid(visits, twoD)
		gs[mNewPatients] = tableGrid(newPts, twoD)
		gs[mClicks] = tableGrid(interior, twoD)
		gs[mConversions] = tableGrid(visits, twoD)
		suppress(&gs, k)
		for m, g := range gs {
			if g == nil {
				continue // the funnel's other measures: left out here, as in a report without them
			}
			nested := func(r, c int) bool {
				for _, p := range measureParents[m] {
					if up := gs[p]; up != nil && up.suppressed(r, c) && up.v[r][c] < float64(k) {
						return true
					}
				}
				return false
			}
			checkProtected(t, g, k, nested, "trial "+string(rune('0'+trial%10))+" measure "+string(rune('0'+m)))
		}
		for r := range gs[0].rows {
			for c := range gs[0].cols {
				// Rule 2: below a withheld count under k (a small one, or
				// a part of one), every part is withheld; a count withheld
				// to protect another is at least k, and its parts may print.
				below := func(m measure) bool { return gs[m].suppressed(r, c) && gs[m].v[r][c] < float64(k) }
				if below(mBookings) && !gs[mVisits].suppressed(r, c) || below(mVisits) && !gs[mNewPatients].suppressed(r, c) {
					t.Fatalf("trial %d: cell %d,%d: a measure below a small suppressed one is printed", trial, r, c)
				}
			}
		}
	}
}

// TestBridgeIsBroken builds the case the line rule alone misses: every
// line holds two suppressed cells, yet one cell is a bridge between two
// cycles and so is fixed by the sums.
func TestBridgeIsBroken(t *testing.T) {
	g := tableGrid([][]float64{
		{20, 20, 0, 0},
		{20, 20, 0, 0},
		{0, 0, 20, 20},
		{0, 0, 20, 20},
	}, true)
	// Two cycles of suppressed cells, and no bridge yet.
	for _, c := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}} {
		g.st[c[0]][c[1]] = Hidden
	}
	if len(g.bridges()) != 0 {
		t.Fatalf("two 4-cycles have no bridge, got %v", g.bridges())
	}
	// Link the cycles through one more cell: (0,2) is now a bridge.
	g.v[0][2], g.v[4][2], g.v[0][4], g.v[4][4] = 3, g.v[4][2]+3, g.v[0][4]+3, g.v[4][4]+3
	g.st[0][2] = Small
	if b := g.bridges(); len(b) != 1 || b[0] != [2]int{0, 2} {
		t.Fatalf("bridges %v, want [[0 2]]", b)
	}
	if d := determinedCells(g); len(d) == 0 {
		t.Fatal("the oracle should see the bridge cell determined before it is broken")
	}
	for g.breakBridge() {
	}
	if d := determinedCells(g); len(d) > 0 {
		t.Fatalf("after breaking bridges, %v still determined\n%s", d, dump(g))
	}
}

// TestSuppressionOff: min_cell 1 (--exact) suppresses nothing — a
// platform's fractional claim of half a conversion (Google's attribution
// splits them) included, which "from 1 to min_cell-1" never meant.
func TestSuppressionOff(t *testing.T) {
	g := tableGrid([][]float64{{1}, {2}, {30}, {0.5}}, false)
	var gs [numMeasures]*grid
	for m := range gs {
		gs[m] = g
	}
	suppress(&gs, 1)
	for r := range g.rows {
		if g.suppressed(r, 0) {
			t.Fatalf("min_cell 1 suppressed row %d", r)
		}
	}
}

func TestZeroIsPrinted(t *testing.T) {
	var gs [numMeasures]*grid
	for m := range gs {
		gs[m] = tableGrid([][]float64{{0}, {12}, {30}}, false)
	}
	suppress(&gs, 5)
	if gs[mBookings].suppressed(0, 0) {
		t.Fatal("a zero count was suppressed; it describes nobody")
	}
}
