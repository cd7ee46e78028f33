package main

// erasefold25Mutations hold `ledger erase --export` to the rows `ledger
// find` answers with: the patient key as written, not the withdrawal
// memory's fold, for erasing chart 123's entries when 0123 asked cannot
// be undone.
var erasefold25Mutations = register([]mutation{
	{
		Name:     "erasefold25/erase-picks-by-fold",
		Why:      "erase --export would erase the events of rows whose key matches only when case or leading zeros are ignored: another patient's record of what was sent, lost for good",
		File:     "internal/run/erase.go",
		Old:      "\tm := newPatientRows(req.Folded)\n",
		New:      "\tm := newPatientRows(true)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseByExportErasesOnlyTheKeyAsWritten",
	},
	{
		Name:     "erasefold25/folded-rows-unnamed",
		Why:      "erase would keep another patient's events without saying which rows it left for the officer to check",
		File:     "internal/run/erase.go",
		Old:      "out.Matched, out.Rows, out.FoldedOnly, moves = len(m.found), len(f.Rows), f.FoldedOnly, f.moves",
		New:      "out.Matched, out.Rows, moves = len(m.found), len(f.Rows), f.moves",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseByExportErasesOnlyTheKeyAsWritten",
	},
})
