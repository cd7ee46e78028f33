package main

// keyrerun25Mutations hold the kept records to one addition per export (a
// review: a re-run of the same export — a retry after exit 3, a second
// cron run — added its keys to the kept shape and its long ids to the
// kept counts a second time): each record remembers the export that last
// added to it, beside it in the ledger, and a run of that export leaves it
// as it is.
var keyrerun25Mutations = register([]mutation{
	{
		Name:     "keyrerun25/shape-added-again",
		Why:      "a re-run's patient keys would be added to the kept shape a second time, and a re-run night weigh double in the kept shares",
		File:     "internal/run/keyshape.go",
		Old:      "\tif addsTo(s.keysBy, input, accepted) {",
		New:      "\tif true {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnExportRunAgainAddsNothingToTheKeptRecords",
	},
	{
		Name:     "keyrerun25/long-keys-added-again",
		Why:      "a re-run's long patient keys would be added to the kept counts again, and the rounding stop's counts grow by re-runs",
		File:     "internal/run/keyshape.go",
		Old:      "\tif s.keyLongBy.Adds(input, accepted) {",
		New:      "\tif true {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnExportRunAgainAddsNothingToTheKeptRecords",
	},
	{
		Name:     "keyrerun25/long-ids-added-again",
		Why:      "a re-run's long order ids would be added to the kept counts again",
		File:     "internal/run/newids.go",
		Old:      "\tif prior != nil && !s.longBy.Adds(input, accepted) {",
		New:      "\tif false {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnExportRunAgainAddsNothingToTheKeptRecords",
	},
	{
		Name:     "keyrerun25/another-export-skipped",
		Why:      "the next night's export would add nothing to records a night of another export had added to: the kept shape would stop learning",
		File:     "internal/pipeline/keptby.go",
		Old:      "\treturn in == \"\" || in != k.Input || accepted && !k.Accepted",
		New:      "\treturn in == \"\" || accepted && !k.Accepted",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestAKeptRecordIsAddedToOncePerExport|TestAnExportRunAgainAddsNothingToTheKeptRecords",
	},
	{
		Name:     "keyrerun25/unknown-export-skipped",
		Why:      "a run whose export's digest is not known would add nothing to a record of no export known",
		File:     "internal/pipeline/keptby.go",
		Old:      "\treturn in == \"\" || in != k.Input || accepted && !k.Accepted",
		New:      "\treturn in != k.Input || accepted && !k.Accepted",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAKeptRecordIsAddedToOncePerExport",
	},
	{
		Name:     "keyrerun25/acceptance-not-taught",
		Why:      "--accept-new-ids over a record the same export added to unaccepted would teach nothing, and the new numbering stop again",
		File:     "internal/pipeline/keptby.go",
		Old:      "\treturn in == \"\" || in != k.Input || accepted && !k.Accepted",
		New:      "\treturn in == \"\" || in != k.Input",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAKeptRecordIsAddedToOncePerExport",
	},
	{
		Name:     "keyrerun25/accepted-retry-added-again",
		Why:      "a retry of an accepted run would add its keys a second time",
		File:     "internal/pipeline/keptby.go",
		Old:      "\treturn in == \"\" || in != k.Input || accepted && !k.Accepted",
		New:      "\treturn in == \"\" || in != k.Input || accepted",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAKeptRecordIsAddedToOncePerExport",
	},
	{
		Name:     "keyrerun25/older-rewrite-trusted",
		Why:      "after an older hashgate added its night to a record, the export kept beside it would still be taken as the last to add, and a run of it skip keys not counted",
		File:     "internal/ledger/keptinput.go",
		Old:      "ok && tag == nightsTag(v)",
		New:      "ok && tag != \"\"",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAKeptRecordKnowsItsExport",
	},
	{
		Name:     "keyrerun25/one-shape-skips-all",
		Why:      "tonight's keys would be skipped when one destination's shape was added to by this export and another's not",
		File:     "internal/run/keyshape.go",
		Old:      "return len(by) == 0 || slices.ContainsFunc(by, func(k pipeline.KeptBy) bool { return k.Adds(input, accepted) })",
		New:      "return len(by) == 0 || !slices.ContainsFunc(by, func(k pipeline.KeptBy) bool { return !k.Adds(input, accepted) })",
		Packages: []string{"./internal/run"},
		Run:      "TestTheKeysAreAddedUnlessEveryShapeKnowsTheExport",
	},
})
