package main

// agejudged25Mutations hold what a run says of the age rule: that no age
// was judged (no input.columns.birth_date), and how many rows went with a
// blank birth date — both were silent while children were sent (a
// family-practice review, 2026-12-07) — and config init's
// require_birth_date over an export whose birth dates are all filled.
var agejudged25Mutations = register([]mutation{
	{
		Name:     "agejudged25/not-judged-unsaid",
		Why:      "a run with no birth date mapped would send minors with no word in the summary",
		File:     "internal/report/age.go",
		Old:      "\t\treturn ageNotJudgedLine\n",
		New:      "\t\treturn \"\"\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestAgeNotJudgedIsSaid",
	},
	{
		Name:     "agejudged25/always-judged",
		Why:      "the run report would say age_judged: true of a run that judged no age",
		File:     "internal/run/prepare.go",
		Old:      "p.sum.SetAgeJudged(p.cfg.MinAge() > 0)",
		New:      "p.sum.SetAgeJudged(true)",
		Packages: []string{"./internal/cli"},
		Run:      "TestAgeNotJudgedIsSaid",
	},
	{
		Name:     "agejudged25/blank-birth-date-unnoted",
		Why:      "rows sent with a blank birth date would go uncounted beside the minors excluded",
		File:     "internal/pipeline/patient.go",
		Old:      "o.noAge = raw == \"\"",
		New:      "o.noAge = false",
		Packages: []string{"./internal/cli"},
		Run:      "TestBlankBirthDatesAreCounted",
	},
	{
		Name:     "agejudged25/every-used-row-noted",
		Why:      "every row sent would be counted as sent without an age, the adults' with a birth date too",
		File:     "internal/pipeline/patient.go",
		Old:      "\tif o.noAge {\n",
		New:      "\tif o.noAge || true {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestBlankBirthDatesAreCounted",
	},
	{
		Name:     "agejudged25/flag-not-held",
		Why:      "the blank birth date would be lost when the row is held until the export's end, and go uncounted",
		File:     "internal/pipeline/samenightids.go",
		Old:      "{o.noAge, recNoAge}",
		New:      "{false, recNoAge}",
		Packages: []string{"./internal/pipeline", "./internal/cli"},
		Run:      "FuzzHeldRecord|TestBlankBirthDatesAreCounted",
	},
	{
		Name:     "agejudged25/check-blank-uncounted",
		Why:      "check would pass a fixture of blank birth dates without saying no age was judged of them",
		File:     "internal/run/check.go",
		Old:      "rep.BirthDateBlank += sum.Notes[pipeline.NoteBirthDateBlank]",
		New:      "rep.BirthDateBlank += 0 * sum.Notes[pipeline.NoteBirthDateBlank]",
		Packages: []string{"./internal/cli"},
		Run:      "TestBlankBirthDatesAreCounted",
	},
	{
		Name:     "agejudged25/init-require-over-blanks",
		Why:      "config init would require a birth date of an export that leaves some blank, excluding those rows every night",
		File:     "internal/inspect/agecolumns.go",
		Old:      "return c.Filled > 0 && c.Filled+p.FooterLines >= p.Rows",
		New:      "return c.Filled > 0",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitRequiresABirthDateWhenEveryRowHasOne",
	},
	{
		Name:     "agejudged25/init-never-requires",
		Why:      "config init would leave require_birth_date off over an export whose birth dates are all filled",
		File:     "internal/cli/configinit_questions.go",
		Old:      "\tcase p.BirthDateEveryRow():\n",
		New:      "\tcase false && p.BirthDateEveryRow():\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitRequiresABirthDateWhenEveryRowHasOne",
	},
})
