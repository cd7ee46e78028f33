package main

// nightsrerun24Mutations hold a small clinic's nights to the exports they
// read (a review: re-running a night counted its keys twice, and a small
// night of walk-ins that went on stopped when run again): a night is
// known by its export's digest, not counted with a run of the same
// export, and replaced by it in the nights kept.
var nightsrerun24Mutations = register([]mutation{
	{
		Name:     "nightsrerun24/same-export-counted-again",
		Why:      "a re-run of a small night (a retry after exit 3, a second cron run) would count its keys twice and stop where the first run went on",
		File:     "internal/pipeline/keynights.go",
		Old:      "\t\tif input != \"\" && earlier[i].Input == input {",
		New:      "\t\tif false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsNightRunAgainIsTheSameNight",
	},
	{
		Name:     "nightsrerun24/same-export-kept-again",
		Why:      "a re-run's night would be kept beside the first run's, and a new numbering's first night run again count twice on its second",
		File:     "internal/pipeline/keynights.go",
		Old:      "\t\tif this.Input != \"\" && w[i].Input == this.Input {",
		New:      "\t\tif false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsNightRunAgainIsTheSameNight",
	},
	{
		Name:     "nightsrerun24/gate-knows-no-export",
		Why:      "the stop would judge a re-run without knowing its export, and count the night it read before with it",
		File:     "internal/run/prepare.go",
		Old:      " InputSHA256: p.src.sha256,",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsNightRunAgainIsTheSameNight",
	},
	{
		Name:     "nightsrerun24/night-kept-without-export",
		Why:      "the nights would be kept with no export's digest, and a re-run never know the night it read before",
		File:     "internal/run/keyshape.go",
		Old:      "s.nights.Next(s.seen.Keys, input)",
		New:      "s.nights.Next(s.seen.Keys, \"\")",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsNightRunAgainIsTheSameNight",
	},
	{
		Name:     "nightsrerun24/digest-not-read-back",
		Why:      "the nights read from the ledger would lose their exports' digests, and the next run count a re-run twice",
		File:     "internal/pipeline/keynights.go",
		Old:      "\t\ts.Input = string(in)\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestANightIsKnownByItsExport",
	},
	{
		Name:     "nightsrerun24/digest-not-written",
		Why:      "the ledger's nights would carry no export's digest, and a re-run on the next run be counted twice",
		File:     "internal/pipeline/keynights.go",
		Old:      "\t\tif s.Input != \"\" {\n\t\t\tb = append(append(b, '@'), s.Input...)",
		New:      "\t\tif false {\n\t\t\tb = append(append(b, '@'), s.Input...)",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsNightRunAgainIsTheSameNight",
	},
	{
		Name:     "nightsrerun24/any-digest-read",
		Why:      "a damaged record's digest would be read as an export's, where the night should be read again from scratch",
		File:     "internal/pipeline/keynights.go",
		Old:      "\t\tif ok && !hexDigits(in) {",
		New:      "\t\tif ok && false {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestANightIsKnownByItsExport",
	},
})
