package main

// rotate26Mutations hold the year-of-nights review's two findings on a
// long-running state directory: the run reports that retention now
// prunes (by the run id's time, nothing but reports), and what a secret
// rotation's stops say of the visits the old secret sent.
var rotate26Mutations = register([]mutation{
	{
		Name:     "rotate26/reports-never-pruned",
		Why:      "reports/<run-id>.json would pile up a night at a time whatever ledger.retention_days says",
		File:     "internal/run/reportsretention.go",
		Old:      "\t\tif err != nil || !started.Before(cut) {\n",
		New:      "\t\tif err != nil || started.Before(cut) || !started.Before(cut) {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestRetentionPrunesTheRunReports",
	},
	{
		Name:     "rotate26/reports-any-name",
		Why:      "retention would delete the user's own files in reports/, and links named like a report",
		File:     "internal/run/reportsretention.go",
		Old:      "\t\tif m == nil || !e.Type().IsRegular() {\n\t\t\tcontinue\n\t\t}\n\t\tstarted, err := time.Parse(\"20060102T150405Z\", m[1])\n",
		New:      "\t\tif m == nil {\n\t\t\tm = []string{\"\", \"20000101T000000Z\"}\n\t\t}\n\t\tstarted, err := time.Parse(\"20060102T150405Z\", m[1])\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestRetentionPrunesTheRunReports",
	},
	{
		Name:     "rotate26/rotation-date-unsaid",
		Why:      "a new secret's stops would again leave the operator no date to cut the export at: --accept-new-ids over the nightly export sent every visit twice",
		File:     "internal/run/rotation.go",
		Old:      "\treturn newestIn(cfg, t)\n",
		New:      "\t_ = t\n\treturn \"\"\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestARotatedSecretsStopsNameTheSafeFirstNight|TestTheWithdrawalsStopUnderARotatedSecretNamesTheSafeFirstNight",
	},
	{
		Name:     "rotate26/withdrawals-stop-without-advice",
		Why:      "the withdrawals' stop, the one a new secret meets first where a patient key is mapped, would again say only to run --accept-new-ids once",
		File:     "internal/run/newids.go",
		Old:      "nothing was sent. %s\", n, PreviousSecretEnv, rotationAdvice(oldSecretThrough(ctx, led, cfg)))}",
		New:      "nothing was sent. %s\", n, PreviousSecretEnv, \"run `hashgate upload --accept-new-ids` once\")}",
		Packages: []string{"./internal/cli"},
		Run:      "TestTheWithdrawalsStopUnderARotatedSecretNamesTheSafeFirstNight",
	},
})
