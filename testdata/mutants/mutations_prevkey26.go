package main

// prevkey26Mutations hold the previous secret (HASHGATE_PREVIOUS_SECRET):
// a rotated secret's withdrawals matched under both secrets, and moved to
// the new one as their patients reappear.
var prevkey26Mutations = register([]mutation{
	{
		Name:     "prevkey26/patient-not-looked-up-under-previous",
		Why:      "a withdrawn patient remembered under the old secret would be sent on the first night under the new one (the breach)",
		File:     "internal/pipeline/prevkey.go",
		Old:      "\tif r.prevIDs == nil {\n\t\treturn 0, false\n\t}\n\tpk := row.Get(export.PatientKey)\n",
		New:      "\tif r.prevIDs == nil || true {\n\t\treturn 0, false\n\t}\n\tpk := row.Get(export.PatientKey)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotatedSecretKeepsTheWithdrawalsWithThePreviousSecret",
	},
	{
		Name:     "prevkey26/never-rekeyed",
		Why:      "the memory would stay under the old secret: dropping HASHGATE_PREVIOUS_SECRET later would send every patient it alone matched",
		File:     "internal/run/prevsecret.go",
		Old:      "\tif p != nil && p.use && revoked != nil {\n",
		New:      "\tif p != nil && p.use && revoked == nil {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotatedSecretKeepsTheWithdrawalsWithThePreviousSecret",
	},
	{
		Name:     "prevkey26/stop-without-previous-unnamed",
		Why:      "the withdrawals' stop of a rotated secret would pass the previous secret by and stop anyway",
		File:     "internal/run/newids.go",
		Old:      "\t\tif prev.passes(was) {\n",
		New:      "\t\tif prev.passes(was) && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheWithdrawalsStopNamesThePreviousSecret",
	},
})
