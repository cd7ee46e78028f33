package main

// withdrawcpuMutations hold the mends of the CPU that withdrawn_after_sent
// took at 10M rows (173.8 s against 5.8 s at 1M): a frozen key set is one
// run on disk with a filter fitted to its keys, and the withdrawn rows'
// ids are frozen once the export is read.
var withdrawcpuMutations = register([]mutation{
	{
		Name:     "withdrawcpu/frozen-runs-kept",
		Why:      "a frozen set would keep every run its spills left: a lookup the filter lets through reads a block of each, and the more keys the more runs",
		File:     "internal/keyset/runs.go",
		Old:      "\tcase 1:\n\t\treturn s.runs[0].each(f)\n\t}",
		New:      "\tdefault:\n\t\tfor i := range s.runs {\n\t\t\tif err := s.runs[i].each(f); err != nil {\n\t\t\t\treturn err\n\t\t\t}\n\t\t}\n\t\treturn nil\n\t}",
		Packages: []string{"./internal/keyset"},
		Run:      "TestFrozenLookupsReadOneRun",
	},
	{
		Name:     "withdrawcpu/seven-hashes-past-the-filters-most",
		Why:      "a frozen set past its filter's most would keep seven hashes: at 2 bits a key they let about 80% of absent keys through to the disk, where one lets 39%",
		File:     "internal/keyset/keyset.go",
		Old:      "\treturn max(1, min(k, bloomHashes))",
		New:      "\treturn max(bloomHashes, min(k, bloomHashes))",
		Packages: []string{"./internal/keyset"},
		Run:      "TestFrozenLookupsReadOneRun",
	},
	{
		Name:     "withdrawcpu/left-out-unfrozen",
		Why:      "the withdrawn rows' ids would stay unfrozen while the ledger asks them once an accepted event: every run read, and nearly every id let through past 4 Mi of them",
		File:     "internal/pipeline/pipeline.go",
		Old:      "\t\terr = opt.LeftOut.freeze()",
		New:      "\t\terr = nil",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestLeftOutIsFrozenOnceRun",
	},
})
