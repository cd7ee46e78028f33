package main

// roundevid24Mutations hold the long ids' rounding check to real evidence
// (a review: the kept counts were the last night's alone, and a genuine id
// was taken to end in zeros one time in 10^zeros only, so a clinic of
// three .NET-ticks ids a night stopped about one night in 64): the nights'
// counts added up and fading, at least longEvidence kept before either
// side counts, tonight's judged at the kept share, and a night passed with
// --accept-new-ids the clinic's form from then on.
var roundevid24Mutations = register([]mutation{
	{
		Name:     "roundevid24/last-night-only",
		Why:      "the kept counts would be the last night's alone: a clinic of three long ids a night never reaches the evidence, and a re-saved copy is sent again under other ids",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\tout := LongShape{Long: prior.Long + s.Long, Rounded: prior.Rounded + s.Rounded, Zeros: prior.Zeros + s.Zeros}",
		New:      "\tout := s",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestReSaveAfterSmallNightsStops",
	},
	{
		Name:     "roundevid24/no-fade",
		Why:      "old nights would never fade, and the kept counts grow without bound",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\tif out.Long > 2*longMemory {",
		New:      "\tif out.Long < 0 {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestLongShapeKeptAddsNightsUp",
	},
	{
		Name:     "roundevid24/kept-none-means-never",
		Why:      "kept ids none of which ended in zeros would make a genuine id ending in 000 one in a thousand: a ticks clinic's week of none, then three ending in 000, stops",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\tper := -math.Log10(kept.share())",
		New:      "\tper := -math.Log10(float64(kept.Rounded) / float64(kept.Long))",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestTicksClinicsNightsGoThrough",
	},
	{
		Name:     "roundevid24/kept-rounded-without-evidence",
		Why:      "one night's three genuine ids ending in 000 would make the kept counts rounded, and the next larger night stop the other way",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\treturn s.Long >= longEvidence && beyond(s.Long, s.Rounded, float64(s.Zeros))",
		New:      "\treturn beyond(s.Long, s.Rounded, float64(s.Zeros))",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestGenuineIDsEndingInZerosGoThrough",
	},
	{
		Name:     "roundevid24/kept-full-without-evidence",
		Why:      "a handful of kept ids without zeros would be taken for the clinic's form, and a night of ids ending in 000 judged against it",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\treturn s.Long >= longEvidence && 2*s.Rounded < s.Long",
		New:      "\treturn 2*s.Rounded < s.Long",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestGenuineIDsEndingInZerosGoThrough",
	},
	{
		Name:     "roundevid24/reverse-chance-ignored",
		Why:      "tonight's few ids without zeros would stop against kept counts most of whose ids ended in 000 by chance (a ticks clinic's unlucky first week)",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\treturn beyond(s.Long, n, -math.Log10(1-kept.share())*float64(n))",
		New:      "\treturn beyond(s.Long, n, roundedEvidence)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestGenuineIDsEndingInZerosGoThrough",
	},
	{
		Name:     "roundevid24/accepted-added-up",
		Why:      "a form passed with --accept-new-ids would be a minority of the kept counts, and a night back in the other form send every visit again",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\tif accepted && (s.roundedOver(prior) || s.fullOver(prior)) {",
		New:      "\tif false && accepted {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestLongShapeKeptAddsNightsUp",
	},
	{
		Name:     "roundevid24/accepted-below-evidence",
		Why:      "a night of 12 accepted would be too few to judge by, and the next night back in the other form send every visit again",
		File:     "internal/pipeline/roundshape.go",
		Old:      "\t\tif s.Long < longEvidence {",
		New:      "\t\tif s.Long < 0 {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestRoundedApartStops",
	},
})
