package main

// perf26Mutations hold session 26's cuts of the dry-run's per-row work to
// what they must keep.
var perf26Mutations = register([]mutation{
	{
		Name:     "perf26/unread-fee-by-column",
		Why:      "a held row would keep an unreadable fee's column and reason only when it had a column: a fee with no position slot (column 0) would be read back a varint short, its reason lost and the record refused",
		File:     "internal/pipeline/record.go",
		Old:      "\tif o.t.unread.line != 0 {\n",
		New:      "\tif o.t.unread.col != 0 {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "FuzzHeldRecord",
	},
})
