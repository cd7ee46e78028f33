package channels

import (
	"encoding/binary"
	"math"
	"time"
)

// Amounts, per contribution. Each visit's fee (and each booking
// made's lead days) is multiplied by 1 ± 3–10% before it is added to
// any cell, the factor drawn from its contributor — the patient's
// record key with input.columns.patient_key, else the booking's — and
// the amount: noise on the microdata before tabulation, the method of
// Evans, Zayatz and Slanta (1998) for magnitude tables, which Massell
// and Funk describe as additive and consistent across linked tables
// and special tabulations, with no multiplier too close to 1. So a
// contribution is the same perturbed value in every cell, measure and
// report that holds it, and differences of reports only ever give sums
// of perturbed values: a course of identical fees, each alone in its
// day, is one draw however many days, ISO weeks and months isolate it,
// and a first visit's revenue, new revenue and LTV revenue are one
// draw, not three. Drawn per cell, from the cell's records — the cell key
// method's way with magnitudes, a cell moved by shares of its largest
// contributions looked up by its cell key (the sdcTools cellKey package's
// ck_params_nums, after Thompson, Broadfoot and Elazar 2013 and Giessing
// and Tent 2019), which hashgate used — each of those was a fresh 5–15%
// of the fee, and a reader who knows prices
// are multiples of 100 pinned 22 of 40 fees from three visits in one
// week (TestFeeAttacks). The amount is in the draw so that one
// patient's different fees draw apart: one factor per patient, as
// Evans, Zayatz and Slanta publish it, gives the ratio of two of their
// fees exactly, and from it, on a price list, both fees (50 of 80).
// The contributor is in it so that a reader who knows one cell's truth
// (their own visit) learns nothing of another patient's cell of the
// same fee, as a draw from the amount alone would give (40 of 40).
// The share is at most 10%, so every amount — whatever its
// contributions, however few patients — is within 10% of the truth
// (but for the rounding of each grid cell to a whole unit), and at
// least 3%, so that a cell of one contribution never comes out exact;
// up to 15% a contribution, as the per-cell rule moved a cell, left a
// week's Paid revenue over 32 visits 10.7% off
// (TestReleasedFiguresStayUseful). What it cannot do: without
// patient_key two visits of one person are two contributors, so a
// course is still a draw a visit; and two cells that print the same,
// each one contribution, say one patient's same fee (README "Its
// limits, plainly").
//
// What follows is that rule and the grid the released cells are rounded
// on. The candidates TestFeeAttacks measured beside it are in
// amounts_rules_test.go: production knows only the rule in force, and
// the candidates reach it through one hook, amountCandidates.

// releaseAmount returns amount v with noise added: never below zero, in
// whole units.
func (r *releaser) releaseAmount(v, noise float64) float64 {
	if r.spread > 0 {
		// Tests with widened noise: unrounded, so that two draws never
		// land on the same whole unit by luck (a rounded 3–10% of a
		// 2,000 visit has ~140 values: the attack sweeps met such a
		// coincidence and called it a leak).
		return max(v+noise, 0)
	}
	return math.Round(max(v+noise, 0)) // whole units: the noise makes any finer digit meaningless
}

// amountRule names a way of perturbing amounts. Its zero value is the
// release rule's: each contribution is multiplied by 1 ± 3–10%, a factor
// drawn from its contributor (a patient with input.columns.patient_key,
// else a booking) and its amount, before the cell is summed — one
// patient's fees of the same amount share it; different amounts, and
// other patients, draw apart. Other values name the candidates a test
// registered in amountCandidates.
type amountRule uint8

// amountCandidate is a rule other than the one in force, which a test
// plays through the release (TestFeeAttacks): one that perturbs
// contributions draws their share (draw); one that perturbs grid cells
// releases a cell's amounts itself (releaseCell).
type amountCandidate interface {
	perContribution() bool
	draw(r *releaser, tag string, who uint64, v float64) uint64
	releaseCell(r *releaser, c *cell)
}

// amountCandidates are the candidate rules by name: nil in production,
// filled by the channels tests (amounts_rules_test.go).
var amountCandidates map[amountRule]amountCandidate

// candidate is r's candidate rule, nil for the rule in force.
func (r *releaser) candidate() amountCandidate {
	if r == nil || r.amounts == 0 {
		return nil
	}
	return amountCandidates[r.amounts]
}

// perContribution says whether r perturbs amounts per contribution, before
// they are summed, rather than per grid cell: the rule in force does.
func (r *releaser) perContribution() bool {
	if c := r.candidate(); c != nil {
		return c.perContribution()
	}
	return r != nil
}

// contributionNoise is the noise one contribution v of contributor who
// (a patient's or a booking's record key) adds to an amount under a
// per-contribution rule: v times a share of 3–10%, up or down, drawn from
// (tag, who, v). The same contribution adds the same noise to every cell,
// measure and report it is in. Zero under a per-cell rule and for exact
// figures.
func (r *releaser) contributionNoise(tag string, who uint64, v float64) float64 {
	if v <= 0 {
		return 0
	}
	return r.contributionShare(tag, who, v) * v
}

