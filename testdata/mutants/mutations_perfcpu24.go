package main

// perfcpu24Mutations hold the settler's counting by kind (session 24,
// issue 29): rows are counted in a short tally and added to the summary
// once, which must give the summary counting each row would.
var perfcpu24Mutations = register([]mutation{
	{
		Name:     "perfcpu24/tally-counts-once",
		Why:      "the tally would add each kind of excluded row once instead of as many times as it came: the summary's excluded counts wrong",
		File:     "internal/pipeline/rowtally.go",
		Old:      "\ts.sum.Excluded[reason] += n\n",
		New:      "\ts.sum.Excluded[reason]++\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRowTallyCountsAsEachRowWould",
	},
	{
		Name:     "perfcpu24/tally-flushed-after-the-rest",
		Why:      "the tally would reach the summary after leaveOutTheRest read Excluded: every destination's left-out counts of the tallied rows lost",
		File:     "internal/pipeline/reasons.go",
		Old:      "\ts.tally.flush(s) // first: the rest is Excluded less ownOut\n\tfor reason, n := range s.sum.Excluded {\n",
		New:      "\tdefer s.tally.flush(s)\n\tfor reason, n := range s.sum.Excluded {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRowTallyCountsAsEachRowWould",
	},
	{
		Name:     "perfcpu24/tally-ignores-skips",
		Why:      "two rows of one own reason whose other destinations had different reasons would be one kind: a destination's left-out reasons counted under the first row's",
		File:     "internal/pipeline/rowtally.go",
		Old:      "\tif reason != \"\" && !own {\n\t\treturn true // the row's reason, whatever its destinations'\n",
		New:      "\tif true {\n\t\treturn true // the row's reason, whatever its destinations'\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRowTallyCountsAsEachRowWould",
	},
	{
		Name:     "perfcpu24/tally-unbounded",
		Why:      "the tally would keep every kind of row an export holds: memory no longer flat",
		File:     "internal/pipeline/rowtally.go",
		Old:      "\tif len(t.kinds) == tallyKinds {\n",
		New:      "\tif len(t.kinds) == -1 {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRowTallyIsBounded",
	},
	{
		Name:     "perfcpu24/drop-tally-counts-once",
		Why:      "each kind of dropped identifier would be counted once, not as often as dropped",
		File:     "internal/pipeline/rowtally.go",
		Old:      "\t\ts.droppedN(d.d, d.n)\n",
		New:      "\t\ts.droppedN(d.d, 1)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRowTallyCountsAsEachRowWould",
	},
})
