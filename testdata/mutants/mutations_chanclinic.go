package main

// chanclinicMutations hold the clinic guard in `channels` (a review,
// 2026-12-07): a chain's joined export under one branch's config counted
// every branch's patients in its report, exit 0, under stop and exclude.
var chanclinicMutations = register([]mutation{
	{
		Name:     "chanclinic/guard-ignored",
		Why:      "channels would count another clinic's rows again: the joined export's totals under exclude, and a report printed with exit 0 under stop",
		File:     "internal/channels/rows.go",
		Old:      "\tif c.clinic != nil && c.clinic.Other(row) {\n",
		New:      "\tif c.clinic != nil && c.clinic.Other(row) && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsStopOnAnotherClinicsRows|TestChannelsExcludeLeavesOtherClinicsOut",
	},
	{
		Name:     "chanclinic/stop-not-returned",
		Why:      "under input.other_clinic_rows: stop the report of the clinic's own rows would print, exit 0, with nothing said of another clinic's export",
		File:     "internal/channels/rows.go",
		Old:      "\t\t\t\tif err := c.clinic.Err(\"no report was printed\", \"left out of every figure\"); err != nil {\n",
		New:      "\t\t\t\tif err := c.clinic.Err(\"no report was printed\", \"left out of every figure\"); err != nil && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsStopOnAnotherClinicsRows",
	},
	{
		Name:     "chanclinic/stop-counts-released",
		Why:      "a released report's stop would name how many of the export's rows are another clinic's, on the stderr cron mails with the report",
		File:     "internal/channels/rows.go",
		Old:      "\t\tc.clinic.Released()\n",
		New:      "\t\t_ = c.clinic\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsStopOnAnotherClinicsRows",
	},
	{
		Name:     "chanclinic/excluded-rows-read",
		Why:      "under exclude another clinic's rows would count among the rows read, which this report's stderr gives under --exact",
		File:     "internal/channels/rows.go",
		Old:      "\t\tt.stats.Rows--\n",
		New:      "\t\t_ = t.stats.Rows\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsExcludeLeavesOtherClinicsOut",
	},
	{
		Name:     "chanclinic/kind-not-named",
		Why:      "under exclude stderr would not say that rows of other clinics were left out",
		File:     "internal/channels/rows.go",
		Old:      "\t\t\tt.stats.OtherClinic++\n",
		New:      "\t\t\t_ = t.stats.OtherClinic\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestChannelsExcludeLeavesOtherClinicsOut",
	},
})
