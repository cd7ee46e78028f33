package main

// outfile24Mutations hold what RemoveStale may take of another output's
// temporary files.
var outfile24Mutations = register([]mutation{
	{
		Name:     "outfile24/other-name-taken-fresh",
		Why:      "a live run's temporary file of another name on another NFS client or in another pid namespace (its pid looks dead here) would be removed from under it",
		File:     "internal/outfile/outfile.go",
		Old:      "\t\t\tif err != nil || time.Since(info.ModTime()) < otherNameAge {\n",
		New:      "\t\t\tif err != nil {\n",
		Packages: []string{"./internal/outfile"},
		Run:      "TestStaleTempFilesOfAKilledRunAreRemoved",
	},
})
