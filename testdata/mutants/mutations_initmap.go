package main

// initmapMutations hold the review that ran config init, inspect, check and
// a dry-run on exports in public clinic-system layouts (Cliniko, Zenoti,
// Pabau, 维乐口腔, Centaur D4W): columns that are no consent offered or
// accepted as the consent, a group id proposed as the order id, consent
// words hidden, a person's column proposed as the source.
var initmapMutations = register([]mutation{
	{
		Name:     "initmap/arrival-is-a-consent-candidate",
		Why:      "Cliniko's \"Did Not Arrive\" (true/false) would be offered as the consent: mapped so, its true sends the no-shows as consented",
		File:     "internal/inspect/mapping.go",
		Old:      `vetoed("consent", c.Header) || ConsentHeaderProblem(c.Header) != "" ||`,
		New:      `vetoed("consent", c.Header) ||`,
		Packages: []string{"./internal/inspect"},
		Run:      "TestArrivalFlagIsTheStatusNeverTheConsent",
	},
	{
		Name:     "initmap/arrival-flag-not-the-status",
		Why:      "a true/false \"Patient Arrived\" would lose the status again: every row counts as a visit, no-shows included",
		File:     "internal/inspect/mapping.go",
		Old:      "\t\tcase e.consentWords >= 0.5 && arrivalFlag(header):\n",
		New:      "\t\tcase e.consentWords >= 0.5 && arrivalFlag(header) && false:\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestArrivalFlagIsTheStatusNeverTheConsent",
	},
	{
		Name:     "initmap/consent-header-accepted",
		Why:      "config validate and the dry-run would accept \"Patient Arrived\" or \"Accepted Email Marketing\" as the consent and send patients who never agreed",
		File:     "internal/run/consentheader.go",
		Old:      `if why := inspect.ConsentHeaderProblem(h); why != "" {`,
		New:      `if why := inspect.ConsentHeaderProblem(h); why == "-" {`,
		Packages: []string{"./internal/cli"},
		Run:      "TestConsentColumnThatIsNoConsentRefused",
	},
	{
		Name:     "initmap/repeated-order-id-not-penalised",
		Why:      "a column of ids shared by several rows (Zenoti's appointment group id) would be proposed as the order id: the group's other visits dropped as duplicate_order, one guest's refusal withdrawing another's visit",
		File:     "internal/inspect/mapping.go",
		Old:      "\t\tcase key == \"order_id\" && e.repeated:\n",
		New:      "\t\tcase key == \"order_id\" && e.repeated && false:\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestRepeatedOrderIDAsked",
	},
	{
		Name:     "initmap/repeats-uncounted-past-the-distinct-cap",
		Why:      "an export with more than 64 ids, each repeated, would have its repeats unseen and the column proposed as the order id",
		File:     "internal/inspect/inspect.go",
		Old:      "\t\t\t\t\tst.repeats++\n",
		New:      "\t\t\t\t\tst.repeats += 0\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestRepeatedOrderIDAsked",
	},
	{
		Name:     "initmap/ticks-unknown",
		Why:      "a consent column of ✓ (or Phorest's \"Opted in\") would be hidden again: config init proposes no granted word and says nothing of what the column holds",
		File:     "internal/consent/consent.go",
		Old:      `"opt in", "opted in", "同意", "是", "√", "✓", "✔", "☑", "已同意"}`,
		New:      `"同意", "是", "√", "已同意"}`,
		Packages: []string{"./internal/inspect"},
		Run:      "TestOptInWordsAndTicksShown",
	},
	{
		Name:     "initmap/no-where-to-look",
		Why:      "config init would say the consent values are not shown, and not where a person reads them",
		File:     "internal/cli/configinit.go",
		Old:      "\t\t\tw(\"  # look at the column in the export, and list the values that mean the same.\\n\")\n",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnknownConsentWordsSayWhereToLook",
	},
})
