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
})
