package main

// rerunwd25Mutations hold the same night's identifier rule to the rows
// that withdraw tonight (session 25's review): a re-run of the withdrawal
// night's export answers as the first run did.
var rerunwd25Mutations = register([]mutation{
	{
		Name:     "rerunwd25/remembered-patient-contributes",
		Why:      "every row of a patient the ledger remembers would withdraw its identifiers the same night: a re-run of the export would take W1's old e-mail from 8001 and withdraw 8003, which the first run sent",
		File:     "internal/pipeline/samenightids.go",
		Old:      `return o.selfRevokes || o.listed || o.selfDated`,
		New:      `return o.revokes || o.listed || o.revokesFrom != 0`,
		Packages: []string{"./internal/cli"},
		Run:      "TestARerunOfTheWithdrawalNightAnswersAsTheFirst",
	},
})
