package main

// resave24Mutations hold the stop at long order ids a spreadsheet rounded
// to 15 significant digits (internal/pipeline/rounded.go).
var resave24Mutations = register([]mutation{
	{
		Name:     "pipeline/rounded-ids-never-stop",
		Why:      "20 visits whose 18-digit ids a re-save rounded into one would be 1 conversion and 19 duplicate_order again, exit 0",
		File:     "internal/pipeline/rounded.go",
		Old:      "\tif g.evidence < roundedEvidence {\n",
		New:      "\tif g.evidence < roundedEvidence || true {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRoundedOrderIDsStop",
	},
	{
		Name:     "pipeline/rounded-ids-duplicate-row-weighs",
		Why:      "a genuine id ending in 000 whose moved visit is listed twice, or a plain duplicate row, would stop a night: one in a thousand 18-digit ids",
		File:     "internal/pipeline/rounded.go",
		Old:      "\t\tif seen == n.visit {\n",
		New:      "\t\tif seen == n.visit && false {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRoundedOrderIDByChance",
	},
	{
		Name:     "run/encoding-to-set-exits-1",
		Why:      "an export whose encoding cannot be decided (a WPS re-save to GBK or Big5) would exit 1, a failure, where a setting mends it before anything is sent: exit 2",
		File:     "internal/run/exit.go",
		Old:      "\tcase errors.As(err, &xe) && xe.Setting != \"\":\n",
		New:      "\tcase errors.As(err, &xe) && xe.Setting == \"never\":\n",
		Packages: []string{"./internal/run"},
		Run:      "TestEncodingToSetIsAUsageExit",
	},
	{
		Name:     "channels/decimal-comma-cell-not-named",
		Why:      "fees re-saved as 1.200,00 under input.decimal_comma off would leave every revenue null with no cell and no setting named",
		File:     "internal/channels/rows.go",
		Old:      "} else if t.stats.DecimalCommaAt == \"\" && !t.cfg.Input.DecimalComma && money.DecimalCommaShape(row.Get(export.Value)) {",
		New:      "} else if t.stats.DecimalCommaAt == \"\" && !t.cfg.Input.DecimalComma && money.DecimalCommaShape(row.Get(export.Value)) && false {",
		Packages: []string{"./internal/channels"},
		Run:      "TestDecimalCommaFeesNameTheCell",
	},
})
