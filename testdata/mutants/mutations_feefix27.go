package main

// feefix27Mutations hold the day's diff review of the fee grouping: a
// plain space between digits in a dot-decimal export is as likely two
// fees typed in one cell as one amount grouped.
var feefix27Mutations = register([]mutation{
	{
		Name:     "feefix27/plain-space-groups",
		Why:      "\"500 800\" in a Taiwanese export would be sent as 500,800, exit 0",
		File:     "internal/money/money.go",
		Old:      "if sep == \" \" && !hardSpaces && !decimalComma {",
		New:      "if false {",
		Packages: []string{"./internal/money", "./internal/cli"},
		Run:      "TestGroupingSeparators|TestAPlainSpaceIsNoGroupingInADotDecimalExport",
	},
	{
		Name:     "feefix27/no-hard-spaces",
		Why:      "fees a French or Swedish spreadsheet grouped with a no-break space would go without a value",
		File:     "internal/money/grouping.go",
		Old:      "return strings.ContainsAny(s, \"\\u00a0\\u202f\\u2007\")",
		New:      "return false",
		Packages: []string{"./internal/money"},
		Run:      "TestGroupingSeparators",
	},
	{
		Name:     "feefix27/plain-space-under-decimal-comma",
		Why:      "fr's \"1 234,50\" with a plain space, as glibc writes it, would go without a value under input.decimal_comma",
		File:     "internal/money/money.go",
		Old:      "if sep == \" \" && !hardSpaces && !decimalComma {",
		New:      "if sep == \" \" && !hardSpaces {",
		Packages: []string{"./internal/money"},
		Run:      "TestGroupingSeparators",
	},
	{
		Name:     "feefix27/advice-decimal-comma",
		Why:      "the fee stop would tell a Taiwanese clinic whose cell held two fees to set input.decimal_comma: true, misreading every 1.500",
		File:     "internal/money/money.go",
		Old:      "\tif !decimalComma && !hardSpaces(s) && !strings.ContainsAny(s, \".,\") && strings.Contains(strings.TrimSpace(s), \" \") {",
		New:      "\tif false {",
		Packages: []string{"./internal/money"},
		Run:      "TestAPlainSpaceAdvisesNoDecimalComma",
	},
})
