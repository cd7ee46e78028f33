package main

// find26Mutations hold the privacy officer's ledger commands (session 26):
// `ledger find`'s count of other charts' events carrying her e-mail or
// phone, capped per identifier; `ledger unrevoke` leaving what an erasure
// keeps.
var find26Mutations = register([]mutation{
	{
		Name:     "find26/cap-all-identifiers-together",
		Why:      "a placeholder e-mail on 60 charts would leave every identifier of hers uncounted: her real phone on her son's chart unsaid in her access request",
		File:     "internal/run/findshared.go",
		Old:      "\t\t\t\tc.others[h] = nil\n",
		New:      "\t\t\t\tfor k := range c.others {\n\t\t\t\t\tc.others[k] = nil\n\t\t\t\t}\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCapsEachIdentifierOnItsOwn",
	},
	{
		Name:     "find26/many-not-named",
		Why:      "--json would say nothing of the placeholder e-mail left uncounted: carried_by_others_many [] read as no identifier of hers on many charts",
		File:     "internal/run/findshared.go",
		Old:      "\t\tf.CarriedMany = append(f.CarriedMany, CarriedMany{",
		New:      "\t\t_ = append(f.CarriedMany, CarriedMany{",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindCapsEachIdentifierOnItsOwn",
	},
	{
		Name:     "find26/unrevoke-forgets-erasure",
		Why:      "ledger unrevoke --patients 84731 would forget the erasure kept for chart 0084731 (one folded digest), and the next upload send her later visit ticked yes",
		File:     "internal/ledger/revoked.go",
		Old:      "\t\t\tif err != nil || keepErased {\n",
		New:      "\t\t\tif err != nil {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnrevokeKeepsAnErasureUnlessErased",
	},
	{
		Name:     "find26/unrevoke-run-forgets-erasure-identifiers",
		Why:      "ledger unrevoke --run would forget the e-mail and phone an erasure keeps, and her renumbered chart be sent",
		File:     "internal/ledger/revoked.go",
		Old:      "patient IN (SELECT digest FROM revoked_patients WHERE run_id = ?1)",
		New:      "patient IN (SELECT digest FROM revoked_patients WHERE run_id IN (?1, 'erasure'))",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnrevokeRunKeepsAnErasuresIdentifiers",
	},
	{
		Name:     "find26/small-count-shown",
		Why:      "ledger find would tell the patient who asked that whoever's chart carries her phone visited twice: another patient's small count, unwithheld",
		File:     "internal/run/findshared.go",
		Old:      "\t\tif c[i].Sent > 0 && c[i].Sent < minCell {\n",
		New:      "\t\tif c[i].Sent > 0 && c[i].Sent < 1 {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLedgerFindWithholdsSmallCarriedCounts",
	},
	{
		Name:     "find26/zero-withheld",
		Why:      "a count of 0 would be said \"fewer than 5\": read as some of her data sent with others' events when none was",
		File:     "internal/run/findshared.go",
		Old:      "\t\tif c[i].Sent > 0 && c[i].Sent < minCell {\n",
		New:      "\t\tif c[i].Sent >= 0 && c[i].Sent < minCell {\n",
		Packages: []string{"./internal/run"},
		Run:      "TestWithholdSmall",
	},
})
