package channels

import "slices"

// Small-cell suppression.
//
// A report is a table of counts: rows are the channels, the paid line
// and the total, columns are the periods and (with --period) the whole
// window. Every count is tied to others by sums: a channel's total over
// the window is the sum of its periods, a period's total the sum of its
// channels, Paid the sum of the paid channels (so Total less Paid the sum
// of the others); and within one line and span, visits are new-patient
// plus returning visits (returning visits print as visits less new ones),
// bookings are what became of them, new patients are new-patient visits.
// Hiding a small count is not enough when the others in one of its sums
// are printed — subtraction gives it back (Meta's visits 14 beside its
// new-patient visits 11 gave its withheld returning visits, 3, away). So:
//
//  1. Primary: a count from 1 to k-1 (k = channels.min_cell) is Small.
//     Zero is printed: it describes nobody.
//  2. Within one appointment, bookings ⊇ visits ⊇ new patients: when a
//     count below k is suppressed in a cell (a small one, or a part of
//     one), the measures below it are too (a printed "0 visits" beside
//     "<5 bookings" would say all of those patients stayed away). A count
//     withheld to protect another is at least k; its parts may print.
//  3. Every sum (a relation: its members and its margin) holds no
//     suppressed figure, or at least two; and when its margin is printed,
//     the suppressed members together — which subtraction does recover —
//     are at least k. Otherwise the printed cell whose loss costs least is
//     hidden too (Hidden): its own value and what the other sums it is in
//     would then need (sdc.go).
//  4. With periods the sums of one measure form a two-way table, where a
//     figure can be pinned down through several sums at once: it is
//     determined exactly when its cell is a bridge of the graph whose
//     vertices are the rows and columns and whose edges are the
//     suppressed cells. Each bridge gets another cell of its row hidden.
//  5. Sums across measures and the paid line make more than two-way
//     tables: the audit (audit.go) solves every sum at once and hides a
//     partner of each figure it finds pinned.
//
// Steps 2–5 repeat until nothing changes. The result: no suppressed count
// can be recovered by adding or subtracting printed ones, and no group of
// suppressed counts whose sum one relation gives back adds up to fewer
// than k. TestSuppressRandomTables and TestSuppressLinkedRandomTables
// check both by solving the printed sums exactly; amounts are suppressed
// on the same engine (amountsdc.go).

// measure is a count that is suppressed on its own grid.
type measure uint8

// The funnel's counts of assemble.go are measures: bookings and what
// became of them (visits, no-shows, cancellations, pending, unclassified),
// visits of new and of returning patients, new patients and the LTV cohort
// (new patients whose horizon has passed). Clicks and claims are the
// platforms' counts. A measure's parents are the counts it is part of
// (rule 2).
const (
	mBookings measure = iota
	mVisits
	mNewPatients
	mClicks
	mConversions
	mNoShows
	mCancellations
	mPending
	mUnclassified
	mNewVisits
	mReturningVisits
	mLTVPatients
	mBookingsMade  // dated when made: other days than its bookings, so no parent
	mBookingClaims // the platform's claimed bookings: its own count, no parent
	numMeasures
)

// measureParents lists, per measure, the counts that contain it.
var measureParents = [numMeasures][]measure{
	mVisits:          {mBookings},
	mNewPatients:     {mBookings, mVisits},
	mNoShows:         {mBookings},
	mCancellations:   {mBookings},
	mPending:         {mBookings},
	mUnclassified:    {mBookings},
	mNewVisits:       {mBookings, mVisits},
	mReturningVisits: {mBookings, mVisits},
	mLTVPatients:     {mBookings, mVisits, mNewPatients},
}

// grid holds one measure over the table. The last row is the total; when
// paidRow is not -1 it is the paid line, the sum of the rows in paid (and
// not a member of the total's sum). With twoD, the last column is the
// whole window and the others are periods.
type grid struct {
	rows, cols int
	twoD       bool
	paidRow    int
	paid       []int
	v          [][]float64
	ok         [][]bool // the figure exists (applicable) in this cell
	st         [][]State
	// version counts the cells hidden; bridgeFree and linesFree are the
	// version at which the grid last had no bridge, and its lines needed
	// nothing (+1; 0: never checked).
	version, bridgeFree, linesFree int
}

func newGrid(rows, cols int, twoD bool) *grid {
	g := &grid{rows: rows, cols: cols, twoD: twoD, paidRow: -1}
	for r := 0; r < rows; r++ {
		g.v = append(g.v, make([]float64, cols))
		g.ok = append(g.ok, make([]bool, cols))
		g.st = append(g.st, make([]State, cols))
	}
	return g
}

func (g *grid) suppressed(r, c int) bool { return g.st[r][c] == Small || g.st[r][c] == Hidden }

func (g *grid) hide(r, c int) bool {
	if !g.ok[r][c] || g.suppressed(r, c) {
		return false
	}
	g.st[r][c] = Hidden
	g.version++
	return true
}

