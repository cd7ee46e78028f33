package main

// smallkeys24Mutations hold the patient keys' shape stop to small
// clinics (a review of its limits: a night of fewer than 20 keys was
// never judged): tonight's keys are counted with the last nights', a
// small night mostly of a new kind teaches nothing while a walk-in among
// a night's keys does, and the nights are read only beside the shape
// they were kept with.
var smallkeys24Mutations = register([]mutation{
	{
		Name:     "smallkeys24/small-nights-never-counted",
		Why:      "a small clinic's nights would each be judged alone, and a new numbering at 6 keys a night go on night after night",
		File:     "internal/pipeline/keynights.go",
		Old:      "\t\tif keys+t > keyEvidence {",
		New:      "\t\tif keys+t > 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsRenumberingStops",
	},
	{
		Name:     "smallkeys24/nights-not-recorded",
		Why:      "each upload would keep its own keys alone as the last nights', and a small clinic's renumbering never add up to a stop",
		File:     "internal/run/keyshape.go",
		Old:      "s.nights.Next(s.seen.Keys, input)",
		New:      "pipeline.KeyNights(nil).Next(s.seen.Keys, input)",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsRenumberingStops",
	},
	{
		Name:     "smallkeys24/mostly-new-small-night-teaches",
		Why:      "a new numbering's first small night would teach its kind to a young kept shape, and the second night, which the stop judges, pass",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tcase 2*prior.departing(&s) > st:",
		New:      "\t\tcase st < 0:",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsRenumberingStops",
	},
	{
		Name:     "smallkeys24/small-night-minority-never-learnt",
		Why:      "a small clinic's walk-ins, a minority of every night, would never become its own kind, and a walk-in Saturday stop the nightly upload",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tcase 2*prior.departing(&s) > st:",
		New:      "\t\tcase st < keyEvidence:",
		Packages: []string{"./internal/cli"},
		Run:      "TestASmallClinicsMonthGoesThrough",
	},
	{
		Name:     "smallkeys24/few-keys-judged",
		Why:      "a night of a few keys of another kind (10 test patients) would stop by itself, with less evidence than a night of 20 needs",
		File:     "internal/pipeline/keyshape.go",
		Old:      "|| 2*departing <= keyEvidence ||",
		New:      "||",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestSmallNightsAreJudgedTogether",
	},
	{
		Name:     "smallkeys24/tonights-minority-stops",
		Why:      "an ordinary night after two odd ones would stop for the keys of the nights before it",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\tif 2*g.changed <= total || 2*departing",
		New:      "\tif 2*departing",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestSmallNightsAreJudgedTogether",
	},
	{
		Name:     "smallkeys24/nights-read-whatever-shape",
		Why:      "nights kept before an older hashgate rewrote the shape would be read as the last ones, and nights long gone judged with tonight's",
		File:     "internal/ledger/keyshape.go",
		Old:      "ok && tag == nightsTag(shape)",
		New:      "ok && (tag == nightsTag(shape) || shape != \"\")",
		Packages: []string{"./internal/ledger"},
		Run:      "TestPatientKeyNightsFollowTheirShape",
	},
})
