package main

// mixed29Mutations hold session 29's rule that row order does not change
// what is sent: an order whose rows spell its id otherwise (a text
// formula and plain text on the upgrade night from c55587c, a full-width
// and a plain id after the fold's) takes the legacy id of whichever row
// carries one, in the upload and in the dry-run's held count.
var mixed29Mutations = register([]mutation{
	{
		Name:     "mixed29/respell-skipped",
		Why:      "an order whose plain row comes first would send a conversion without the wrapped spelling's legacy id: the ledger does not find it, and the visit is sent again",
		File:     "internal/pipeline/settle.go",
		Old:      "\t\ts.respell(o) // an order whose rows spell its id otherwise, its booking too (spellings.go)\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderMixingSpellings",
	},
	{
		Name:     "mixed29/prepared-not-re-asked",
		Why:      "the dry-run's count of what the ledger holds would miss the mixed order: it says an upload sends 4 where the upload sends 3",
		File:     "internal/pipeline/spellings.go",
		Old:      "\t\t\ts.respeller.Respell(cv.Prepared, cv.Platform, id)\n",
		New:      "\t\t\t_ = id\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnOrderMixingSpellingsIsNotSentAgainInAnyRowOrder",
	},
	{
		Name:     "mixed29/ledger-ignores-respelled-id",
		Why:      "the dry-run's re-ask would not look the new legacy id up: its count would differ from the upload's",
		File:     "internal/ledger/peekheld.go",
		Old:      "\treturn h.dual(p, salt(d.Key), key, legacy)\n",
		New:      "\treturn key + 0*salt(d.Key)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnOrderMixingSpellingsIsNotSentAgainInAnyRowOrder",
	},
	{
		Name:     "mixed29/plain-after-spelled-not-mixed",
		Why:      "a wrapped row reaching Google alone before a plain row reaching Meta too would send Meta the plain row's conversion without a legacy id",
		File:     "internal/pipeline/spellings.go",
		Old:      "\t\tmixed = spelled\n",
		New:      "\t\tmixed = spelled && false\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderMixingSpellingsTakesItsLegacyIDAtEachDestination",
	},
	{
		Name:     "mixed29/two-legacies-not-mixed",
		Why:      "an order whose rows carry two legacy ids would take its first row's: row order would decide which id the ledger is asked",
		File:     "internal/pipeline/spellings.go",
		Old:      "\t\tmixed = had && !same || plain\n",
		New:      "\t\tmixed = plain || had && !same && false\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderMixingSpellingsTakesItsLegacyIDInAnyRowOrder",
	},
	{
		Name:     "mixed29/larger-legacy-kept",
		Why:      "of two legacy ids the later row's would win over the smaller: row order would decide",
		File:     "internal/pipeline/spellings.go",
		Old:      "\t\tif bytes.Compare(b, id) <= 0 {\n",
		New:      "\t\tif bytes.Compare(b, id) > 0 {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderMixingSpellingsTakesItsLegacyIDInAnyRowOrder",
	},
	{
		Name:     "mixed29/legacy-not-recorded",
		Why:      "compare would never see a row's legacy id: every mixed order sent as its first row was",
		File:     "internal/pipeline/orderrows.go",
		Old:      "rec = or.appendLegacy(rec, o.spelled, o.prior,",
		New:      "rec = or.appendLegacy(rec, false, o.prior,",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnOrderMixingSpellings",
	},
	{
		Name:     "mixed29/bound-ignored",
		Why:      "the legacy ids of mixed orders would be kept however many there are: memory growing with the export",
		File:     "internal/pipeline/spellings.go",
		Old:      "\tif or.mixed > maxMixedOrders {\n",
		New:      "\tif false {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTooManyOrdersMixingSpellingsStopBeforeSending",
	},
})
