package main

// consentdriftMutations hold the review of the consent columns' drift
// check: it halted ordinary nights (a 1/0 column refusing, a blank-means-no
// column on a new setup, a tiny night, Meta's own column nobody agreed to).
var consentdriftMutations = register([]mutation{
	{
		Name:     "consentdrift/zero-not-a-refusal",
		Why:      "a night whose rows all say 0 under consent.granted [\"1\"] would stop (exit 2): every patient refusing made a fault",
		File:     "internal/consent/consent.go",
		Old:      `map[string]string{"0": "1",`,
		New:      `map[string]string{"0": "0",`,
		Packages: []string{"./internal/cli"},
		Run:      "TestOneZeroConsentColumnRefusing",
	},
	{
		Name:     "consentdrift/stops-where-it-never-worked",
		Why:      "a blank-means-no column on a new setup would stop every night, with no way out",
		File:     "internal/pipeline/consentwords.go",
		Old:      "\t\tworked := d.hasWorked(j)\n",
		New:      "\t\tworked := true\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConsentDriftOnlyWhereItWorked",
	},
	{
		Name:     "consentdrift/no-minimum",
		Why:      "one unconsented visit would stop a tiny night",
		File:     "internal/pipeline/consentwords.go",
		Old:      "t.rows < consentMinRows",
		New:      "t.rows < 1",
		Packages: []string{"./internal/cli"},
		Run:      "TestConsentDriftOnlyWhereItWorked",
	},
	{
		Name:     "consentdrift/any-destination-worked",
		Why:      "Meta's own consent column, all blank because nobody agreed to Meta yet, would stop Google's upload once Google had delivered",
		File:     "internal/pipeline/consentwords.go",
		Old:      "return slices.ContainsFunc(d.gates[j], d.worked)",
		New:      "return slices.ContainsFunc(platform.All, d.worked)",
		Packages: []string{"./internal/cli"},
		Run:      "TestOwnConsentColumnNobodyAgreedTo",
	},
	{
		Name:     "consentdrift/dry-run-stops",
		Why:      "a dry run, which asks no ledger, would stop where it should warn",
		File:     "internal/pipeline/consentwords.go",
		Old:      "\tif d.worked == nil {\n\t\treturn false\n",
		New:      "\tif d.worked == nil {\n\t\treturn true\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedConsentWordsStop",
	},
	{
		Name:     "consentdrift/accept-new-ids-stopped",
		Why:      "--accept-new-ids, the way the message names past the stop, would not pass it",
		File:     "internal/pipeline/idshape.go",
		Old:      "\t\tcase s.accept == nil:\n",
		New:      "\t\tcase s.accept == nil || v.stop == report.StopConsentWords:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedConsentWordsStop",
	},
	{
		Name:     "consentdrift/worked-ledger-ignored",
		Why:      "a consent column whose words changed where it worked before would pass, exit 0",
		File:     "internal/ledger/newids.go",
		Old:      "\t_, ok := f.net.newest[p]\n\treturn ok\n",
		New:      "\t_, ok := f.net.newest[p]\n\treturn ok && false\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChangedConsentWordsStop",
	},
})
