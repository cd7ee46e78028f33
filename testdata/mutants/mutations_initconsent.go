package main

// initconsentMutations hold config init's choice among several consent
// columns: a bare "Consent" (a treatment consent, Yes in every row) beside
// "Marketing Opt-In" was mapped when it came first, and every patient who
// refused marketing was sent (a review of 2026-12-07).
var initconsentMutations = register([]mutation{
	{
		Name:     "initconsent/positional-choice",
		Why:      "a bare Consent before a marketing consent would be mapped again: the choice back to column order, the refusers sent",
		File:     "internal/inspect/consentchoice.go",
		Old:      `return c.key == "consent" && consentPurpose(cols[c.col].Header) < top`,
		New:      `return c.key == "consent" && consentPurpose(cols[c.col].Header) < top && false`,
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestMarketingConsentOutranksBareConsent|TestConfigInitMapsTheMarketingConsentAndNamesTheOther",
	},
	{
		Name:     "initconsent/sharing-unranked",
		Why:      "a data-sharing or third-party consent would rank as a bare one: which is mapped back to column order",
		File:     "internal/inspect/consentchoice.go",
		Old:      `case marketingHeader(h) || headerHas(foldedSharingWords(), h):`,
		New:      `case marketingHeader(h):`,
		Packages: []string{"./internal/inspect"},
		Run:      "TestMarketingConsentOutranksBareConsent",
	},
	{
		Name:     "initconsent/empty-marketing-ignored",
		Why:      "beside an empty Marketing Consent, the full treatment Consent would be mapped: every patient sent before the clinic collects the real consent",
		File:     "internal/inspect/consentchoice.go",
		Old:      `if c.Filled == 0 && consentNamed(c.Header) {`,
		New:      `if c.Filled == 0 && consentNamed(c.Header) && false {`,
		Packages: []string{"./internal/inspect"},
		Run:      "TestBareConsentBesideAnEmptyMarketingConsentIsNotMapped",
	},
	{
		Name:     "initconsent/others-unnamed",
		Why:      "the other consent columns would go unmentioned in the config and the summary, as Marketing Opt-In did",
		File:     "internal/inspect/consentchoice.go",
		Old:      `if !taken[c.Header] && consentNamed(c.Header) {`,
		New:      `if !taken[c.Header] && consentNamed(c.Header) && false {`,
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestMarketingConsentOutranksBareConsent|TestConfigInitMapsTheMarketingConsentAndNamesTheOther",
	},
	{
		Name:     "initconsent/all-granted-silent",
		Why:      "a consent Yes in every one of 20+ rows (a treatment consent or a default) would be mapped without a word",
		File:     "internal/inspect/consentchoice.go",
		Old:      `	if n != c.Filled {`,
		New:      `	if n != c.Filled || n > 0 {`,
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestConsentGrantedInEveryRowFlagged|TestConfigInitFlagsAConsentEveryRowGrants",
	},
	{
		Name:     "initconsent/all-granted-too-eager",
		Why:      "a consent column with a refusal, or too few rows to say, would be flagged: a warning that cries wolf is read past",
		File:     "internal/inspect/consentchoice.go",
		Old:      `if c == nil || c.Filled < consentAllGrantedRows || c.Filled+p.FooterLines < p.Rows {`,
		New:      `if c == nil {`,
		Packages: []string{"./internal/inspect"},
		Run:      "TestConsentGrantedInEveryRowFlagged",
	},
})
