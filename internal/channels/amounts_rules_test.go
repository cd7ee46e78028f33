package channels

import "math"

// The candidate amount rules issue 26's fee attacks measured beside the
// rule in force (TestFeeAttacks), kept so
// that the figures README states for them can be played again.
// Production knows only the rule in force (amounts.go); these reach the
// release through amountCandidates, filled here.
const (
	// amountsPerPatientAmount is the rule in force: amountRule's zero
	// value, no candidate.
	amountsPerPatientAmount amountRule = iota
	// amountsPerCell draws each grid cell's noise from its cell key, its
	// amount and its largest contribution: 5–15% of that contribution
	// (the rule until issue 26's fee attacks).
	amountsPerCell
	// amountsPerAmount draws each grid cell's noise from its amount and
	// largest contribution alone: every cell of the same amount prints
	// the same figure.
	amountsPerAmount
	// amountsPerPatient multiplies each contribution by a factor drawn
	// once per contributor, 1 ± 3–10%, before the cell is summed: Evans,
	// Zayatz and Slanta (1998) as published.
	amountsPerPatient
)

func init() {
	amountCandidates = map[amountRule]amountCandidate{
		amountsPerCell:    perCellRule{keyed: true},
		amountsPerAmount:  perCellRule{},
		amountsPerPatient: perPatientRule{},
	}
}

// perPatientRule is amountsPerPatient: the rule in force's draw without
// the amount, one factor per contributor.
type perPatientRule struct{}

func (perPatientRule) perContribution() bool { return true }

func (perPatientRule) draw(r *releaser, tag string, who uint64, _ float64) uint64 {
	return r.mac([]byte(tag), u64(who))
}

func (perPatientRule) releaseCell(*releaser, *cell) {
	panic("amountsPerPatient perturbs contributions")
}

// perCellRule is amountsPerCell (keyed: each measure's cell key in the
// draw) and amountsPerAmount (no cell key: the same amount and largest
// contribution draw the same, in any cell).
type perCellRule struct{ keyed bool }

func (perCellRule) perContribution() bool { return false }

func (perCellRule) draw(*releaser, string, uint64, float64) uint64 {
	panic("the per-cell rules perturb grid cells")
}

// releaseCell moves each amount of c by 5–15% of its largest
// contribution. Lead days are moved by a share of the cell's mean lead:
// these rules drew it from the longest one (a cell.leadTop the release
// rule no longer keeps), and no attack measures lead days under them.
func (p perCellRule) releaseCell(r *releaser, c *cell) {
	ck := func(m measure) uint64 {
		if p.keyed {
			return c.cellKey(m)
		}
		return 0
	}
	amt := func(a, top amount, k uint64) amount {
		return toAmount(r.perturbAmount(a.float(), top.float(), k))
	}
	c.revenue = amt(c.revenue, c.top, ck(mVisits))
	c.newRevenue = amt(c.newRevenue, c.newTop, ck(mNewVisits))
	c.ltvRevenue = amt(c.ltvRevenue, c.ltvTop, ck(mLTVPatients))
	if c.bookingsMade > 0 {
		c.leadDays = r.perturbAmount(c.leadDays, c.leadDays/float64(c.bookingsMade), ck(mBookingsMade)^leadTag)
	}
}

// leadTag sets the lead days' draw apart from the other amounts' of a cell
// whose bookings made are its visits.
const leadTag = 0x6c656164 // "lead"

// perturbAmount returns amount v of a cell perturbed by 5% to 15% of its
// largest single contribution top, up or down, drawn from the cell key ck
// and the amount; never below zero: the per-cell rules.
func (r *releaser) perturbAmount(v, top float64, ck uint64) float64 {
	if r == nil || v <= 0 || top <= 0 {
		return v
	}
	u := r.mac([]byte("amount"), u64(ck), u64(math.Float64bits(v)), u64(math.Float64bits(top)))
	return r.releaseAmount(v, share(u)*top)
}

// share maps a draw u to a share of 5% to 15%, up or down: the per-cell
// rules' noise, a share of a cell's largest contribution.
func share(u uint64) float64 { return shareOf(u, 0.05, 0.15) }
