package main

// final24Mutations hold the mends after the review of the day's last fixes.
var final24Mutations = register([]mutation{
	{
		Name:     "final24/rounding-counts-scaled-every-night",
		Why:      "a clinic of two or three ticks ids a night would drift to a kept share of none ending in zeros and stop again after three years",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\tif out.Long > 2*longMemory {",
		New:      "\tif out.Long > longMemory {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTicksClinicsYearsGoThrough",
	},
	{
		Name:     "final24/retention-checkpoint-passive",
		Why:      "retention's deleted event ids would stay readable in -wal until another process truncated it",
		File:     "internal/ledger/securedelete.go",
		Old:      "conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)",
		New:      "conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)",
		Packages: []string{"./internal/ledger"},
		Run:      "TestRetentionLeavesNoBytes",
	},
})
