package main

// reviewMutations hold the findings of the reviews of write's files, the
// channel report's spend files and CI's check (2026-12-06, fifth session).
var reviewMutations = []mutation{
	{
		Name:     "identifier/surname-na-dropped",
		Why:      "the last names Na and No, and Norway's and Namibia's country codes, would be dropped as placeholders, uncounted",
		File:     "internal/identifier/cell.go",
		Old:      "return k != \"na\" && k != \"no\"",
		New:      "return k != \"\"",
		Packages: []string{"./internal/identifier"},
		Run:      "TestValues$",
	},
	{
		Name:     "check/revoked-event-ids-silent",
		Why:      "check on the demo key would say nothing of the event ids in the revocations file it cannot judge: CI green on rows the upload excludes",
		File:     "internal/run/check.go",
		Old:      "\t\t\tif eventid.Shaped(v) {",
		New:      "\t\t\tif false && eventid.Shaped(v) {",
		Packages: []string{"./internal/cli"},
		Run:      "TestCheckSaysItCannotJudgeRevokedEventIDs",
	},
}
