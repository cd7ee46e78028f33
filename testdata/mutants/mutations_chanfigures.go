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
	{
		Name:     "channels/export-gap-unmarked",
		Why:      "a cost per new patient or ROAS over a span the export covers in part would print unmarked: spend of days without appointment data divided by the other days' patients",
		File:     "internal/channels/assemble.go",
		Old:      "exportGap := tb.ExportDaysMissing > 0",
		New:      "exportGap := false",
		Packages: []string{"./internal/channels"},
		Run:      "TestSpendOutsideTheExportChangesNoUnmarkedRatio",
	},
	{
		Name:     "channels/export-uncovered-prints-zero",
		Why:      "a month the export does not cover would print 0 bookings and 0 new patients beside its spend again, not no data",
		File:     "internal/channels/assemble.go",
		Old:      "noExport := int32(tb.ExportDaysMissing) == s.to-s.from+1",
		New:      "noExport := int32(tb.ExportDaysMissing) < 0",
		Packages: []string{"./internal/channels"},
		Run:      "TestDaysTheExportDoesNotCover",
	},
	{
		Name:     "channels/export-missing-after-as-of",
		Why:      "days on or after --as-of, whose appointments have not happened, would count as days the export does not cover",
		File:     "internal/channels/exportcover.go",
		Old:      "\t\tend = min(end, t.asOf-1)",
		New:      "\t\tend = min(end, end)",
		Packages: []string{"./internal/channels"},
		Run:      "TestDaysTheExportDoesNotCover",
	},
	{
		Name:     "channels/blank-fees-revenue-zero",
		Why:      "visits none of which had a readable fee would print revenue 0 and ROAS 0.00x as facts again, not no_values",
		File:     "internal/channels/assemble.go",
		Old:      "case s.valued == 0 && v[Visits].State == Shown && v[Visits].V > 0:",
		New:      "case false && s.valued == 0 && v[Visits].State == Shown && v[Visits].V > 0:",
		Packages: []string{"./internal/channels"},
		Run:      "TestFiguresNotKnownAreNotZero",
	},
	{
		Name:     "channels/zero-fee-not-a-value",
		Why:      "a visit whose fee reads 0 would count as one without a value, and a span of free check-ups print no_values",
		File:     "internal/channels/rows.go",
		Old:      "\t\t\t\tc.valued++\n",
		New:      "\t\t\t\tc.valued += float64(r.value) / max(float64(r.value), 1)\n",
		Packages: []string{"./internal/channels"},
		Run:      "TestFiguresNotKnownAreNotZero",
	},
	{
		Name:     "channels/not-yet-prints-zero",
		Why:      "a window wholly on or after --as-of would print 0 new patients and ROAS 0.00x against its spend again, with every booking still to come",
		File:     "internal/channels/assemble.go",
		Old:      "o.notYet = asOfSet && s.from >= t.asOf",
		New:      "o.notYet = asOfSet && s.from > t.asOf+100000",
		Packages: []string{"./internal/channels"},
		Run:      "TestFiguresNotKnownAreNotZero",
	},
	{
		Name:     "channels/no-spend-at-all-no-gap",
		Why:      "a report without any --spend would again list no platform without spend while counting every day of the window as missing",
		File:     "internal/channels/spenddata.go",
		Old:      "\tout := []SpendGap{}\n\tfor _, p := range platform.All {",
		New:      "\tout := []SpendGap{}\n\tif !d.any() {\n\t\treturn out\n\t}\n\tfor _, p := range platform.All {",
		Packages: []string{"./internal/channels"},
		Run:      "TestNoSpendAtAllIsNoSpendData",
	},
	{
		Name:     "channels/no-spend-at-all-not-computed-empty",
		Why:      "without any --spend, the paid channels' spend and costs would be null with no reason in not_computed",
		File:     "internal/channels/assemble.go",
		Old:      "return (r >= t.nch && len(paidRows) > 0 || adPlatforms[r] != 0) && !spendKnown(r, c)",
		New:      "return data.any() && (r >= t.nch && len(paidRows) > 0 || adPlatforms[r] != 0) && !spendKnown(r, c)",
		Packages: []string{"./internal/channels"},
		Run:      "TestNoSpendAtAllIsNoSpendData",
	},
})
