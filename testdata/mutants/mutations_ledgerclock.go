package main

// ledgerclockMutations guard what the morning reader sees of the ledger
// when a night's clock was wrong, and the exit codes of the ledger
// commands (branch ledgerclock).
var ledgerclockMutations = register([]mutation{
	{
		Name:     "ledger/runs-by-recorded-time",
		Why:      "a night whose clock ran a year fast would be listed by `ledger list` and `ledger stats` as the latest run for a year, and `ledger list --limit 1` would hide tonight's run",
		File:     "internal/ledger/query.go",
		Old:      "runsNewestFirst = `rowid DESC`",
		New:      "runsNewestFirst = `julianday(started_at) DESC, rowid DESC`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAFastNightIsNotTakenForTheLatestRun",
	},
	{
		Name:     "ledger/setting-stop-by-recorded-time",
		Why:      "a fast night processed ok would count among the last three runs for a year, so three nights failing on an account setting would never stop Google",
		File:     "internal/ledger/query.go",
		Old:      "func runsNewestFirstOn(alias string) string { return alias + `.rowid DESC` }",
		New:      "func runsNewestFirstOn(alias string) string { return \"julianday(\" + alias + \".started_at) DESC, \" + alias + \".rowid DESC\" }",
		Packages: []string{"./internal/ledger"},
		Run:      "TestTheSettingStopIsNotHeldOffByAFastNight",
	},
	{
		Name:     "ledger/status-window-captured",
		Why:      "a request dated a year ahead by a fast clock would stay in every morning's status window for a year",
		File:     "internal/ledger/verdicts.go",
		Old:      "`r.id > coalesce((SELECT max(b.id) FROM requests b WHERE b.at < ?3), 0)`",
		New:      "`r.id > coalesce((SELECT max(b.id) FROM requests b WHERE b.at < ?3 AND 0), 0)`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAFastNightLeavesTheStatusWindow",
	},
	{
		Name:     "ledger/fast-run-unsaid-in-list",
		Why:      "`ledger list` would print a run dated a year ahead without a word, and the reader would take its dates for when it ran",
		File:     "internal/ledger/query.go",
		Old:      "t.After(l.now()) {\n\t\t\tr.Ahead = true",
		New:      "t.After(l.now()) {\n\t\t\tr.Ahead = false",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheMorningReaderIsToldOfAFastNight",
	},
	{
		Name:     "ledger/fast-run-unsaid-in-status",
		Why:      "status would print a run dated a year ahead without a word",
		File:     "internal/ledger/verdicts.go",
		Old:      "w.Ahead = latest > now.UnixMilli()",
		New:      "w.Ahead = false",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheMorningReaderIsToldOfAFastNight",
	},
	{
		Name:     "ledger/forget-misses-fast-nights",
		Why:      "entries a fast clock dated a year ahead would outlive every `ledger forget --before` and retention: kept long after the nights around them were forgotten",
		File:     "internal/ledger/retention.go",
		Old:      "WHERE q.at < ?1 OR (q.at > ?2 AND",
		New:      "WHERE q.at < ?1 OR (0 AND q.at > ?2 AND",
		Packages: []string{"./internal/ledger"},
		Run:      "TestForgetReachesWhatAFastClockDated",
	},
	{
		Name:     "ledger/forget-fast-nights-early",
		Why:      "every entry a fast clock dated ahead would be forgotten by any --before, before the nights it came before: acceptances Meta still holds within 7 days would be sent again",
		File:     "internal/ledger/retention.go",
		Old:      "ORDER BY n.id LIMIT 1) < ?1)`",
		New:      "ORDER BY n.id LIMIT 1) < ?1 OR q.at > ?2)`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestForgetReachesWhatAFastClockDated",
	},
	{
		Name:     "run/late-report-exit-unrecorded",
		Why:      "a --report that failed after sending exits 1, but the ledger would keep the sending's 0: `ledger list` shows a clean night cron alerted on",
		File:     "internal/run/outputs.go",
		Old:      "\t\t\trecordLateExit(env, r, sum, rep)\n",
		New:      "\t\t\t_ = recordLateExit\n",
		Packages: []string{"./internal/run"},
		Run:      "TestALateReportFailureIsTheLedgersExitCode",
	},
})
