package main

// probesMutations hold a reviewer's probe mutants that survived the
// suite of session 20: each a rule no test held.
var probesMutations = register([]mutation{
	{
		Name:     "probes/senttime-counts-validations",
		Why:      "a validation's unanswered request would give its time to the real send: Meta could deduplicate the real event against a test that never counted",
		File:     "internal/ledger/senttime.go",
		Old:      "WHERE `+unansweredReal()+` AND d.key = ? AND r.at >= ? ORDER BY r.id DESC`",
		New:      "WHERE o.request IS NULL AND r.sent AND d.key = ? AND r.at >= ? ORDER BY r.id DESC`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestAnUnansweredTestRequestKeepsNoSentTime",
	},
	{
		Name:     "probes/forget-counts-validations",
		Why:      "ledger forget would count a validation's unanswered events as deliveries a platform could still take, refusing or warning for nothing",
		File:     "internal/ledger/forgetwindow.go",
		Old:      "(`+unansweredReal()+`))`",
		New:      "(o.request IS NULL AND r.sent))`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestSendableAfterCountsNoValidation",
	},
	{
		Name:     "probes/prepare-consent-header-unchecked",
		Why:      "hashgate write would take an appointment flag (Patient Arrived) or a channel consent as the ad consent and write every such patient to the file, exit 0",
		File:     "internal/run/prepare.go",
		Old:      "\tif err := consentHeaderErrors(cfg); err != nil {\n\t\treturn nil, err\n\t}\n\tp := &prepared{",
		New:      "\tif err := consentHeaderErrors(cfg); err != nil && false {\n\t\treturn nil, err\n\t}\n\tp := &prepared{",
		Packages: []string{"./internal/run"},
		Run:      "TestWriteRefusesAConsentColumnThatIsNoConsent",
	},
	{
		Name:     "probes/declared-one-day-dropped",
		Why:      "a report run for one day (its title stating the day twice) would lose its declaration: a closed day read as no data, not zero",
		File:     "internal/channels/declaredcover.go",
		Old:      "if ok && from <= to {",
		New:      "if ok && from < to {",
		Packages: []string{"./internal/channels"},
		Run:      "TestADeclaredOneDayRangeCoversThatDay",
	},
})
