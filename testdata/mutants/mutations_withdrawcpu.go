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
	{
		Name:     "withdrawcpu/days-on-heap",
		Why:      "the earliest days of dated revocations would stay in memory however many patients revoked so: a Go map of them held 103 MB at 10M rows",
		File:     "internal/pipeline/withdraw.go",
		Old:      "w.from = keyset.NewMins(\"\", keyset.Sizes{})",
		New:      "w.from = keyset.NewMins(\"\", keyset.Sizes{TableSlots: 1 << 40})",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestDatedRevocationsKeepTheHeapFlat",
	},
	{
		Name:     "withdrawcpu/days-merge-keeps-the-later",
		Why:      "a patient whose two dated revocations spilled to different runs would be withdrawn from the later day only: visits between the two days sent",
		File:     "internal/keyset/mins.go",
		Old:      "p = minPair{pa.key, min(pa.v, pb.v)}",
		New:      "p = minPair{pa.key, max(pa.v, pb.v)}",
		Packages: []string{"./internal/keyset", "./internal/pipeline"},
		Run:      "TestMinsMatchesAMap|TestDatedRevocationsAcrossSpills",
	},
	{
		Name:     "withdrawcpu/days-buffer-keeps-the-later",
		Why:      "a patient revoking twice, dated, before a spill would keep the later day: visits between the two days sent",
		File:     "internal/keyset/mins.go",
		Old:      "return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.v, b.v))",
		New:      "return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(b.v, a.v))",
		Packages: []string{"./internal/keyset", "./internal/pipeline"},
		Run:      "TestMinsMatchesAMap|TestDatedRevocationsAcrossSpills|TestDatedRevocationsKeepTheHeapFlat",
	},
})
