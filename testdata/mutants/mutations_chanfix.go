package main

// chanfixMutations hold the mends of the docs-vs-binary review of the
// channel report's changes of 2026-12-06: what a released report says of
// fees nobody recorded, a partial CAC outside the table, and where the
// export starts.
var chanfixMutations = register([]mutation{
	{
		Name:     "channels/no-values-only-beside-printed-visits",
		Why:      "a line whose visits are withheld would print its new patients' revenue and the N-day value 0 when no visit had a readable fee",
		File:     "internal/channels/assemble.go",
		Old:      "case s.valued == 0 && (shownVisits(v[Visits]) || shownVisits(v[NewVisits]) || shownVisits(v[ReturningVisits]) || shownVisits(v[LTVPatients])):",
		New:      "case s.valued == 0 && shownVisits(v[Visits]):",
		Packages: []string{"./internal/channels"},
		Run:      "TestFiguresNotKnownAreNotZero",
	},
	{
		Name:     "channelreport/partial-cac-unmarked-in-notes",
		Why:      "a CAC over part of its span would print without its † in the note under the table and on the page's line per channel, under a headline that would not show it",
		File:     "internal/channelreport/format.go",
		Old:      "return number(m, l.Values[m].V) + PartMark",
		New:      "return number(m, l.Values[m].V)",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestPartialCACIsMarkedOutsideTheTable",
	},
	{
		Name:     "channels/history-warning-dates-the-export",
		Why:      "one stderr would give two days for where the export starts: its first counted appointment and its first dated row",
		File:     "internal/channels/funnel.go",
		Old:      "\"the first appointment counted in the export is on %s, %s, and",
		New:      "\"the export starts %s, %s, and",
		Packages: []string{"./internal/cli"},
		Run:      "TestExportStartsOnOneDay",
	},
})
