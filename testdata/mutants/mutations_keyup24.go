package main

// keyup24Mutations hold the patient keys' shape after an upgrade from the
// 2026-12-06 ledger form (a review): a kind whose old range spans many
// lengths is judged by the windows of three lengths its keys spread
// over, so the first ordinary night after upgrading goes through; and
// rows are judged by a table of verdicts worked out once a run.
var keyup24Mutations = register([]mutation{
	{
		Name:     "keyup24/length-judged-alone",
		Why:      "a kind read from the old form over 11 lengths or more would carry under a tenth on each, and the first ordinary night after upgrading stop (exit 2), and every night after it",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tw += s.Lens[kind][l]",
		New:      "\t\tw = max(w, s.Lens[kind][l])",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestAnUpgradeReadsAWideOldRange|TestTheFirstNightAfterAnUpgradeGoesThrough",
	},
	{
		Name:     "keyup24/old-range-ends-unfolded",
		Why:      "the clinic's own length at an end of a typo-widened old range (6 in 6–30) would carry two parts of a window's three, and its nights stop",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tl := min(max(lo+j-1, lo), hi)",
		New:      "\t\tl := min(max(lo+j, lo), hi)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOldRangeIsNoWiderThanItWas",
	},
	{
		Name:     "keyup24/verdicts-off-by-one",
		Why:      "the table a run looks its rows up in would hold each length's neighbour's verdict, and a renumbering one length past the clinic's reach pass",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\t\tv[kind][l] = s.judge(kind, l, n, total)",
		New:      "\t\t\tv[kind][l] = s.judge(kind, min(l+1, keyLens-1), n, total)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestKeyVerdictsAreStrange",
	},
	{
		Name:     "keyup24/gate-without-verdicts",
		Why:      "the run's gate would judge no row, and a new numbering be sent with withdrawn patients among it",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tg.strange = g.prior.verdicts()\n",
		New:      "",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestKeyVerdictsAreStrange|TestANewPatientKeyShapeStops",
	},
})
