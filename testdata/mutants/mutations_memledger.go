package main

// memledgerMutations hold the mends of session 21's memory review of the
// ledger: `ledger confirm`, an upload onto a ledger of unanswered events
// and the year-full upload's older acceptances read without holding a
// run, or the ledger, in memory.
var memledgerMutations = register([]mutation{
	{
		Name:     "memledger/confirm-holds-the-run",
		Why:      "ledger confirm would gather every event of the run before writing one record: memory grows with the run (291 MB at 1M events)",
		File:     "internal/ledger/confirm.go",
		Old:      "if len(d.ids) >= maxPacked*idLen {",
		New:      "if len(d.ids) >= 1<<40 {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestConfirmHoldsNoRunInMemory",
	},
	{
		Name:     "memledger/confirm-ignores-later-answers",
		Why:      "an event a later request accepted would be confirmed again, as if the run's unanswered request were its latest word",
		File:     "internal/ledger/confirm.go",
		Old:      "if err != nil || decided || !open {",
		New:      "if err != nil || decided && !open || !open {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestConfirmHoldsNoRunInMemory",
	},
})
