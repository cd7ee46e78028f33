package main

// keyshapefixMutations hold the patient keys' shape stop to ordinary
// nights (a review of the day it landed): clinics sharing the default
// ledger keep their own shapes, unpadded chart numbers of several lengths
// stop nothing, a minority of another kind stops nothing and teaches
// nothing, and most of another kind still stops.
var keyshapefixMutations = register([]mutation{
	{
		Name:     "keyshapefix/any-key-unlike-stops",
		Why:      "a night with a few keys of another kind (a test patient, a typo) would stop the nightly upload",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\tif 2*g.changed <= total || 2*departing <= keyEvidence || 2*departing <= keys {",
		New:      "\tif g.changed == 0 || departing == 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnpaddedChartNumbersGoThrough",
	},
	{
		Name:     "keyshapefix/shape-per-column-alone",
		Why:      "clinics sharing the default ledger would stop each other on alternate nights, each on the other's numbering",
		File:     "internal/ledger/keyshape.go",
		Old:      "colsKey(\"patient_key_shape:\"+dest+\":\", []string{col})",
		New:      "colsKey(\"patient_key_shape:\", []string{col})",
		Packages: []string{"./internal/cli"},
		Run:      "TestClinicsSharingALedgerKeepTheirOwnKeyShapes",
	},
	{
		Name:     "keyshapefix/minority-teaches-its-kind",
		Why:      "a night too small to judge would teach the new kind its keys are of, and a new numbering in it go on unjudged the night it takes over (a judged night's minority joins as the share it is: keyshape24)",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\t\tcase 2*prior.departing(&s) > st:",
		New:      "\t\tcase st < 0:",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestKeyShapeKeptIsTheNightsUnion",
	},
	{
		Name:     "keyshapefix/kept-is-tonights-alone",
		Why:      "the kept shape would be the last night's alone, and a night of short chart numbers forget the long ones",
		File:     "internal/pipeline/keyshape.go",
		Old:      "\tout := s.Merge(prior)\n",
		New:      "\tout := s\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestKeyShapeKeptIsTheNightsUnion",
	},
})
