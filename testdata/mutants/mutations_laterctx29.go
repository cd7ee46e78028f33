package main

// laterctx29Mutations hold that the counts kept for once every row is
// settled are read back under the run's context, not the decoder's,
// which the settling cancels when it ends.
var laterctx29Mutations = register([]mutation{
	{
		Name:     "laterctx29/later-counts-under-cancelled-context",
		Why:      "an export of more than 1024 counts kept for later (orders of several rows) would end interrupted, exit 130, nothing sent",
		File:     "internal/pipeline/settle.go",
		Old:      "\t\terr = s.countLater(ctx)\n",
		New:      "\t\terr = s.countLater(dctx)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestManyRepeatedOrdersSettle",
	},
})
