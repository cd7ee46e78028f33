package main

// guardiandob25Mutations hold the review that found config init mapping a
// guardian's birth date (guardian_date_of_birth, 家長生日) or a place of
// birth (出生地) as the patient's, and config validate and every run
// accepting it: the age rule (consent.min_age) then passed children as
// adults.
var guardiandob25Mutations = register([]mutation{
	{
		Name:     "guardiandob25/guardian-birth-date-proposed",
		Why:      "config init would map guardian_date_of_birth (the first birth-named column) as the patient's: a dry-run sent children of 10 and 14 as adults",
		File:     "internal/inspect/agecolumns.go",
		Old:      `return p.headerNamed(foldedBirth(), func(h string) bool { return BirthDateHeaderProblem(h) != "" })`,
		New:      `return p.headerNamed(foldedBirth(), func(h string) bool { return false })`,
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestBirthDateOfAnotherPersonNeverTheBirthDate|TestConfigInitMapsThePatientsBirthDateNotTheGuardians",
	},
	{
		Name:     "guardiandob25/another-persons-birth-date-accepted",
		Why:      "a header naming a guardian, a parent or an emergency contact would pass as the birth date, in config init and in config validate and every run alike",
		File:     "internal/inspect/agecolumns.go",
		Old:      "\tcase h.without(w.subscriber).has(w.birthOthers) || h.has(w.parentChars):\n",
		New:      "\tcase false:\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestBirthDateOfAnotherPersonNeverTheBirthDate",
	},
	{
		Name:     "guardiandob25/place-of-birth-accepted",
		Why:      "出生地 (place of birth) would be proposed and accepted as the birth date: every row birth_date_invalid, no age judged",
		File:     "internal/inspect/agecolumns.go",
		Old:      "\tcase h.has(w.birthNotDate):\n",
		New:      "\tcase false:\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestBirthDateOfAnotherPersonNeverTheBirthDate",
	},
	{
		Name:     "guardiandob25/validate-accepts-guardian-birth-date",
		Why:      "config validate and the dry-run would accept birth_date: guardian_date_of_birth, and the run would judge each child's age by the guardian's birth date",
		File:     "internal/run/consentheader.go",
		Old:      "\terrs := []error{birthDateHeaderError(cfg)}\n",
		New:      "\tvar errs []error\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestBirthDateOfAnotherPersonRefused",
	},
})
