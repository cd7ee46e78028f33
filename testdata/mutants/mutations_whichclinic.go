package main

// whichclinicMutations hold what tells one clinic's run from another's
// where many configs share a user, a crontab, a log and a ledger (D3).
var whichclinicMutations = register([]mutation{
	{
		Name:     "whichclinic/errors-name-no-config",
		Why:      "a cron log of fifteen clinics' runs would say which failure, never whose",
		File:     "internal/cli/root.go",
		Old:      "printError(f.IO.ErrOut, err, configSuffix(f, opts, cmd))",
		New:      "printError(f.IO.ErrOut, err, \"\"); _ = cmd",
		Packages: []string{"./internal/cli"},
		Run:      "TestFatalErrorsNameTheirConfig",
	},
	{
		Name:     "whichclinic/relative-config-not-resolved",
		Why:      "every clinic's cron line gives --config hashgate.yaml: the path as given tells none from another",
		File:     "internal/cli/whichconfig.go",
		Old:      "\tabs, err := filepath.Abs(path)\n",
		New:      "\tabs, err := filepath.Clean(path), error(nil)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestFatalErrorsNameTheirConfig|TestTheRunReportNamesItsConfig",
	},
	{
		Name:     "whichclinic/holder-not-written",
		Why:      "the run stopped by the lock would learn only the ledger all configs share, not which clinic's run holds it",
		File:     "internal/ledger/ledger.go",
		Old:      "\t\tlock.tell(Holder{",
		New:      "\t\t_ = (Holder{",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestALockedLedgerNamesItsHolder|TestTheLockNamesItsHolder",
	},
	{
		Name:     "whichclinic/holder-left-after-release",
		Why:      "a run reading the lock file in the instant the next run locks it would name a run that has ended",
		File:     "internal/ledger/lock_unix.go",
		Old:      "\t\t_ = l.f.Truncate(0)\n",
		New:      "\t\t_ = l.f.Sync()\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestALockedLedgerNamesItsHolder",
	},
	{
		Name:     "whichclinic/lock-wait-ignored",
		Why:      "configs started at the same cron minute would lose the night with exit 4 whatever --lock-wait said",
		File:     "internal/run/lockwait.go",
		Old:      "\t\tcase waited >= wait:\n",
		New:      "\t\tcase true:\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLockWaitRunsOneAfterTheOther",
	},
	{
		Name:     "whichclinic/lock-wait-not-interruptible",
		Why:      "a SIGTERM while the run waited for the lock would not stop it: it would go on to send after being told to stop",
		File:     "internal/run/lockwait.go",
		Old:      "\t\tif err := sleepCtx(ctx, env, d); err != nil {\n",
		New:      "\t\tif err := sleepCtx(context.WithoutCancel(ctx), env, d); err != nil {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestLockWaitRunsOneAfterTheOther",
	},
	{
		Name:     "whichclinic/report-names-no-config",
		Why:      "a monitor reading fifteen clinics' --report files could not tell whose run a report was from its contents",
		File:     "internal/run/upload.go",
		Old:      "sum.ConfigSHA256, sum.Config = configDigest(cfg), env.ConfigAbs",
		New:      "sum.ConfigSHA256 = configDigest(cfg)",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheRunReportNamesItsConfig",
	},
})
