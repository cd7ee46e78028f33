package main

// placeholder25Mutations hold input.not_patient_identifiers (session 25):
// the clinic's own e-mail or phone, or a placeholder it types on every
// chart, is no patient's value — never sent as one, never the identifier
// one withdrawal withdraws every other chart by.
var placeholder25Mutations = register([]mutation{
	{
		Name:     "placeholder25/withdraw-by-listed",
		Why:      "a withdrawing row carrying the clinic's listed placeholder address would again withdraw every other row carrying it (40 patients, one revokes: 0 sent)",
		File:     "internal/pipeline/samenightids.go",
		Old:      "\t\t\t\tif err != nil || n == \"\" || r.notPatient.Has(c.field, n) {\n",
		New:      "\t\t\t\tif err != nil || n == \"\" {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestNotPatientIdentifiers",
	},
	{
		Name:     "placeholder25/unvalidated",
		Why:      "an entry of input.not_patient_identifiers that reads as no e-mail or phone (a typo, two numbers in one) would be skipped in silence, and the clinic's placeholder still withdraw every chart",
		File:     "internal/config/validate.go",
		Old:      "\tif _, err := c.NotPatient(); err != nil {\n",
		New:      "\tif _, err := c.NotPatient(); err != nil && false {\n",
		Packages: []string{"./internal/config"},
		Run:      "TestNotPatientIdentifiersValidated",
	},
	{
		Name:     "placeholder25/send-listed",
		Why:      "the clinic's listed placeholder address would be hashed and sent to Meta and Google as each patient's identifier",
		File:     "internal/pipeline/notpatient.go",
		Old:      "\t\tif n, err := identifier.Canonical(f, v, r.opt); err == nil && r.notPatient.Has(f, n) {\n",
		New:      "\t\tif n, err := identifier.Canonical(f, v, r.opt); err == nil && r.notPatient.Has(f, n) && false {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestNotPatientIdentifiersWithdrawNothing",
	},
})
