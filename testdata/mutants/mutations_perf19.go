package main

// perf19Mutations hold the hot-path cuts of the session of 2026-12-06
// (seventh): each keeps what it counts, and its mutant says what a slip
// would cost.
var perf19Mutations = register([]mutation{
	{
		Name:     "reasons/rest-left-out-uncounted",
		Why:      "rows every destination left out for the row's own reason would be missing from each destination's left_out_of when only one such row had that reason: the run report's per-destination counts would not add up",
		File:     "internal/pipeline/reasons.go",
		Old:      "if n -= s.ownOut[reason]; n > 0 {",
		New:      "if n -= s.ownOut[reason]; n > 1 {",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestEachDestinationsOwnReasonIsCounted|TestOnePass|TestReadmeSummaryExample",
	},
	{
		Name:     "export/detached-position-truncated",
		Why:      "a detached row's error position would lose its column: errors that must name file:line:column named the line alone",
		File:     "internal/export/row.go",
		Old:      "pos[i] = [2]int32{int32(line + r.offset), int32(col)}",
		New:      "pos[i] = [2]int32{int32(line + r.offset), int32(col & 0)}",
		Packages: []string{"./internal/export", "./internal/pipeline", "./internal/cli"},
	},
})
