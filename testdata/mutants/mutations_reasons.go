package main

// reasonsMutations hold the rules that make the summary say each
// destination's own reason for the rows it left out, and the column a
// dropped identifier was read from.
var reasonsMutations = register([]mutation{
	{
		Name:     "reasons/first-destination-reason-for-all",
		Why:      "a row Google leaves out as no_click_id and Meta as weak_identifiers would be counted no_click_id for Meta too: an analyst who fixed Google's mapping would still send Meta nothing and not know why",
		File:     "internal/pipeline/rowtally.go",
		Old:      "\tif !own {\n\t\treturn // the row's reason is every destination's: leaveOutTheRest",
		New:      "\tif true {\n\t\treturn // the row's reason is every destination's: leaveOutTheRest",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestEachDestinationsOwnReasonIsCounted",
	},
	{
		Name:     "reasons/check-judges-the-first-destinations-reason",
		Why:      "hashgate check would judge a fixture's Meta expectation by Google's reason (no_click_id for weak_identifiers): CI red on a right config, or green on a wrong one",
		File:     "internal/pipeline/reasons.go",
		Old:      "if reason == \"\" || ownReasons(reason, skips) {",
		New:      "if reason == \"\" {",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
	},
	{
		Name:     "reasons/not-sent-rows-not-left-out",
		Why:      "the rows Google sent and Meta did not would be missing from Meta's own count: left_out_of would not add up to excluded plus not_sent_to",
		File:     "internal/report/report.go",
		Old:      "\tcountSkip(s.Skipped, platform, reason)\n\ts.LeaveOut(platform, reason)\n",
		New:      "\tcountSkip(s.Skipped, platform, reason)\n",
		Packages: []string{"./internal/pipeline", "./internal/report"},
		Run:      "TestEachDestinationsOwnReasonIsCounted|TestSkipIsLeftOutOfThatDestination",
	},
	{
		Name:     "reasons/left-out-never-printed",
		Why:      "the terminal summary would never say Meta's own reasons: only the run report would",
		File:     "internal/report/report.go",
		Old:      "\ts.writeLeftOut(&b)\n",
		New:      "\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestEachDestinationsOwnReasonIsCounted",
	},
	{
		Name:     "reasons/left-out-printed-when-agreeing",
		Why:      "every nightly summary would repeat each destination's reasons though nothing differs: the summary is no longer quiet",
		File:     "internal/report/leftout.go",
		Old:      "\t\tif own[r] != want[r] {",
		New:      "\t\tif own[r] != want[r] || own[r] > 0 {",
		Packages: []string{"./internal/report"},
		Run:      "TestLeftOutIsQuietWhenDestinationsAgree",
	},
	{
		Name:     "reasons/dropped-column-first-header",
		Why:      "a bad value in the second email or phone column would be blamed on the first: the analyst fixes the wrong column",
		File:     "internal/pipeline/shape.go",
		Old:      "header := fc.headers[r.valCol[n]]",
		New:      "header := fc.headers[r.valCol[n]*0]",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestDroppedIdentifiersNameTheirColumn",
	},
	{
		Name:     "reasons/dropped-column-not-printed",
		Why:      "the summary's identifiers-dropped lines would name the field and reason but not the column to fix",
		File:     "internal/report/leftout.go",
		Old:      "if cols := s.DroppedColumns[k]; len(cols) > 0 {",
		New:      "if cols := s.DroppedColumns[k]; len(cols) > 99 {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestDroppedIdentifiersNameTheirColumn",
	},
})
