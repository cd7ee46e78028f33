package main

// depsMutations hold what the dependency updates of branch deps needed in
// hashgate's own code: modernc.org/sqlite v1.63.0 reads a zero-length BLOB
// as an empty []byte where earlier versions read nil.
var depsMutations = register([]mutation{
	{
		Name:     "deps/empty-indices-placed",
		Why:      "a whole-request processing reason with recordIndices [] would stop placing its events once the driver reads the empty BLOB as []byte{}: every event 'the platform did not say which' instead of failed under its reason",
		File:     "internal/ledger/processing.go",
		Old:      "\t\tif len(blob) > 0 {\n\t\t\tr.hasIndex = true\n",
		New:      "\t\tif blob != nil {\n\t\t\tr.hasIndex = true\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestEmptyIndicesPlaceNoEvent",
	},
})
