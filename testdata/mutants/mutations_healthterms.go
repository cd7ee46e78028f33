package main

// healthtermsMutations hold a review's two holes in the health-data
// guards (2026-12-07): names checked word by word only, which let
// ImplantCompleted, IVFConsult and RootCanal leave as Meta's event_name,
// and channel-scoped consent columns (allowsms, ShortCodeOptIn, Soft
// Opt-In) passing as the consent to ad measurement.
var healthtermsMutations = register([]mutation{
	{
		Name:     "healthterms/name-not-split",
		Why:      "a CamelCase name would be one word again: IVFConsult and CrownPlaced leave as Meta's event_name",
		File:     "internal/phi/phi.go",
		Old:      "\twhole, s := fold(text), fold(splitName(text))\n",
		New:      "\twhole, s := fold(text), fold(text)\n",
		Packages: []string{"./internal/phi", "./internal/config"},
		Run:      "TestNamesHideNoTerm|TestNamesThatLeaveHideNoTerm",
	},
	{
		Name:     "healthterms/phrase-not-glued",
		Why:      "a term of several words would match only with its space: RootCanal and MentalHealthVisit leave",
		File:     "internal/phi/phi.go",
		Old:      "\t\tif k.glued != \"\" {\n",
		New:      "\t\tif k.glued != \"\" && false {\n",
		Packages: []string{"./internal/phi", "./internal/config"},
		Run:      "TestNamesHideNoTerm|TestNamesThatLeaveHideNoTerm",
	},
	{
		Name:     "healthterms/word-only-anywhere",
		Why:      "perio would match inside words again: TrialPeriod and SuperiorService refused as health terms",
		File:     "internal/phi/phi.go",
		Old:      "free := j == t && !slices.Contains(foldedWordOnly(), t)",
		New:      "free := j == t",
		Packages: []string{"./internal/phi"},
		Run:      "TestNeutralNamesPass",
	},
	{
		Name:     "healthterms/meta-custom-name-unsaid",
		Why:      "a Meta event name that is no standard event would go unsaid: a custom conversion Meta may flag, with no line on the run",
		File:     "internal/config/platforms.go",
		Old:      "\tout = append(out, c.customEventNotices()...)\n",
		New:      "\tout = append(out, c.customEventNotices()[:0]...)\n",
		Packages: []string{"./internal/config"},
		Run:      "TestMetaCustomEventNamesNoticed",
	},
	{
		Name:     "healthterms/glued-channel-unseen",
		Why:      "allowsms would pass as the consent again, and hipaa_allowsms be refused as a consent to care: patients who agreed only to texts sent",
		File:     "internal/inspect/consentheader.go",
		Old:      "\tfor _, w := range normHeader(header) {\n\t\tfor _, c := range foldedChannel() {\n",
		New:      "\tfor _, w := range normHeader(header)[:0] {\n\t\tfor _, c := range foldedChannel() {\n",
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestChannelScopedConsentHeadersRefused|TestCheckAndChannelsRefuseAConsentColumnThatIsNoConsent",
	},
	{
		Name:     "healthterms/soft-opt-in-passes",
		Why:      "a Soft Opt-In column, the practice's decision, would pass as the patient's consent",
		File:     "internal/inspect/consentheader.go",
		Old:      "\tcase headerHas(foldedSoftOpt(), header):\n",
		New:      "\tcase headerHas(foldedSoftOpt(), header) && false:\n",
		Packages: []string{"./internal/inspect", "./internal/cli"},
		Run:      "TestChannelScopedConsentHeadersRefused|TestCheckAndChannelsRefuseAConsentColumnThatIsNoConsent",
	},
	{
		Name:     "healthterms/preference-passes",
		Why:      "Open Dental's PreferContactMethod would pass as the consent: every patient with a contact preference sent",
		File:     "internal/inspect/consentheader.go",
		Old:      "\tcase headerHas(foldedPrefer(), header):\n",
		New:      "\tcase headerHas(foldedPrefer(), header) && false:\n",
		Packages: []string{"./internal/inspect"},
		Run:      "TestChannelScopedConsentHeadersRefused",
	},
})
