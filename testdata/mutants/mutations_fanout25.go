package main

// fanout25Mutations hold the identifier fan-out alarm's edges, judged per
// identifier (internal/pipeline/fanout.go): its floor (a household of 11
// charts on one phone is quiet, 12 alarms), its share per withdrawing
// patient and the comparison. Its two mutants of the remembered
// identifiers' summed floor and of exit 3 for tonight's alone went with
// them (fanout26: each remembered identifier is judged on its own and
// exits 3; mutations_fanout26.go).
var fanout25Mutations = register([]mutation{
	{
		Name:     "fanout25/min-lower",
		Why:      "a family of 11 charts on one phone would exit 3 every night one parent withdraws",
		File:     "internal/pipeline/fanout.go",
		Old:      "\tfanOutMin = 10\n",
		New:      "\tfanOutMin = 9\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutEdges",
	},
	{
		Name:     "fanout25/min-higher",
		Why:      "a placeholder on 11 other charts would withdraw them with exit 0",
		File:     "internal/pipeline/fanout.go",
		Old:      "\tfanOutMin = 10\n",
		New:      "\tfanOutMin = 11\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutEdges",
	},
	{
		Name:     "fanout25/per-lower",
		Why:      "four parents of one phone with 12 children's charts would exit 3",
		File:     "internal/pipeline/fanout.go",
		Old:      "\tfanOutPer = 3\n",
		New:      "\tfanOutPer = 2\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutEdges",
	},
	{
		Name:     "fanout25/per-higher",
		Why:      "four withdrawers of one value with 13 other keys would go unsaid",
		File:     "internal/pipeline/fanout.go",
		Old:      "\tfanOutPer = 3\n",
		New:      "\tfanOutPer = 4\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutEdges",
	},
	{
		Name:     "fanout25/comparison",
		Why:      "exactly the threshold (10 others of one withdrawer) would alarm",
		File:     "internal/pipeline/fanout.go",
		Old:      "int(f.others[i]) > max(fanOutMin, fanOutPer*int(f.withdrew[i]))",
		New:      "int(f.others[i]) >= max(fanOutMin, fanOutPer*int(f.withdrew[i]))",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutEdges",
	},
	{
		Name:     "fanout25/old-review-mutant",
		Why:      "the review's surviving mutant: no threshold per withdrawer",
		File:     "internal/pipeline/fanout.go",
		Old:      "max(fanOutMin, fanOutPer*int(f.withdrew[i]))",
		New:      "max(30, 0*int(f.withdrew[i]))",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutEdges",
	},
	{
		Name:     "fanout25/summed",
		Why:      "a placeholder counted against all of tonight's withdrawers (20) would stay silent on 50 charts",
		File:     "internal/pipeline/fanout.go",
		Old:      "fanOutPer*int(f.withdrew[i])",
		New:      "fanOutPer*f.rows",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutPerIdentifier",
	},
	{
		Name:     "fanout25/keyless-uncounted",
		Why:      "rows with a blank patient key would never count towards the alarm",
		File:     "internal/pipeline/fanout.go",
		Old:      "\treturn keyset.Mix(uint64(line) ^ 0x6c696e65)\n",
		New:      "\treturn 0\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestFanOutKeylessRowsCount",
	},
})
