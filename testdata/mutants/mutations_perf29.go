package main

// perf29Mutations hold issue 29's last cuts of the dry-run's per-row
// instructions to the code they replaced.
var perf29Mutations = register([]mutation{
	{
		Name:     "perf29/write-prepared-trailing-bytes",
		Why:      "WritePrepared would write prepared bytes with more after the destination (a damaged spill file), which the version that moved the cells refused",
		File:     "internal/sink/reviewcsv/reviewcsv.go",
		Old:      "\tif at >= len(cells) || at+1+int(cells[at]) != len(cells) {\n",
		New:      "\tif at >= len(cells) || at+1+int(cells[at]) > len(cells) {\n",
		Packages: []string{"./internal/sink/reviewcsv"},
		Run:      "TestWritePreparedIsShuffled",
	},
})
