package main

// spend24Mutations hold the spend sheets a Taiwanese or European clinic
// really has: "$1,200" in a TWD sheet is NT dollars, S$/A$/C$/NZ$ name
// their dollar, and a download is read in its own number format.
var spend24Mutations = register([]mutation{
	{
		Name:     "spend24/bare-dollar-usd-only",
		Why:      "a TWD clinic's hand-kept \"$1,200\" would stop channels again, the bare $ refused outside US dollars",
		File:     "internal/spend/amount.go",
		Old:      "\tvar v float64\n\tswitch {\n",
		New:      "\tif currency != \"USD\" && strings.HasPrefix(s, \"$\") {\n\t\treturn &markError{dollar: true}\n\t}\n\tvar v float64\n\tswitch {\n",
		Packages: []string{"./internal/spend"},
		Run:      "TestBareDollarIsTheRowsDollar",
	},
	{
		Name:     "spend24/mixed-number-formats-summed",
		Why:      "a file joined from an English and a German download would be summed, each cell in whichever format reads it",
		File:     "internal/spend/amount.go",
		Old:      "if nf.decided && nf.comma != comma {",
		New:      "if false && nf.decided && nf.comma != comma {",
		Packages: []string{"./internal/spend"},
		Run:      "TestSpendNumberFormatIsTheDownloads",
	},
	{
		Name:     "spend24/decimal-comma-download-refused",
		Why:      "a European clinic's download written 1.234,50 would stop the report as not a number",
		File:     "internal/spend/amount.go",
		Old:      "\tcase errp == nil || errc == nil:\n",
		New:      "\tcase errp == nil:\n",
		Packages: []string{"./internal/spend"},
		Run:      "TestSpendNumberFormatIsTheDownloads",
	},
	{
		Name:     "spend24/other-dollar-marks-unread",
		Why:      "S$1,200 would be \"not a number\" again, and in a TWD row not said to be Singapore dollars",
		File:     "internal/money/money.go",
		Old:      `{"S$", sgd}, `,
		New:      ``,
		Packages: []string{"./internal/money"},
		Run:      "TestParseInRefusesAnotherCurrency",
	},
	{
		Name:     "spend24/zero-group-read",
		Why:      "under a decimal comma an English \"0.500\" would be read as 500, a thousand times the amount",
		File:     "internal/money/money.go",
		Old:      `if j := strings.IndexByte(whole, '.'); j == 0 || j > 0 && strings.TrimLeft(whole[:j], "0") == "" {`,
		New:      `if j := strings.IndexByte(whole, '.'); false && (j == 0 || j > 0 && strings.TrimLeft(whole[:j], "0") == "") {`,
		Packages: []string{"./internal/money"},
		Run:      "TestDecimalCommaRefusesEnglishCells",
	},
	{
		Name:     "spend24/zh-tw-cost-header-unknown",
		Why:      "a zh-TW Ads Manager export's 花費金額 (TWD) would be \"no cost column\" again, its currency unread",
		File:     "internal/platform/spec.go",
		Old:      `CostPrefixes: []string{"Amount spent", "花費金額"},`,
		New:      `CostPrefixes: []string{"Amount spent"},`,
		Packages: []string{"./internal/spend"},
		Run:      "TestMetaZhTWExportCarriesItsCurrency",
	},
})
