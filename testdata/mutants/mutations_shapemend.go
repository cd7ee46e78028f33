package main

// shapemendMutations hold the patient-key shape against another clinic's
// rows: in a chain's joined export under input.other_clinic_rows: exclude,
// other branches' keys diluted this branch's renumbering below half.
var shapemendMutations = register([]mutation{
	{
		Name:     "shapemend/other-clinics-keys-counted",
		Why:      "another branch's excluded rows would count in this clinic's key shape again, hiding its renumbering",
		File:     "internal/pipeline/idshape.go",
		Old:      "\tif o.reason != ReasonOtherClinic {\n\t\t// Another branch's keys",
		New:      "\tif true {\n\t\t// Another branch's keys",
		Packages: []string{"./internal/cli"},
		Run:      "TestOtherClinicsKeysDoNotHideARenumbering",
	},
})
