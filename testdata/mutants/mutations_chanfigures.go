package main

// chanfiguresMutations hold the mends of a clinic manager's reading of the
// channel report (session of 2026-12-06, branch chanfigures): figures
// over days the export does not cover, spend over part of a span, revenue
// nobody recorded or that has not happened yet, and what the warnings and
// notes say.
var chanfiguresMutations = register([]mutation{
	{
		Name:     "channels/history-cac-upper-bound",
		Why:      "the short-history warning would again tell the reader to take CAC as an upper bound, when too many new patients make it a lower one",
		File:     "internal/channels/funnel.go",
		Old:      "read new_patients as an upper bound and cac as a lower bound",
		New:      "read new_patients and cac as an upper bound",
		Packages: []string{"./internal/channels"},
		Run:      "TestHistoryWarning",
	},
})
