package main

// restateMutations hold the mends of visits that change after upload:
// restatements counted from what Google accepted and dated as Google
// holds them, the span of "no longer among its conversions", visits
// withdrawn after they were sent, and the platforms' deduplication rules.
var restateMutations = register([]mutation{
	{
		Name:     "restate/counted-before-acceptance",
		Why:      "the summary would say \"1 restated … sent again\" for an adjustment quarantined as too old, night after night, beside ingested 0",
		File:     "internal/run/upload.go",
		Old:      "\t\tsum.Uploads[i].Restated = restated.accepted(p)",
		New:      "\t\tsum.Uploads[i].Restated = max(restated.accepted(p), func() int { rc, _ := filter.Restated(p); return rc.Restating }())",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestatementNotAcceptedIsNotCalledRestated",
	},
	{
		Name:     "restate/dated-as-the-export",
		Why:      "a restatement of a visit whose date was corrected months back would be quarantined as too old, though Google keeps the time it holds and updates only the value",
		File:     "internal/ledger/values.go",
		Old:      "\t\tc.Time = time.Unix(held*60, 0).In(c.Time.Location())",
		New:      "\t\tc.Time = c.Time.Add(time.Duration(held) * 0)",
		Packages: []string{"./internal/cli"},
		Run:      "TestARestatementGoesDatedAsGoogleHoldsIt",
	},
	{
		Name:     "restate/span-of-conversions-only",
		Why:      "visits cancelled or marked no-show after upload at either end of the export would not be counted among ingested events no longer in it",
		File:     "internal/pipeline/settle.go",
		Old:      "\ts.left.dated(o.at)",
		New:      "\ts.left.dated(0)",
		Packages: []string{"./internal/cli"},
		Run:      "TestVisitsChangedAtTheExportsEdgesAreNoLongerAmongItsConversions",
	},
	{
		Name:     "withdrawn/never-sent-counted",
		Why:      "a visit withdrawn before it was ever sent would be reported as one the platforms hold and cannot retract",
		File:     "internal/run/withdrawnsent.go",
		Old:      "if err != nil || !in {",
		New:      "if err != nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestVisitsWithdrawnAfterTheyWereSentAreReported",
	},
	{
		Name:     "withdrawn/revocations-file-unseen",
		Why:      "a sent visit the revocations file lists would not be reported as held by the platforms: its reason is the row's, no platform's",
		File:     "internal/pipeline/leftout.go",
		Old:      "\t\t\twhy = withdrawalIndex(o.reason)\n",
		New:      "\t\t\twhy = -1",
		Packages: []string{"./internal/cli"},
		Run:      "TestVisitsWithdrawnAfterTheyWereSentAreReported",
	},
})
