package main

// rounded24Mutations hold the night-to-night check of long ids a
// spreadsheet rounded apart (internal/pipeline/roundshape.go): tonight's
// rounded ids against the kept full ones and the reverse, the chance a
// genuine id ends in zeros, and the counts the ledger keeps.
var rounded24Mutations = register([]mutation{
	{
		Name:     "rounded24/no-verdict",
		Why:      "ids rounded apart would be sent again under other ids, exit 0, on a night too small for the safety net",
		File:     "internal/pipeline/idshape.go",
		Old:      "\t\t{report.StopOrderIDRounded, s.ids.roundedErr()},\n",
		New:      "\t\t{report.StopOrderIDRounded, nil},\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestRoundedApartIDsStopTheUpload",
	},
	{
		Name:     "rounded24/reverse-unjudged",
		Why:      "a night from the clinic's file after one sent from a re-saved copy would send every visit again",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\t\tif now.fullOver(was) {",
		New:      "\t\tif now.fullOver(was) && false {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRoundedApartStops",
	},
	{
		Name:     "rounded24/chance-of-which-ignored",
		Why:      "two of three genuine 18-digit ids ending in 000 would stop a clinic's ordinary night",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\treturn 2*k > n && weight-log10Choose(n, k) >= roundedEvidence",
		New:      "\treturn 2*k > n && weight >= roundedEvidence",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestGenuineIDsEndingInZerosGoThrough",
	},
	{
		Name:     "rounded24/most-not-required",
		Why:      "a night whose genuine ids end in 000 by chance, a minority of them, would stop",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\treturn 2*k > n && weight-log10Choose(n, k) >= roundedEvidence",
		New:      "\treturn weight-log10Choose(n, k) >= roundedEvidence",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestGenuineIDsEndingInZerosGoThrough",
	},
	{
		Name:     "rounded24/counts-never-kept",
		Why:      "the ledger would keep no long ids' counts, and the next night never be compared",
		File:     "internal/run/newids.go",
		Old:      "\treturn led.SetRounding(ctx, ledger.OrderIDRounding, s.keyDests, s.cols, string(long), string(by))",
		New:      "\treturn led.SetRounding(ctx, ledger.OrderIDRounding, s.keyDests, s.cols, string(long[:0]), string(by))",
		Packages: []string{"./internal/cli"},
		Run:      "TestRoundedApartIDsStopTheUpload",
	},
	{
		Name:     "rounded24/keys-unjudged",
		Why:      "patient keys a spreadsheet rounded would no longer match the withdrawals remembered under the full ones, and withdrawn patients be sent",
		File:     "internal/pipeline/idshape.go",
		Old:      "cmp.Or(s.ids.keyShapeErr(), s.ids.keyRoundedErr())",
		New:      "cmp.Or(s.ids.keyShapeErr(), nil)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRoundedPatientKeysStop",
	},
	{
		Name:     "rounded24/key-counts-never-read",
		Why:      "the kept long patient keys' counts would never be read, and a night of rounded keys never compared",
		File:     "internal/run/keyshape.go",
		Old:      "\t} else if v != \"\" {",
		New:      "\t} else if v == \"\\x00\" {",
		Packages: []string{"./internal/cli"},
		Run:      "TestRoundedApartIDsStopTheUpload",
	},
})
