package main

// minorsMutations hold the age and expiry rules (consent/patient.go): a
// minor's visit, an expired consent, a birth date read with a year it
// never had, and the config's refusal to take a birth date as a key.
var minorsMutations = register([]mutation{
	{
		Name:     "minors/birthday-is-still-a-minor",
		Why:      "a patient on their eighteenth birthday would be excluded as minor, contrary to Civil Code Art. 124 (age counts from the day of birth)",
		File:     "internal/consent/patient.go",
		Old:      "\tif visit.Before(time.Date(by+p.minAge, bm, bd, 0, 0, 0, 0, time.UTC)) {\n",
		New:      "\tif !visit.After(time.Date(by+p.minAge, bm, bd, 0, 0, 0, 0, time.UTC)) {\n",
		Packages: []string{"./internal/consent", "./internal/pipeline"},
		Run:      "TestAPatientUnderTheMinimumAgeIsAMinor|TestAMinorIsExcludedAndCounted",
	},
	{
		Name:     "minors/age-off-by-a-year",
		Why:      "a seventeen-year-old's visit would be sent",
		File:     "internal/consent/patient.go",
		Old:      "time.Date(by+p.minAge, bm, bd,",
		New:      "time.Date(by+p.minAge-1, bm, bd,",
		Packages: []string{"./internal/consent", "./internal/pipeline"},
		Run:      "TestAPatientUnderTheMinimumAgeIsAMinor|TestAMinorIsExcludedAndCounted",
	},
	{
		Name:     "minors/unreadable-birth-date-passes",
		Why:      "an unreadable birth date would be taken as an adult's and the visit sent",
		File:     "internal/consent/patient.go",
		Old:      "\tcase in.HasBorn && in.BornErr != nil:\n\t\treturn ReasonBirthDateInvalid\n",
		New:      "\tcase in.HasBorn && in.BornErr != nil:\n\t\treturn \"\"\n",
		Packages: []string{"./internal/consent", "./internal/pipeline"},
		Run:      "TestAPatientUnderTheMinimumAgeIsAMinor|TestAMinorIsExcludedAndCounted",
	},
	{
		Name:     "minors/birth-date-with-the-default-year",
		Why:      "a birth date printed without a year would take input.default_year and read as a child's or an adult's by chance",
		File:     "internal/pipeline/patient.go",
		Old:      "o.Location, o.DefaultYear = consent.WallDates(), 0",
		New:      "o.Location = consent.WallDates()",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestABirthDateIsNeverGivenAYear",
	},
	{
		Name:     "minors/expiry-only-at-the-visit",
		Why:      "a consent that expired after the visit and before the night's send would be sent on a disclosure it no longer covers",
		File:     "internal/consent/patient.go",
		Old:      "!in.Now.IsZero() && !in.Now.Before(in.Expires)",
		New:      "false",
		Packages: []string{"./internal/consent", "./internal/pipeline"},
		Run:      "TestAnExpiredConsentCoversNeitherTheVisitNorTheSend|TestAnExpiredConsentIsNotSent",
	},
	{
		Name:     "minors/run-clock-not-given",
		Why:      "the run's clock would not reach the policy: a consent expired since the visit would be sent",
		File:     "internal/pipeline/patient.go",
		Old:      "\tin.Now = r.pat.sendAt\n",
		New:      "",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "TestAnExpiredConsentIsNotSent|TestCheckJudgesAgeAndExpiryAsTheUploadDoes",
	},
	{
		Name:     "minors/birth-date-as-patient-key",
		Why:      "a birth date column mapped as the patient key too would be hashed into Meta's external_id",
		File:     "internal/config/patient.go",
		Old:      "\t\tif other := c.otherColumnKey(own.key, own.header); other != \"\" {\n",
		New:      "\t\tif other := c.otherColumnKey(own.key, own.header); other != \"\" && false {\n",
		Packages: []string{"./internal/config"},
		Run:      "TestValidatePatient",
	},
	{
		Name:     "minors/birth-date-column-unjudged",
		Why:      "a birth date column re-saved day/month would exclude every row as birth_date_invalid with exit 0",
		File:     "internal/pipeline/settle.go",
		Old:      "fitBirthDate: \"birth_date\", ",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestAReSavedBirthDateColumnStopsTheRun",
	},
})
