package main

// headerfixMutations: the consent-header refusal passes the consents a
// first version refused (the session's diff review).
var headerfixMutations = register([]mutation{
	{
		Name:     "headerfix/marketing-privacy-refused",
		Why:      "a marketing consent naming the personal data it uses (個資行銷同意) would be refused as a privacy notice: every upload of that clinic stops, with no way around",
		File:     "internal/inspect/consentheader.go",
		Old:      "	case marketingHeader(header):\n		return \"\"",
		New:      "	case marketingHeader(header) && false:\n		return \"\"",
		Packages: []string{"./internal/inspect"},
		Run:      "TestConsentHeadersThatAreConsentsPass",
	},
	{
		Name:     "headerfix/opt-in-status-refused",
		Why:      "a consent whose header ends in Status (Marketing Opt-In Status) would be refused as an appointment status",
		File:     "internal/inspect/consentheader.go",
		Old:      "case !consentNamed && (outcomeHeader(header)",
		New:      "case consentNamed == consentNamed && (outcomeHeader(header)",
		Packages: []string{"./internal/inspect"},
		Run:      "TestConsentHeadersThatAreConsentsPass",
	},
	{
		Name:     "headerfix/channel-marketing-passes",
		Why:      "an SMS or e-mail marketing consent would pass as the ad consent: the patients who agreed only to messages would be sent",
		File:     "internal/inspect/consentheader.go",
		Old:      "	case channelHeader(header):\n		return \"names a consent to be contacted",
		New:      "	case channelHeader(header) && false:\n		return \"names a consent to be contacted",
		Packages: []string{"./internal/inspect"},
		Run:      "TestConsentHeadersThatAreConsentsPass",
	},
})
