package main

// cronfaultsMutations are what a month of nightly cron uploads showed: a
// full disk and a ledger of the wrong mode said without a fix, rows
// counted that were never read, a rate limit blamed on the token, and
// mail repeated every night.
var cronfaultsMutations = register([]mutation{
	{
		Name:     "ledger/full-disk-ioerr-unnamed",
		Why:      "a full state filesystem (SQLite's disk I/O error 4874, not SQLITE_FULL) would reach the cron mail without naming the directory whose filesystem needs space",
		File:     "internal/ledger/fault.go",
		Old:      "if todo = fullAt(dir); todo == \"\" {",
		New:      "if todo = \"\"; todo == \"\" {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAFullFilesystemIsNamedForAnyIOError",
	},
	{
		Name:     "ledger/mode-0400-unexplained",
		Why:      "a ledger of mode 0400 would fail with a bare permission denied: no owner, no mode, no fix",
		File:     "internal/ledger/ledger.go",
		Old:      "\t\treturn nil, osFault(path, err)",
		New:      "\t\treturn nil, fmt.Errorf(\"ledger %s: %w\", path, err)",
		Packages: []string{"./internal/ledger"},
		Run:      "TestALedgerThisUserCannotOpenNamesItsModeAndTheFix",
	},
	{
		Name:     "run/unread-rows-counted",
		Why:      "a ledger that cannot be opened would print \"0 rows read; 0 used, 0 excluded\" for an export of 15 rows, an empty night to whoever reads the mail",
		File:     "internal/run/outputs.go",
		Old:      " || errors.As(runErr, &unread)",
		New:      " || errors.As(runErr, &unread) && false",
		Packages: []string{"./internal/cli"},
		Run:      "TestALedgerThatCannotOpenCountsNoRows",
	},
	{
		Name:     "meta/throttled-quality-blames-token",
		Why:      "a night of Meta code 17 would tell the analyst the token lacks Manage Pixel, sending them to fix a token that works",
		File:     "internal/destination/meta/quality.go",
		Old:      "case e.Action == platform.Retry || resp.StatusCode >= 500:",
		New:      "case false:",
		Packages: []string{"./internal/destination/meta"},
		Run:      "TestDatasetQualityThrottledIsNotAPermissionProblem",
	},
	{
		Name:     "reconcile/failed-read-logged-at-warn",
		Why:      "every failed status read would add a slog line to the cron mail beside the note that already says it",
		File:     "internal/reconcile/reconcile.go",
		Old:      "\t\to.Logger.Info(\"reconcile: status read failed; read again next time\"",
		New:      "\t\to.Logger.Warn(\"reconcile: status read failed; read again next time\"",
		Packages: []string{"./internal/cli"},
		Run:      "TestAFailedStatusReadIsOneLine",
	},
	{
		Name:     "run/policy-paragraph-every-night",
		Why:      "every nightly upload summary would quote Google's customer data policy in full again",
		File:     "internal/run/outputs.go",
		Old:      "sum.Notices, remember = seenNotices(env, r, sum)",
		New:      "_, remember = seenNotices(env, r, sum)",
		Packages: []string{"./internal/cli"},
		Run:      "TestThePolicyParagraphIsSaidInFullOncePerConfig",
	},
	{
		Name:     "run/policy-paragraph-not-again-for-a-new-destination",
		Why:      "a config moved to another Google conversion action would never see the policy paragraph in full",
		File:     "internal/run/notices.go",
		Old:      "dests = append(dests, ledger[p].Key+\" \"+strings.Join(d.Identifiers, \",\"))",
		New:      "dests = append(dests, ledger[p].Key[:0]+strings.Join(d.Identifiers, \",\"))",
		Packages: []string{"./internal/cli"},
		Run:      "TestThePolicyParagraphIsSaidInFullOncePerConfig",
	},
})
