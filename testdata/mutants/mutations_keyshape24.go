package main

// keyshape24Mutations hold the patient keys' shape to the shares its
// kinds and lengths carry (a review of its limits): a lone mistyped key
// widens nothing, a kind used night after night (walk-ins) is the
// clinic's, --accept-new-ids makes tonight's shape the clinic's, and old
// nights fade.
var keyshape24Mutations = register([]mutation{
	{
		Name:     "keyshape24/lone-outlier-is-a-share",
		Why:      "one mistyped key would widen its kind's lengths (or make its kind known) for good, and a new numbering at the next length pass unseen",
		File:     "internal/pipeline/keyshape.go",
		Old:      "func usual(n, whole int) bool { return n >= 2 && n*keyShare >= whole }",
		New:      "func usual(n, whole int) bool { return n >= 1 }",
		Packages: []string{"./internal/cli"},
		Run:      "TestALoneMistypedKeyHidesNoRenumbering",
	},
	{
		Name:     "keyshape24/judged-minority-never-learnt",
		Why:      "a kind the clinic uses some days (walk-ins), first seen after the first night, would never be kept, and a walk-in day stop the nightly upload",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tcase 2*prior.departing(&s) > st:",
		New:      "\t\tcase st > 0:",
		Packages: []string{"./internal/cli"},
		Run:      "TestAWalkInDayGoesThrough",
	},
	{
		Name:     "keyshape24/shape-summed-per-destination",
		Why:      "the one shape kept at each destination would be summed, doubling every night, and tonight's keys weigh ever less: a walk-in kind never gains its share",
		File:     "internal/run/keyshape.go",
		Old:      "\t\tif !ok || read[v] {",
		New:      "\t\tif !ok {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAWalkInDayGoesThrough",
	},
	{
		Name:     "keyshape24/accepted-weighs-as-a-night",
		Why:      "a new numbering passed with --accept-new-ids would carry no share of the kept keys and stop again the nights after",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\t\tif st < pt {",
		New:      "\t\t\tif st < 0 {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestKeyShapeKeptIsTheNightsUnion",
	},
	{
		Name:     "keyshape24/no-memory-limit",
		Why:      "old nights would never fade: a lone outlier stays, and a kind that became the clinic's needs ever more nights to gain its share",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\tif t := out.Total(); t > keyMemory {",
		New:      "\tif t := out.Total(); t < 0 {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestKeyShapeKeptIsTheNightsUnion",
	},
	{
		Name:     "keyshape24/old-form-read-empty",
		Why:      "a ledger of 2026-12-06 would read as no keys of its kinds, and its clinic's own keys stop the first upload after the upgrade",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\ts.Lens[kind][l] += (j+1)*n/(w+2) - j*n/(w+2)",
		New:      "\t\ts.Lens[kind][l] += 0 * n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestKeyShapeKindsAndText",
	},
})

// keyshape24IDMutations hold the order ids' shape and zone per
// destination, as the patient keys' shape is: kept per column alone,
// clinics sharing the default ledger stopped each other.
var keyshape24IDMutations = register([]mutation{
	{
		Name:     "keyshape24/order-id-shape-per-column-alone",
		Why:      "clinics sharing the default ledger would stop each other on alternate nights, one's padded ids the other's lost zeros",
		File:     "internal/ledger/idshape.go",
		Old:      "\treturn colsKey(\"order_id_shape:\"+dest+\":\", cols)",
		New:      "\treturn colsKey(\"order_id_shape:\", cols)",
		Packages: []string{"./internal/cli"},
		Run:      "TestClinicsSharingALedgerKeepTheirOwnOrderIDShapes",
	},
	{
		Name:     "keyshape24/order-id-zone-per-column-alone",
		Why:      "one clinic's timezone would be the zone another's ids are compared in, and its ordinary night stop as moved times",
		File:     "internal/ledger/idshape.go",
		Old:      "\treturn colsKey(\"order_id_zone:\"+dest+\":\", cols)",
		New:      "\treturn colsKey(\"order_id_zone:\", cols)",
		Packages: []string{"./internal/ledger"},
		Run:      "TestOrderIDShapesAreKeptPerDestination",
	},
	{
		Name:     "keyshape24/older-order-id-shape-unread",
		Why:      "the first upload after the upgrade would compare with nothing, and an export a spreadsheet stripped of its zeros that night be sent again under new ids",
		File:     "internal/ledger/idshape.go",
		Old:      "\tif shape, err = l.metaValue(ctx, idShapeKey(cols)); err != nil || shape == \"\" {",
		New:      "\tif shape, err = \"\", error(nil); err != nil || shape == \"\" {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestOrderIDShapesAreKeptPerDestination",
	},
})
