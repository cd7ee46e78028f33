package main

// foundmarkMutations hold the mends of the processing-failure alert: a
// mark per destination of the failures an upload said.
var foundmarkMutations = register([]mutation{
	{
		Name:     "ledger/failures-found-since-the-newest-run",
		Why:      "the failures a `status` read would be counted from the newest run's start again: a validation in between would use them up, and the nightly upload would exit 0",
		File:     "internal/ledger/found.go",
		Old:      "\t\tif v == \"\" {\n\t\t\tcontinue\n\t\t}",
		New:      "\t\tif true {\n\t\t\tcontinue\n\t\t}",
		Packages: []string{"./internal/cli"},
		Run:      "TestAValidationInBetweenLeavesTheFailuresToTheNextUpload",
	},
	{
		Name:     "ledger/failures-found-for-every-destination",
		Why:      "on a ledger two configs share, a config sending only to Meta would exit 3 for Google's failures and use them up",
		File:     "internal/ledger/found.go",
		Old:      "AND d.key = ? AND p.checked > ?",
		New:      "AND (d.key = ? OR 1) AND p.checked > ?",
		Packages: []string{"./internal/cli"},
		Run:      "TestASharedLedgerSaysEachConfigsFailuresToThatConfig",
	},
})
