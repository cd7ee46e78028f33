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
	{
		Name:     "perf29/positions-without-offset",
		Why:      "a detached row's positions would miss the lines above the header: errors about a date or consent cell would name the wrong line",
		File:     "internal/export/row.go",
		Old:      "\t\tpos[i] = [2]int32{int32(line + r.offset), int32(col)}\n",
		New:      "\t\tpos[i] = [2]int32{int32(line), int32(col)}\n",
		Packages: []string{"./internal/export"},
		Run:      "TestPositionsToIsPosition",
	},
})
