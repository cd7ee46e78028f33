package main

// chanmarksMutations hold the mends of the channel report's marks and notes
// (session of 2026-12-06, branch chanmarks): a figure over part of its
// span marked in the page's charts as in its table, the CSV carrying the
// notes and definitions the terminal and the page print, the export's gap
// note naming only what it marks, and the range an export declares.
var chanmarksMutations = register([]mutation{
	{
		Name:     "channelreport/chart-partial-drawn-whole",
		Why:      "a CAC of part of its span's spend would be drawn as a filled bar like a whole one, unmarked on the page's chart while the table marks it †",
		File:     "internal/channelreport/charts.go",
		Old:      "\t\t\t\tif s.isPartial(j) {\n\t\t\t\t\thollow.bars",
		New:      "\t\t\t\tif false && s.isPartial(j) {\n\t\t\t\t\thollow.bars",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestChartsMarkPartialFigures",
	},
	{
		Name:     "channelreport/chart-partial-no-legend",
		Why:      "a chart would draw a hollow, dashed bar under † with nothing beside it saying what that means",
		File:     "internal/channelreport/html.go",
		Old:      "\tif !anyPartial(ss...) {\n\t\treturn nil",
		New:      "\tif true || !anyPartial(ss...) {\n\t\treturn nil",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestChartsMarkPartialFigures",
	},
	{
		Name:     "channelreport/export-gap-names-unmarked",
		Why:      "the note on days the export does not cover would name costs the table does not mark — on a report without spend, costs that are not there",
		File:     "internal/channelreport/format.go",
		Old:      "if l.Values[m].State == channels.Shown && partial(l, m) && !(i == len(lines)-1 && blended(m)) {",
		New:      "if l.Values[m].State == channels.Shown || true {",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestExportGapNoteNamesOnlyMarkedFigures",
	},
	{
		Name:     "channelreport/csv-without-definitions",
		Why:      "the CSV would again carry no definition of its ratios, which the terminal and the page print",
		File:     "internal/channelreport/data.go",
		Old:      "for _, d := range csvDefinitions(r) {",
		New:      "for _, d := range csvDefinitions(r)[:0] {",
		Packages: []string{"./internal/channelreport"},
		Run:      "TestCSVCarriesNotesAndDefinitions",
	},
	{
		Name:     "channelreport/csv-without-unmatched-words",
		Why:      "the source words no channel lists would reach the CSV nowhere, seen in the terminal and on the page only",
		File:     "internal/channelreport/data.go",
		Old:      `level == "window" && l.Name == config.Unattributed`,
		New:      `level == "period" && l.Name == config.Unattributed`,
		Packages: []string{"./internal/channelreport"},
		Run:      "TestCSVCarriesNotesAndDefinitions",
	},
	{
		Name:     "channels/declared-range-ignored",
		Why:      "an export of November whose first day the clinic was closed would again read as not covering it, every cost of the month marked † and the headline withheld, though it declares its range",
		File:     "internal/channels/exportcover.go",
		Old:      "if t.declaredOK && (!dated || obs.from >= t.declared.from && obs.to <= t.declared.to) {",
		New:      "if false && t.declaredOK && (!dated || obs.from >= t.declared.from && obs.to <= t.declared.to) {",
		Packages: []string{"./internal/channels"},
		Run:      "TestAClosedFirstDayTheExportDeclares",
	},
	{
		Name:     "channels/declared-range-contradicted-taken",
		Why:      "a range its rows contradict (of booking dates, say) would be taken as the export's, and days it names without a row printed as zero appointments rather than no data",
		File:     "internal/channels/exportcover.go",
		Old:      "(!dated || obs.from >= t.declared.from && obs.to <= t.declared.to)",
		New:      "(!dated || obs.to <= t.declared.to)",
		Packages: []string{"./internal/channels"},
		Run:      "TestAClosedFirstDayTheExportDeclares",
	},
})
