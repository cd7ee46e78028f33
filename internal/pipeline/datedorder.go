package pipeline

import "sync/atomic"

// A dated revocation refuses its order. Under consent.revoked_allows_earlier
// a revocation written with its day (revoked 2026-11-01, 撤回 115/11/01)
// screens as nothing for its own row, which Decide judges at its
// appointment: consent_revoked from that day on. It withdrew the
// patient's appointments from its day on (input.columns.patient_key), but
// not its order's other rows — which are the same appointment — so
// without a patient key a consenting row of the order was sent beside the
// revoking one, and the revocation noted consent_refused_after_sent (a
// review, 2026-12-08: TestADatedRevocationRefusesItsOrder). Now a dated
// revocation that Decide finds on or before the row's appointment refuses
// its order in that consent column as an undated one does (collect): the
// strictest consent of an order wins, dated or not.

// datedRefusal notes, for the row's platform i whose consent Decide found
// revoked at the appointment, that the row refuses its order in i's
// consent column; the row keeps its own reason (its value did not pass,
// so it is no longer open for i).
func (r *runner) datedRefusal(i int, o *outcome) {
	if datedRefusesNoOrder.Load() {
		return
	}
	o.refuses |= 1 << r.wcol[i]
	o.open &^= 1 << i
}

// datedRefusesNoOrder turns the rule off: DatedRevocationsRefuseNoOrder.
var datedRefusesNoOrder atomic.Bool

// DatedRevocationsRefuseNoOrder makes runs judge a dated revocation on
// its own row alone, as before the rule, until restore is called: for a
// test that compares with answers recorded before it (package run's
// TestOnePassAnswersAsTheTwoPassRunDid, whose random exports hold such
// orders).
func DatedRevocationsRefuseNoOrder() (restore func()) {
	datedRefusesNoOrder.Store(true)
	return func() { datedRefusesNoOrder.Store(false) }
}
