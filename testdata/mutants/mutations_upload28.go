package main

// upload28Mutations hold the order sets' tiered merges (keyset.spill): a
// spill's runs merge four of a size while the filter keeps its bits a key,
// so each key is rewritten about log4(spills) times, not log2 — the order
// rows' set made the 1M-row upload write 422 bytes a conversion (make
// bench-upload, issue 29) — and in pairs once it is outgrown, where every
// run costs each lookup a block.
var upload28Mutations = register([]mutation{
	{
		Name:     "upload28/fanout-two",
		Why:      "runs would merge two of a size again (a binary counter): each key rewritten about log2(spills) times, 64 MB more written by the 1M-row upload's order sets",
		File:     "internal/keyset/keyset.go",
		Old:      "const mergeFanout = 4",
		New:      "const mergeFanout = 2",
		Packages: []string{"./internal/keyset"},
		Run:      "TestSpillsRewriteEachKeyFewTimes",
	},
	{
		Name:     "upload28/merge-any-four",
		Why:      "the newest four runs would merge whatever their sizes: the largest run rewritten at every fourth spill, bytes growing with the square of the export",
		File:     "internal/keyset/keyset.go",
		Old:      "s.runs[n-f].keys <= s.runs[n-1].keys",
		New:      "s.runs[n-f].keys >= 0",
		Packages: []string{"./internal/keyset"},
		Run:      "TestSpillsRewriteEachKeyFewTimes|TestRunsHalve",
	},
	{
		Name:     "upload28/never-merge",
		Why:      "runs would never merge: a lookup past the filter reads a block of every spill's run, hundreds on a 10M-row export",
		File:     "internal/keyset/keyset.go",
		Old:      "s.runs[n-f].keys <= s.runs[n-1].keys",
		New:      "s.runs[n-f].keys < 0",
		Packages: []string{"./internal/keyset"},
		Run:      "TestSpillsRewriteEachKeyFewTimes|TestRunsHalve",
	},
	{
		Name:     "upload28/four-past-the-filter",
		Why:      "runs would merge four of a size after the keys on disk outgrew the filter, when nearly every lookup reads a block of each run: a 12M-key set read 46% more blocks (the 10M-row dry-run's order rows)",
		File:     "internal/keyset/keyset.go",
		Old:      "if uint64(s.fileKeys)*bloomBitsPerKey <= s.maxBloom {",
		New:      "if true {",
		Packages: []string{"./internal/keyset"},
		Run:      "TestAFullFilterKeepsRunsFew",
	},
	{
		Name:     "upload28/two-under-the-filter",
		Why:      "runs would merge in pairs while the filter holds its bits a key: each key of the 1M-row upload's order sets rewritten about log2(spills) times again (422 bytes a conversion)",
		File:     "internal/keyset/keyset.go",
		Old:      "\t\treturn mergeFanout\n",
		New:      "\t\treturn 2\n",
		Packages: []string{"./internal/keyset"},
		Run:      "TestSpillsRewriteEachKeyFewTimes",
	},
	{
		Name:     "upload28/merge-skips-filter",
		Why:      "a frozen set's compaction would not add the keys on disk to its rebuilt filter: a withdrawn order spilled early would be missed and its rows sent",
		File:     "internal/keyset/runs.go",
		Old:      "\t\tif f != nil {\n\t\t\tf(k)\n\t\t}",
		New:      "\t\tif f != nil && false {\n\t\t\tf(k)\n\t\t}",
		Packages: []string{"./internal/keyset"},
		Run:      "TestMatchesAMap|TestFrozenLookupsReadOneRun|TestMinsMatchesAMap",
	},
})
