package main

// askstopMutations hold the newcomer's review of config init's open
// questions: written as empty values beside "# ASK:" comments, they
// validated, and an unanswered status question sent a Cliniko export's
// no-shows and cancellations as visits with exit 0.
var askstopMutations = register([]mutation{
	{
		Name:     "askstop/placeholder-not-refused",
		Why:      "config init's <ASK> would be cleared and not named: config validate says valid, and the dry-run counts every no-show as a visit",
		File:     "internal/config/unanswered.go",
		Old:      "\t\tif open {\n",
		New:      "\t\tif open && false {\n",
		Packages: []string{"./internal/config", "./internal/cli"},
		Run:      "TestOpenQuestionsRefused|TestOpenQuestionsStopEveryCommand",
	},
	{
		Name:     "askstop/status-written-empty",
		Why:      "config init would write the unanswered status question as an empty value again, which validates: every row a visit, no-shows included",
		File:     "internal/cli/configinit.go",
		Old:      `w("    %s: %q  # %s a column that says whether the patient came, or \"\" with conversion.every_row_is_a_visit: true\n", key, config.Unanswered, ask)`,
		New:      `w("    %s: %q  # %s a column that says whether the patient came, or \"\" with conversion.every_row_is_a_visit: true\n", key, "", ask)`,
		Packages: []string{"./internal/cli"},
		Run:      "TestOpenQuestionsStopEveryCommand",
	},
})

// askstopSummaryMutations: the run's summary names an outcome column left
// unmapped while every row counts as a visit.
var askstopSummaryMutations = register([]mutation{
	{
		Name:     "askstop/outcome-column-not-named",
		Why:      "a Cliniko export's did_not_arrive would go unnamed again: its no-shows sent as visits with only the general every-row line",
		File:     "internal/run/consentheader.go",
		Old:      "\t\tif !mapped[h] && inspect.OutcomeHeader(h) {\n",
		New:      "\t\tif !mapped[h] && inspect.OutcomeHeader(h) && false {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestArrivalsListAnswer",
	},
})
