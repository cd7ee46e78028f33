package main

// docfix19Mutations hold the fixes of the reviews of the session's own
// diff (2026-12-06, seventh session).
var docfix19Mutations = register([]mutation{
	{
		Name:     "revocations/composite-spaces-refused",
		Why:      "a revocations file listing a composite order id (its time part holds a space) would stop every night after the upgrade, and deleting the line would drop the withdrawal",
		File:     "internal/consent/revocations.go",
		Old:      "composite := strings.ContainsRune(v, '|')",
		New:      "composite := false",
		Packages: []string{"./internal/consent"},
		Run:      "TestCompositeIDsKeepTheirSpaces",
	},
	{
		Name:     "eventid/prefix-of-the-tail",
		Why:      "the prefix an upload keeps of a withdrawn row would be another part of its id: the ledger asked for ids no platform holds, and visits withdrawn after they were sent went unreported",
		File:     "internal/eventid/prefix.go",
		Old:      "return lowerhex.Uint64(string(id))",
		New:      "return lowerhex.Uint64(string(id[16:]))",
		Packages: []string{"./internal/eventid"},
		Run:      "TestPrefixIsTheFirstEightBytes",
	},
})
