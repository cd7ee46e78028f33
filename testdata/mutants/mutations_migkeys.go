package main

// migkeysMutations hold the guards of a practice-system change (a review):
// a withdrawn patient renumbered by the new system stays out by the email
// and phone their withdrawing row carried, and a new numbering stops the
// upload.
var migkeysMutations = register([]mutation{
	{
		Name:     "migkeys/identifiers-not-asked",
		Why:      "the withdrawal memory would know the chart number alone: a withdrawn patient renumbered by a new practice system (M70003 for 511) is sent again, exit 0",
		File:     "internal/pipeline/withdrawnids.go",
		Old:      "\tif r.priorIDs == nil || o.revokes {",
		New:      "\tif true || r.priorIDs == nil || o.revokes {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAWithdrawnPatientRenumberedStaysOut|TestASharedPhoneKeepsARelativeOut",
	},
	{
		Name:     "migkeys/identifiers-not-remembered",
		Why:      "a withdrawing row's email and phone would never reach the ledger, and nothing could withdraw the patient under a new key",
		File:     "internal/pipeline/withdrawnids.go",
		Old:      "\tif len(ids) == 0 {\n\t\treturn nil\n\t}\n\tif r.ids == nil {",
		New:      "\tif len(ids) >= 0 {\n\t\treturn nil\n\t}\n\tif r.ids == nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAWithdrawnPatientRenumberedStaysOut",
	},
	{
		Name:     "migkeys/identifier-not-keyed-by-field",
		Why:      "an email and a phone of the same text would share a digest; and the digest of an identifier would lose its domain",
		File:     "internal/eventid/eventid.go",
		Old:      "\td.mac1(revokedIdentifierDomain, field+\"\\x00\"+value)",
		New:      "\td.mac1(revokedDomain, value)",
		Packages: []string{"./internal/eventid"},
		Run:      "TestRevokedIdentifierIsTheInstallations",
	},
	{
		Name:     "migkeys/unrevoke-run-keeps-identifiers",
		Why:      "ledger unrevoke --run would forget a wrongly mapped run's patients but keep their identifiers, and keep them out",
		File:     "internal/ledger/revoked.go",
		Old:      "`DELETE FROM revoked_identifiers WHERE patient IN (SELECT digest FROM revoked_patients WHERE run_id = ?1)\n",
		New:      "`DELETE FROM revoked_identifiers WHERE 0 AND patient IN (SELECT digest FROM revoked_patients WHERE run_id = ?1)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnrevokeForgetsTheIdentifiersToo",
	},
	{
		Name:     "migkeys/unrevoke-patients-keeps-identifiers",
		Why:      "ledger unrevoke --patients would forget a patient who consented again but keep their identifiers, and keep them out",
		File:     "internal/ledger/revoked.go",
		Old:      "`DELETE FROM revoked_identifiers WHERE patient = ?`",
		New:      "`DELETE FROM revoked_identifiers WHERE patient = ? AND 0`",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnrevokeForgetsTheIdentifiersToo",
	},
	{
		Name:     "migkeys/key-shape-not-compared",
		Why:      "a new practice system's numbering would go on in silence, and its withdrawn patients whose rows carry no remembered identifier be sent",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\tif 2*g.changed <= total || 2*departing <= keyEvidence || 2*departing <= keys {",
		New:      "\tif true || 2*g.changed <= total || 2*departing <= keyEvidence || 2*departing <= keys {",
		Packages: []string{"./internal/cli"},
		Run:      "TestANewPatientKeyShapeStops",
	},
	{
		Name:     "migkeys/key-shape-growth-stops",
		Why:      "a numbering that grows a digit (999, then 1000), or unpadded chart numbers of several lengths, would stop the nightly upload",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\tif kind == 0 {\n\t\treturn false\n\t}",
		New:      "\tif kind < 0 {\n\t\treturn false\n\t}",
		Packages: []string{"./internal/cli"},
		Run:      "TestANewPatientKeyShapeStops|TestUnpaddedChartNumbersGoThrough",
	},
	{
		Name:     "migkeys/shape-stop-passed-unnamed",
		Why:      "a night --accept-new-ids passed the patient keys' shape stop would name another stop in accepted_stops",
		File:     "internal/pipeline/idshape.go",
		Old:      "{report.StopPatientKeyShape, cmp.Or(s.ids.keyShapeErr(), s.ids.keyRoundedErr())},",
		New:      "{report.StopOrderIDTimezone, cmp.Or(s.ids.keyShapeErr(), s.ids.keyRoundedErr())},",
		Packages: []string{"./internal/cli"},
		Run:      "TestANewPatientKeyShapeStops",
	},
})
