package main

// restore26Mutations hold session 26's two fixes of a year of nights: a
// ledger older than the state directory's record of its last run (a
// backup put back) stops the upload before anything is sent, and a clock
// behind the ledger is said once, the status window bounded above.
var restore26Mutations = register([]mutation{
	{
		Name:     "restore26/restored-ledger-not-stopped",
		Why:      "a backup put back after two weeks would send again everything sent since, exit 0: Meta counts what is older than 7 days twice",
		File:     "internal/run/ledgerbehind.go",
		Old:      "case rec != nil && !accept:",
		New:      "case rec != nil && accept && !accept:",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestoredLedgerStopsBeforeSendingAgain",
	},
	{
		Name:     "restore26/run-not-recorded",
		Why:      "the state directory would keep no record of the ledger's last run, and nothing could tell a restored ledger",
		File:     "internal/run/upload.go",
		Old:      "if rerr := recordLedgerRun(context.WithoutCancel(ctx), env, led, lpath, runID, sum.StartedAt); rerr != nil {",
		New:      "if rerr := error(nil); rerr != nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestoredLedgerStopsBeforeSendingAgain",
	},
	{
		Name:     "restore26/new-ledger-stopped",
		Why:      "a lost ledger (a new, empty one) would be stopped as a restored one, though it never delivered and Meta's first-upload window guards it",
		File:     "internal/run/ledgerbehind.go",
		Old:      "if err != nil || len(ids) == 0 && gen == 0 {\n\t\treturn nil, err // a new ledger",
		New:      "if err != nil || len(ids) < 0 && gen == 0 {\n\t\treturn nil, err // a new ledger",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigsWithTheirOwnLedgersShareAStateDirectory",
	},
	{
		Name:     "restore26/status-silent",
		Why:      "status on a restored ledger would exit 0 saying \"no run in the window had events ingested\"",
		File:     "internal/run/status.go",
		Old:      "\tif behind == nil {\n\t\treturn nil\n\t}",
		New:      "\tif behind == nil || true {\n\t\treturn nil\n\t}",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestoredLedgerStopsBeforeSendingAgain",
	},
	{
		Name:     "restore26/retention-blames-the-clock",
		Why:      "the retention note on a restored ledger would tell the analyst to check the clock, not the ledger",
		File:     "internal/run/ledgerfs.go",
		Old:      "case r.Ahead > aheadToSay && behind != nil:",
		New:      "case r.Ahead > aheadToSay && behind == nil && false:",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestoredLedgerStopsBeforeSendingAgain",
	},
	{
		Name:     "restore26/window-unbounded",
		Why:      "with the clock a year slow every run of the year would be listed, each called a fast night",
		File:     "internal/ledger/verdicts.go",
		Old:      "\tif clockBehind {\n\t\tfast = `0`\n\t}",
		New:      "\tif clockBehind && false {\n\t\tfast = `0`\n\t}",
		Packages: []string{"./internal/ledger"},
		Run:      "TestASlowClockBoundsTheStatusWindow",
	},
	{
		Name:     "restore26/one-fast-night-called-slow",
		Why:      "the morning after one fast night would hide that night and call this clock slow",
		File:     "internal/ledger/verdicts.go",
		Old:      "out.Behind = later >= 2 && 2*later > runs",
		New:      "out.Behind = later >= 1 && 2*later >= runs",
		Packages: []string{"./internal/ledger"},
		Run:      "TestASlowClockBoundsTheStatusWindow|TestAFastNightLeavesTheStatusWindow",
	},
	{
		Name:     "restore26/last-night-decides",
		Why:      "the night run on the slow clock records its own requests dated by it: judged by the last run only, its status the morning after listed the year again",
		File:     "internal/ledger/verdicts.go",
		Old:      "out.Behind = later >= 2 && 2*later > runs",
		New:      "out.Behind = later >= 2 && later == runs",
		Packages: []string{"./internal/cli"},
		Run:      "TestAYearSlowClockIsSaidOnce",
	},
	{
		Name:     "restore26/clock-unsaid",
		Why:      "an upload on a slow clock would quarantine the night as event_in_future without a word about the clock",
		File:     "internal/run/status.go",
		Old:      "\tif !cb.Behind {\n\t\treturn \"\"\n\t}",
		New:      "\tif cb.Behind || !cb.Behind {\n\t\treturn \"\"\n\t}",
		Packages: []string{"./internal/cli"},
		Run:      "TestAYearSlowClockIsSaidOnce",
	},
})
