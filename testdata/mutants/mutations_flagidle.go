package main

// flagidleMutations: --accept-moved-times that passed nothing says so.
var flagidleMutations = register([]mutation{
	{
		Name:     "run/idle-moved-times-flag-unsaid",
		Why:      "--accept-moved-times left in a nightly job would pass a later real collision (another branch's export sharing the ledger) with nothing said on the nights before",
		File:     "internal/run/movedtimes.go",
		Old:      "\tif asked && len(found) == 0 {",
		New:      "\tif asked && len(found) < 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAcceptMovedTimesIsOneNight",
	},
})
