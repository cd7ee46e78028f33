package main

// guardtestsMutations hold two conditions of the moved-times guard the
// closing review found no test holding: a dry-run's count leaves bookings
// out as the upload does, and a validation is never compared.
var guardtestsMutations = register([]mutation{
	{
		Name:     "guardtests/dry-run-compares-bookings",
		Why:      "a dry-run over bookings whose booked_at the clinic emptied would say an upload stops when it does not",
		File:     "internal/ledger/peekheld.go",
		Old:      "if g != nil && !booking && len(g.seen) < g.Sample {",
		New:      "if g != nil && booking == booking && len(g.seen) < g.Sample {",
		Packages: []string{"./internal/cli"},
		Run:      "TestMovedTimesLeaveBookingsOut",
	},
	{
		Name:     "guardtests/validation-compared",
		Why:      "a --validate run, which sends nothing real, would stop on moved times",
		File:     "internal/ledger/movedtimes.go",
		Old:      " || f.dests[c.Platform].Test {",
		New:      " || f.dests[c.Platform].Test && false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAChangedTimezoneStopsUntilAccepted",
	},
})
