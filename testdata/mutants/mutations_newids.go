package main

// newidsMutations: --accept-new-ids says, each night it is given, which of
// its six stops it passed, or that it passed nothing and belongs out of
// the nightly job (internal/run/acceptnewids.go).
var newidsMutations = register([]mutation{
	{
		Name:     "newids/passed-stops-unsaid",
		Why:      "a night the flag passed a real stop would say it passed nothing, or nothing at all: a cron job's flag passing a changed secret's every visit unseen",
		File:     "internal/run/acceptnewids.go",
		Old:      "\tcase len(stops) > 0:\n",
		New:      "\tcase len(stops) < 0:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsNamesTheStopsItPassed",
	},
	{
		Name:     "newids/idle-flag-unsaid",
		Why:      "--accept-new-ids left in a nightly job would pass all six stops on later nights with nothing said on the nights before",
		File:     "internal/run/acceptnewids.go",
		Old:      "\tcase complete:\n",
		New:      "\tcase false:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsThatPassedNothingSaysSo",
	},
	{
		Name:     "newids/net-verdict-dropped",
		Why:      "the safety net's stop, judged and passed under the flag, would go unnamed: the night would say the flag passed nothing",
		File:     "internal/ledger/newids.go",
		Old:      "\t\t\tn.passed = append(n.passed, ne)\n",
		New:      "\t\t\t_ = ne\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsNamesTheStopsItPassed",
	},
	{
		Name:     "newids/report-key-absent",
		Why:      "a monitor reading the run report (--report, --json) would not see what the flag passed, nor that it was left on",
		File:     "internal/run/acceptnewids.go",
		Old:      "\tsum.AcceptedStops = stops\n",
		New:      "\tsum.AcceptedStops = nil\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsNamesTheStopsItPassed|TestAcceptNewIDsThatPassedNothingSaysSo",
	},
	{
		Name:     "newids/secret-pass-unnoted",
		Why:      "a night under a changed secret, passed with the flag, would not name the secret's fingerprint among the stops it passed",
		File:     "internal/run/eventkey.go",
		Old:      "\t\tif !acc.pass(report.StopSecretFingerprint) {\n",
		New:      "\t\tif !(acc != nil && acc.asked) && report.StopSecretFingerprint != \"\" {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsNamesTheStopsItPassed",
	},
	{
		Name:     "newids/pipeline-stops-misnamed",
		Why:      "the order ids' zeros and zone, passed under the flag, would be named as the consent words: the person checks the wrong cause",
		File:     "internal/pipeline/idshape.go",
		Old:      "\t\t\ts.accept(v.stop)\n",
		New:      "\t\t\ts.accept(report.StopConsentWords)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestTrimmedLeadingZerosStop|TestAChangedZoneStopsCompositeIDs",
	},
	{
		Name:     "newids/dry-run-flag-unsaid",
		Why:      "a dry-run given the flag would say nothing of it, and a person would take its silence for the upload's verdict",
		File:     "internal/run/acceptnewids.go",
		Old:      "\tif r.AcceptNewIDs {\n\t\tenv.Logger.Warn(\"--accept-new-ids does nothing",
		New:      "\tif false {\n\t\tenv.Logger.Warn(\"--accept-new-ids does nothing",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptNewIDsThatPassedNothingSaysSo",
	},
})