// suppress applies the rules above to the count grids of one report.
// A nil grid is a measure the table does not have (tests leave some out).
func suppress(gs *[numMeasures]*grid, k int) {
	var all []*grid
	for _, g := range gs {
		all = append(all, g)
		if g != nil {
			g.primary(k)
		}
	}
	if k <= 1 {
		return
	}
	parents := make([][]int, numMeasures)
	for m, ps := range measureParents {
		for _, p := range ps {
			parents[m] = append(parents[m], int(p))
		}
	}
	t := newSDC(all, parents, float64(k), countRelations(gs), func(hidden []ref) bool {
		sum := 0.0
		for _, h := range hidden {
			sum += all[h.m].v[h.r][h.c]
		}
		return sum >= float64(k)
	})
	t.run()
}

// primary marks the cells of a count grid: not applicable, Small (1 to
// k-1) or Shown.
func (g *grid) primary(k int) {
	for r := range g.rows {
		for c := range g.cols {
			switch {
			case !g.ok[r][c]:
				g.st[r][c] = NotApplicable
			case k > 1 && g.v[r][c] > 0 && g.v[r][c] < float64(k):
				g.st[r][c] = Small
			default:
				g.st[r][c] = Shown
			}
		}
	}
}

// lines lists the sums of the grid: members then margin. Per column,
// the channels sum to the total and the paid channels to the paid line.
func (g *grid) lines() [][][2]int {
	var out [][][2]int
	for c := range g.cols {
		var l [][2]int
		for r := 0; r < g.rows-1; r++ {
			if r != g.paidRow {
				l = append(l, [2]int{r, c})
			}
		}
		out = append(out, append(l, [2]int{g.rows - 1, c}))
		// Without paid channels the paid line sums nothing: it is zero
		// by its definition, a sum of no one, and ties nothing.
		if g.paidRow >= 0 && len(g.paid) > 0 {
			var p [][2]int
			for _, r := range g.paid {
				p = append(p, [2]int{r, c})
			}
			out = append(out, append(p, [2]int{g.paidRow, c}))
			// Total less Paid is the channels without a platform: a sum
			// in its own right, whose withheld members subtraction
			// recovers together.
			u := [][2]int{{g.paidRow, c}}
			for r := 0; r < g.rows-1; r++ {
				if r != g.paidRow && !slices.Contains(g.paid, r) {
					u = append(u, [2]int{r, c})
				}
			}
			out = append(out, append(u, [2]int{g.rows - 1, c}))
		}
	}
	if g.twoD {
		for r := range g.rows {
			var l [][2]int
			for c := 0; c < g.cols-1; c++ {
				l = append(l, [2]int{r, c})
			}
			out = append(out, append(l, [2]int{r, g.cols - 1}))
		}
	}
	return out
}

// smallestShown returns the printed member with the smallest non-zero
// value (the cheapest to give up), preferring the earliest on ties.
func (g *grid) smallestShown(members [][2]int) ([2]int, bool) {
	best, found := [2]int{}, false
	for _, m := range members {
		r, c := m[0], m[1]
		if !g.ok[r][c] || g.suppressed(r, c) || g.v[r][c] <= 0 {
			continue
		}
		if !found || g.v[r][c] < g.v[best[0]][best[1]] {
			best, found = m, true
		}
	}
	return best, found
}

// breakBridge applies rule 4 to one bridge and reports whether it hid
// anything. Vertices 0..rows-1 are the rows, rows..rows+cols-1 the
// columns; every suppressed cell is an edge.
func (g *grid) breakBridge() bool {
	for _, e := range g.bridges() {
		r, c := e[0], e[1]
		var row, col [][2]int
		for cc := range g.cols {
			if cc != c {
				row = append(row, [2]int{r, cc})
			}
		}
		for rr := range g.rows {
			if rr != r {
				col = append(col, [2]int{rr, c})
			}
		}
		for _, cand := range [][][2]int{row, col} {
			if best, ok := g.smallestShown(cand); ok {
				g.hide(best[0], best[1])
				return true
			}
		}
		for _, cand := range slices.Concat(row, col) {
			if g.hide(cand[0], cand[1]) {
				return true
			}
		}
	}
	return false
}

// bridges returns the suppressed cells that are bridges of the graph of
// suppressed cells (Tarjan's low-link, on a graph of a few hundred edges).
func (g *grid) bridges() [][2]int {
	n := g.rows + g.cols
	type edge struct{ to, id int }
	adj := make([][]edge, n)
	var cells [][2]int
	for r := range g.rows {
		for c := range g.cols {
			if g.ok[r][c] && g.suppressed(r, c) {
				id := len(cells)
				cells = append(cells, [2]int{r, c})
				adj[r] = append(adj[r], edge{g.rows + c, id})
				adj[g.rows+c] = append(adj[g.rows+c], edge{r, id})
			}
		}
	}
	disc := make([]int, n)
	low := make([]int, n)
	for i := range disc {
		disc[i] = -1
	}
	var out [][2]int
	timer := 0
	var visit func(u, parentEdge int)
	visit = func(u, parentEdge int) {
		disc[u], low[u] = timer, timer
		timer++
		for _, e := range adj[u] {
			if e.id == parentEdge {
				continue
			}
			if disc[e.to] < 0 {
				visit(e.to, e.id)
				low[u] = min(low[u], low[e.to])
				if low[e.to] > disc[u] {
					out = append(out, cells[e.id])
				}
			} else {
				low[u] = min(low[u], disc[e.to])
			}
		}
	}
	for u := range n {
		if disc[u] < 0 {
			visit(u, -1)
		}
	}
	return out
}
