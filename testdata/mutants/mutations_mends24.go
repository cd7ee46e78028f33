package main

// mends24Mutations hold the day's mends after its own diff review.
var mends24Mutations = register([]mutation{
	{
		Name:     "mends24/rounded-weight-summed-over-ids",
		Why:      "the rounded-id weight summed over ids again: sixty moved visits of genuine 16-digit ids (one in ten ends in 0) stop every night of such a clinic, with no way past",
		File:     "internal/pipeline/rounded.go",
		Old:      "\tif v.weight > g.evidence {\n\t\tg.evidence = v.weight\n",
		New:      "\tif v.weight > 0 {\n\t\tg.evidence += int(n.zeros)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRoundedOrderIDByChance",
	},
})