// contributionShare is the share, 3–10% up or down, contribution v of
// who moves by; zero under a per-cell rule and for exact figures.
func (r *releaser) contributionShare(tag string, who uint64, v float64) float64 {
	if !r.perContribution() {
		return 0
	}
	if c := r.candidate(); c != nil {
		return shareOf(c.draw(r, tag, who, v), contributionShareMin, contributionShareMax)
	}
	return shareOf(r.contributionDraw(tag, who, v), contributionShareMin, contributionShareMax)
}

// contributionDraw is mac(tag, who, v's bits) with the message built in
// r.buf under r.mu, as recordKey builds its own: HMAC reads one stream,
// so the draw is the same, and the three slices a mac call made escaped,
// three allocations a contribution.
func (r *releaser) contributionDraw(tag string, who uint64, v float64) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reset()
	r.buf = binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(append(r.buf[:0], tag...), who), math.Float64bits(v))
	r.h.Write(r.buf)
	return r.sum64()
}

// A contribution moves by 3% to 10% of itself: never by less (Massell and
// Funk: no multiplier too close to 1, or a cell one patient dominates
// comes out nearly exact), and never by more, so that every amount —
// whatever its contributions — is within 10% of the truth, but for the
// rounding of its grid cells to whole units (the comment atop this file).
const contributionShareMin, contributionShareMax = 0.03, 0.10

// shareOf maps a draw u to a share of lo to hi, up or down (u's lowest
// bit), uniform in between (52 bits of it above the lowest 11).
func shareOf(u uint64, lo, hi float64) float64 {
	s := lo + (hi-lo)*float64(u>>11&(1<<52-1))/float64(1<<52)
	if u&1 == 1 {
		s = -s
	}
	return s
}

// valueNoise is contributionNoise of an amount, in exact money units, so
// that sums of it do not depend on the order they are added in.
func (r *releaser) valueNoise(who uint64, v amount) amount {
	return toAmount(r.contributionNoise("amount", who, v.float()))
}

// leadNoise is the noise of one booking's lead days: a share of 3–10%, up
// or down, of the lead or of leadNoiseFloor, whichever is longer, on a
// grid of 1/1024 day (float sums of it are exact, so they do not depend on
// the order they are added in).
func (r *releaser) leadNoise(who uint64, lead float64) float64 {
	return math.Round(r.contributionShare("lead", who, lead)*max(lead, leadNoiseFloor)*1024) / 1024
}

// leadNoiseFloor: a lead of a few days moved by 3–10% of itself moves by
// less than half a day, and the grid cell's rounding to a whole day gave
// it back exactly — two reports a day apart gave a booking made 3 days
// ahead, or the same day, to the day (TestLeadDaysAreReleased). Moved by
// 3–10% of 30 days, a short lead moves by 0.9 to 3 days.
const leadNoiseFloor = 30

// releaseAmounts perturbs the amounts of one grid cell of one line
// (gridPieces) in place: the contributions' noise, added up with them
// (decideOrders, creditNewPatients), released with the sums.
func (r *releaser) releaseAmounts(c *cell) {
	if cand := r.candidate(); cand != nil && !cand.perContribution() {
		cand.releaseCell(r, c)
		return
	}
	amt := func(a, noise amount) amount {
		if a <= 0 {
			return a
		}
		return toAmount(r.releaseAmount(a.float(), noise.float()))
	}
	c.revenue = amt(c.revenue, c.revenueNoise)
	c.newRevenue = amt(c.newRevenue, c.newRevenueNoise)
	c.ltvRevenue = amt(c.ltvRevenue, c.ltvRevenueNoise)
	if c.bookingsMade > 0 {
		// Not clamped at zero, unlike the other amounts: a lone
		// same-day booking (lead 0) drawn down would print 0, its
		// truth, one time in two. The printed mean is clamped
		// (derive), over the whole span.
		c.leadDays = c.leadDays + c.leadDaysNoise
		if r.spread == 0 {
			c.leadDays = math.Round(c.leadDays)
		}
	}
}

// Amounts are released on a fixed calendar grid, not as running totals:
// each grid cell's sum of perturbed contributions is rounded to a whole
// unit once, so the same cell prints the same in every report, and a
// span's amount is the sum of its cells'. (The noise itself is the
// contributions' and needs no grid; under the per-cell rules it was the
// cells', and as running totals it would have been a share of the year's
// largest visit so far — a week's revenue over 35 visits 19% off.)
// gridPieces cuts [from, to] into the grid's cells, coarsest first: a
// calendar month wholly inside the span is one piece, else an ISO week
// (Monday to Sunday) wholly inside it, else a day. Days are calendar dates
// in the clinic's zone (dayNumber), so the grid is the same in every report
// of one installation.
func gridPieces(from, to int32) []span {
	var out []span
	for d := from; d <= to; {
		t := dayTime(d)
		if t.Day() == 1 {
			end := dayNumber(time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)) - 1
			if end <= to {
				out = append(out, span{d, end})
				d = end + 1
				continue
			}
		}
		if t.Weekday() == time.Monday && d+6 <= to {
			out = append(out, span{d, d + 6})
			d += 7
			continue
		}
		out = append(out, span{d, d})
		d++
	}
	return out
}
