package main

// morningMutations are what the analyst reads in the morning: the ledger
// commands and status, the report's figures.
var morningMutations = []mutation{
	{
		Name:     "ledger/empty-file-opened",
		Why:      "a 0-byte ledger (a restore cut short) would be opened as a new one: status says nothing was sent, an upload forgets which patients withdrew",
		File:     "internal/ledger/ledger.go",
		Old:      "\tcase err == nil && st.Mode().IsRegular() && st.Size() == 0:\n\t\treturn nil, emptyError(path)",
		New:      "\tcase false && err == nil && st.Mode().IsRegular() && st.Size() == 0:\n\t\treturn nil, emptyError(path)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnEmptyLedgerFileIsRefused",
	},
	{
		Name:     "ledger/read-upgrades",
		Why:      "ledger stats, list or status would upgrade an older ledger, which the cron job's older hashgate then refuses",
		File:     "internal/ledger/ledger.go",
		Old:      "\tcase err == nil && st.Mode().IsRegular() && (o.ReadOnly || o.NoUpgrade):\n\t\tif err := notOlder(ctx, path); err != nil {\n\t\t\treturn nil, err\n\t\t}\n\t}\n\to.NoUpgrade = o.NoUpgrade || o.ReadOnly",
		New:      "\t}\n\to.NoUpgrade = false",
		Packages: []string{"./internal/cli"},
		Run:      "TestReadingCommandsDoNotUpgradeTheLedger",
	},
	{
		Name:     "ledger/runs-by-id",
		Why:      "two runs started in the same second would be listed in either order, and the three-runs setting stop would count the wrong runs",
		File:     "internal/ledger/query.go",
		Old:      "runsNewestFirst = `julianday(started_at) DESC, rowid DESC`",
		New:      "runsNewestFirst = `id DESC`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestRunsStartedInTheSameSecondKeepTheirOrder",
	},
	{
		Name:     "ledger/kept-back-shown-quarantined",
		Why:      "a first upload's deliberate holds would read as quarantined in ledger stats and list: failures to an analyst",
		File:     "internal/ledger/query.go",
		Old:      "\t\treturn StateKeptBack",
		New:      "\t\treturn state",
		Packages: []string{"./internal/cli"},
		Run:      "TestFirstUploadHoldsAreKeptBackInLedgerStatsAndList",
	},
	{
		Name:     "status/quality-of-another-dataset",
		Why:      "Meta's verdict on the config's dataset would be printed under a ledger destination of another dataset as its own",
		File:     "internal/run/status.go",
		Old:      "ok && w.Key != d.Destination && clients.ProcessingNote(p, \"\") != \"\" {",
		New:      "ok && false && w.Key != d.Destination && clients.ProcessingNote(p, \"\") != \"\" {",
		Packages: []string{"./internal/cli"},
		Run:      "TestStatusAsksQualityOnlyOfTheConfigsDataset",
	},
	{
		Name:     "report/coverage-above-ingested",
		Why:      "identifier coverage would take a perturbed whole and print a kind above the events ingested beside it",
		File:     "internal/diagnostics/coverage.go",
		Old:      "\treturn NewFigures(t.events, kinds, m)\n}",
		New:      "\treturn NewFigures(c.Release.Count(t.events, 12345), kinds, m)\n}",
		Packages: []string{"./internal/diagnostics"},
		Run:      "TestCoverageFollowsTheReleaseRule",
	},
	{
		Name:     "status/unanswered-uncounted",
		Why:      "a morning after a night of timeouts would read \"no run had events ingested\" with nothing about the events the platform may hold",
		File:     "internal/run/status.go",
		Old:      "\t\tn += byState[ledger.StateSent]",
		New:      "\t\t_ = byState",
		Packages: []string{"./internal/cli"},
		Run:      "TestAMorningAfterUnansweredRequests",
	},
}
