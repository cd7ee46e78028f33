package main

// memcheckMutations hold two fixes to `hashgate check` (2026-12-07): the
// consent-header refusal the upload makes, applied by check and channels
// too, and a check whose memory stays flat however many rows mismatch
// (its results written as they are found, --json's array element by
// element).
var memcheckMutations = register([]mutation{
	{
		Name:     "memcheck/check-skips-consent-header-refusal",
		Why:      "check would pass a config mapping \"SMS opt-in\" or \"Patient Arrived\" as the consent, which the nightly upload refuses: CI green on a config that never runs",
		File:     "internal/run/check.go",
		Old:      "\tif err := consentHeaderErrors(cfg); err != nil {\n\t\treturn err\n\t}\n\t// Event ids matter",
		New:      "\t// Event ids matter",
		Packages: []string{"./internal/run"},
		Run:      "TestCheckRefusesAConsentColumnThatIsNoConsent",
	},
	{
		Name:     "memcheck/channels-skips-consent-header-refusal",
		Why:      "channels.consented_only would count every arrival as consented under a \"Patient Arrived\" consent column the upload refuses",
		File:     "internal/run/channels.go",
		Old:      "\tif err := consentHeaderErrors(cfg); err != nil {\n\t\treturn err\n\t}\n\tin, name, err := OpenInput(ctx, env, r.Input)",
		New:      "\tin, name, err := OpenInput(ctx, env, r.Input)",
		Packages: []string{"./internal/cli"},
		Run:      "TestCheckAndChannelsRefuseAConsentColumnThatIsNoConsent",
	},
	{
		Name:     "memcheck/check-keeps-every-result",
		Why:      "check would hold every row that did not pass until its end, in text mode too: 1.38 GB at 10M rows, memory no longer flat whatever the input",
		File:     "internal/run/check.go",
		Old:      "\tsay := results.add\n",
		New:      "\tvar kept []CheckResult\n\tsay := func(res CheckResult, line string) { kept = append(kept, res); results.add(res, line) }\n",
		Packages: []string{"./internal/run"},
		Run:      "TestCheckKeepsNothingPerRow",
	},
	{
		Name:     "memcheck/json-results-comma-lost",
		Why:      "check --json would print two results without the comma between them: not JSON, and a CI job parsing it would see no report",
		File:     "internal/run/check.go",
		Old:      "\tif c.n > 0 {\n\t\tc.w.WriteByte(',')",
		New:      "\tif c.n > 1 {\n\t\tc.w.WriteByte(',')",
		Packages: []string{"./internal/cli"},
		Run:      "TestCheckJSON$",
	},
})
