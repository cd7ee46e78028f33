package main

// startsconfigMutations hold the channel report's record of first days,
// kept per config file: keyed by the export's path, a rolling export
// saved under a new name each night was never warned of.
var startsconfigMutations = register([]mutation{
	{
		Name:     "startsconfig/keyed-by-export-path",
		Why:      "a rolling export saved under a dated name each night would start a fresh record: its moved first day, two draws for a reader holding both reports, never warned of",
		File:     "internal/run/channels.go",
		Old:      `opt.Export = "config:" + abs`,
		New:      `opt.Export = "config:" + abs + r.Input`,
		Packages: []string{"./internal/cli"},
		Run:      "TestStartsAreKeptPerConfig",
	},
})
