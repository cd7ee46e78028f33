package main

// rowvisitMutations hold the summary of a config that declares every row
// a visit (conversion.every_row_is_a_visit): it said "no status column …
// no-shows and cancellations included" every night over an arrivals list.
var rowvisitMutations = register([]mutation{
	{
		Name:     "rowvisit/declaration-not-carried",
		Why:      "the summary would warn of no-shows included over a config that declared an arrivals list",
		File:     "internal/run/upload.go",
		Old:      "sum.EveryRowDeclared = sum.EveryRowCounts && cfg.Conversion.EveryRowIsAVisit",
		New:      "sum.EveryRowDeclared = sum.EveryRowCounts && false",
		Packages: []string{"./internal/cli"},
		Run:      "TestArrivalsListAnswer",
	},
})
