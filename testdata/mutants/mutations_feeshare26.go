package main

// feeshare26Mutations hold the fee column's structural stop
// (input.max_unreadable_value_share): an export re-saved with its fees
// written "1 200" or "1'200" made every visit value_not_a_number, exit
// 0, and Google received every visit without a value (a metamorphic
// review, 2026-12-07).
var feeshare26Mutations = register([]mutation{
	{
		Name:     "feeshare26/never-judged",
		Why:      "a fee column that no longer reads would send every visit to Google without a value, exit 0",
		File:     "internal/pipeline/valuefit.go",
		Old:      "\treturn s.fees.Err(s.feesEffect, \"nothing was sent\")\n",
		New:      "\treturn nil\n",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestAFeeColumnThatNoLongerReadsStops",
	},
	{
		Name:     "feeshare26/words-counted",
		Why:      "健保 or N/A written for no fee would count as unreadable numbers, and a Taiwanese export writing them on most rows would stop every night",
		File:     "internal/pipeline/valuefit.go",
		Old:      "\tif !c.number {\n\t\treturn\n\t}\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFeeCellsThatDoNotStop",
	},
	{
		Name:     "feeshare26/read-fees-not-in-base",
		Why:      "fees that read would not dilute the share, and one unreadable cell in ten would stop the run",
		File:     "internal/pipeline/value.go",
		Old:      "\t\tsum.feeRead = true\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFeeCellsThatDoNotStop",
	},
	{
		Name:     "feeshare26/no-minimum",
		Why:      "two hand-typed fees in a two-row export would stop the nightly run",
		File:     "internal/pipeline/valuefit.go",
		Old:      "const minValueMisfit = 3",
		New:      "const minValueMisfit = 1",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFeeCellsThatDoNotStop",
	},
	{
		Name:     "feeshare26/share-ignored",
		Why:      "input.max_unreadable_value_share would be ignored, and a clinic that set it could not go on",
		File:     "internal/pipeline/valuefit.go",
		Old:      "\tshare := cfg.Input.MaxUnreadableValueShare\n",
		New:      "\tshare := 0.0\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFeeCellsThatDoNotStop",
	},
	{
		Name:     "feeshare26/decimal-comma-unnamed",
		Why:      "fees written 1.234,50 would stop naming the column, not the input.decimal_comma that reads them",
		File:     "internal/pipeline/valuefit.go",
		Old:      "\t\tkey = \"input.decimal_comma\"\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAFeeStopNamesTheDecimalComma",
	},
	{
		Name:     "feeshare26/share-unvalidated",
		Why:      "a share above 1 or below 0 would be accepted silently",
		File:     "internal/config/validate.go",
		Old:      "if in.MaxUnreadableValueShare < 0 || in.MaxUnreadableValueShare > 1 {",
		New:      "if false {",
		Packages: []string{"./internal/config"},
		Run:      "TestValidateInput",
	},
})
