package channels

// Amounts are suppressed on grids of their own, after the counts, under
// the same engine (sdc.go). An amount is withheld where the count of its
// visits is (revenue with visits, new revenue with new-patient visits,
// returning revenue with returning visits, the LTV cohort's revenue with
// the cohort) or where one patient dominates it (channels.
// dominance_share); then every relation among the printed amounts — a
// grid's lines (Total is its channels' sum and the window its periods'
// to within rounding: every visit carries the same noise in every line
// and span) and revenue = new + returning revenue within a line — is
// honoured as the counts' are: no withheld amount follows from printed
// ones, and withheld amounts that a reader can add up together are not
// mostly one patient's either. Withholding an amount never withholds a
// count.

// amountCounts are the counts whose suppression withholds each amount.
var amountCounts = [numAmounts]measure{
	aRevenue: mVisits, aNewRevenue: mNewVisits, aReturningRevenue: mReturningVisits, aLTVRevenue: mLTVPatients,
}

// amountGrids are a report's amounts: printed (perturbed) on the grids,
// with their true sums and largest single contributions for the
// dominance rule.
type amountGrids struct {
	gs       [numAmounts]*grid
	sum, top [numAmounts][][]amount
}

func newAmountGrids(rows, cols int, twoD bool, paidRow int, paid []int) *amountGrids {
	a := &amountGrids{}
	for m := range a.gs {
		a.gs[m] = newGrid(rows, cols, twoD)
		a.gs[m].paidRow, a.gs[m].paid = paidRow, paid
		a.sum[m] = make([][]amount, rows)
		a.top[m] = make([][]amount, rows)
		for r := range rows {
			a.sum[m][r] = make([]amount, cols)
			a.top[m][r] = make([]amount, cols)
		}
	}
	return a
}

// set records cell r, c: its printed amounts, true sums and largest
// contributions; valued says that amounts exist at all.
func (a *amountGrids) set(r, c int, printed, sum, top [numAmounts]amount, valued bool, counts *[numMeasures]*grid) {
	for m, g := range a.gs {
		cg := counts[amountCounts[m]]
		g.v[r][c] = printed[m].float()
		g.ok[r][c] = valued && cg.ok[r][c]
		a.sum[m][r][c], a.top[m][r][c] = sum[m], top[m]
		switch {
		case !g.ok[r][c]:
			g.st[r][c] = NotApplicable
		case cg.suppressed(r, c):
			g.st[r][c] = Hidden
		default:
			g.st[r][c] = Shown
		}
	}
}

// suppress withholds the dominated amounts (share > 0) and protects every
// withheld amount by the relations among them.
func (a *amountGrids) suppress(share float64) {
	g0 := a.gs[aRevenue]
	for m, g := range a.gs {
		for r := range g0.rows {
			for c := range g0.cols {
				if g.st[r][c] == Shown && dominated(a.sum[m][r][c], a.top[m][r][c], share) {
					g.st[r][c] = Hidden
				}
			}
		}
	}
	var cross []relation
	for c := range g0.cols {
		for r := range g0.rows {
			if a.gs[aRevenue].ok[r][c] && a.gs[aNewRevenue].ok[r][c] && a.gs[aReturningRevenue].ok[r][c] {
				cross = append(cross, relation{margin: ref{int(aRevenue), r, c},
					members: []ref{{int(aNewRevenue), r, c}, {int(aReturningRevenue), r, c}}})
			}
		}
	}
	t := newSDC(a.gs[:], make([][]int, numAmounts), 0, cross, func(hidden []ref) bool {
		// Withheld amounts a reader adds up together: safe when no one
		// patient is more than share of their sum (the largest of
		// their own largest contributions is the least that patient
		// holds of it).
		var sum, top amount
		for _, h := range hidden {
			sum += a.sum[h.m][h.r][h.c]
			top = max(top, a.top[h.m][h.r][h.c])
		}
		return sum <= 0 || !dominated(sum, top, share)
	})
	t.run()
}

// value is amount m of cell r, c as the outputs print it.
func (a *amountGrids) value(m amountMeasure, r, c int) Value {
	g := a.gs[m]
	switch g.st[r][c] {
	case NotApplicable:
		return Value{}
	case Shown:
		return Value{V: g.v[r][c], State: Shown}
	}
	return Value{State: Hidden}
}
