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
})
