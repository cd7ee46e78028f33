package main

// consentkindMutations hold the refusal of yes/no columns that name
// something else — a kind of visit, a reminder sent, a way of booking — as
// the consent: an older config init mapped 是否初诊 and booked_via_api, and
// after the upgrade every first-visit patient was sent.
var consentkindMutations = register([]mutation{
	{
		Name:     "consentkind/visit-kind-passes",
		Why:      "a first-visit flag (是否初诊) or a new patient's consent form mapped as the consent would pass validate, and the dry-run would send every new patient",
		File:     "internal/inspect/consentheader.go",
		Old:      "case headerHas(foldedVisitKindHeader(), header):",
		New:      "case headerHas(foldedVisitKindHeader(), header) && false:",
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestConsentHeaderProblem|TestAnOlderInitsConsentMappingStopsAfterTheUpgrade",
	},
	{
		Name:     "consentkind/reminder-passes",
		Why:      "a reminder-sent flag mapped as the consent would pass: every patient reminded sent",
		File:     "internal/inspect/consentheader.go",
		Old:      "case headerHas(foldedNoticeWords(), header):",
		New:      "case headerHas(foldedNoticeWords(), header) && false:",
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestConsentHeaderProblem|TestAnOlderInitsConsentMappingStopsAfterTheUpgrade",
	},
	{
		Name:     "consentkind/booking-way-passes",
		Why:      "booked_via_api mapped as the consent would pass: every patient who booked online sent",
		File:     "internal/inspect/consentheader.go",
		Old:      "case !consentNamed && headerHas(foldedBookingWays(), header):",
		New:      "case !consentNamed && headerHas(foldedBookingWays(), header) && false:",
		Packages: []string{"./internal/inspect"},
		Run:      "TestConsentHeaderProblem",
	},
	{
		Name:     "consentkind/named-consent-refused",
		Why:      "a consent word beside a way of booking (Online booking consent) would be refused: a clinic's real consent stopped with no way around",
		File:     "internal/inspect/consentheader.go",
		Old:      "case !consentNamed && headerHas(foldedBookingWays(), header):",
		New:      "case consentNamed == consentNamed && headerHas(foldedBookingWays(), header):",
		Packages: []string{"./internal/inspect"},
		Run:      "TestConsentHeaderProblem",
	},
})
