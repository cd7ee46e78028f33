package main

// clinicguardMutations hold the clinic guard (input.columns.clinic,
// input.clinic_values, input.other_clinic_rows): clinic A's export run
// under clinic B's config was uploaded to B's accounts with exit 0 (a
// review, 2026-12-07, D1).
var clinicguardMutations = register([]mutation{
	{
		Name:     "clinicguard/no-stop",
		Why:      "another clinic's rows would no longer stop the run: its patients sent to this config's Google account and Meta dataset, exit 0",
		File:     "internal/pipeline/clinic.go",
		Old:      "\tif !t.on || !t.stop || t.other == 0 {\n",
		New:      "\tif !t.on || !t.stop || t.other >= 0 {\n",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestAnotherClinicsExportStopsBeforeAnythingIsSent|TestOneForeignRowAmongOwnStops|TestAnotherClinicsExportReachesNoPlatform",
	},
	{
		Name:     "clinicguard/empty-cell-passes",
		Why:      "a row whose clinic cell is blank would pass as this clinic's: an export naming no clinic is no export of this one",
		File:     "internal/pipeline/clinic.go",
		Old:      "\tif len(c.buf) > 0 && c.own[string(c.buf)] {",
		New:      "\tif len(c.buf) == 0 || c.own[string(c.buf)] {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAnotherClinicsExportStopsBeforeAnythingIsSent",
	},
	{
		Name:     "clinicguard/unfolded",
		Why:      "the listed values would compare as written: a re-saved export (007 as 7, full-width, another case) stops every night",
		File:     "internal/config/clinic.go",
		Old:      "func ClinicKey(buf []byte, s string) []byte { return consent.Key(buf, s) }",
		New:      "func ClinicKey(buf []byte, s string) []byte { _ = consent.Key; return append(buf, s...) }",
		Packages: []string{"./internal/pipeline", "./internal/config"},
		Run:      "TestClinicValuesCompareAsTheExportsCellsDo|TestClinicKeyFolds",
	},
	{
		Name:     "clinicguard/foreign-withdrawals-remembered",
		Why:      "a stopped foreign export's withdrawals would be remembered by this clinic's ledger: its own patients of the same chart numbers kept out for good",
		File:     "internal/run/upload.go",
		Old:      " && !errors.As(runErr, &other)\n",
		New:      " && other == nil\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAnotherClinicsExportReachesNoPlatform",
	},
	{
		Name:     "clinicguard/column-without-values",
		Why:      "a clinic column without values would validate: every row then stops, or with exclude every row is excluded, and nobody is told why",
		File:     "internal/config/clinic.go",
		Old:      "\tcase col != \"\" && len(vals) == 0:\n",
		New:      "\tcase col != \"\" && len(vals) < 0:\n",
		Packages: []string{"./internal/config"},
		Run:      "TestValidateClinic",
	},
	{
		Name:     "clinicguard/exclude-not-excluding",
		Why:      "under other_clinic_rows: exclude another branch's rows would be sent",
		File:     "internal/pipeline/decide.go",
		Old:      "o.clinic.other && r.clinics.exclude {",
		New:      "o.clinic.other && r.clinics.exclude && false {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestOtherClinicRowsExcludeCountsThem",
	},
})
