package main

// cnprofileMutations hold the reviews of 2026-12-07 (a mainland China
// clinic; US/UK/AU clinics): config init wrote the same config whatever the
// clinic's country, and nothing acted on China's PIPL.
var cnprofileMutations = register([]mutation{
	{
		Name:     "cnprofile/upload-without-pipl-statement",
		Why:      "a mainland config would upload a clinic's visits to Google and Meta with no word of PIPL's separate consents (Art. 29, 23, 39) or transfer mechanism (Art. 38)",
		File:     "internal/config/pipl.go",
		Old:      "\tif !c.Mainland() || c.Consent.PIPLSeparateConsents || len(c.Enabled()) == 0 {\n\t\treturn nil\n\t}\n\treturn &Error{",
		New:      "\tif true || !c.Mainland() || c.Consent.PIPLSeparateConsents || len(c.Enabled()) == 0 {\n\t\treturn nil\n\t}\n\treturn &Error{",
		Packages: []string{"./internal/cli"},
		Run:      "TestPIPLGateRefusesMainlandUploads",
	},
	{
		Name:     "cnprofile/write-without-pipl-statement",
		Why:      "hashgate write would make a mainland clinic's file for a hand upload while the upload refuses it",
		File:     "internal/run/write.go",
		Old:      "\tif err := only.PIPLConsents(); err != nil {",
		New:      "\tif err := error(nil); err != nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestPIPLGateRefusesMainlandUploads",
	},
	{
		Name:     "cnprofile/hong-kong-is-mainland",
		Why:      "a Hong Kong (or Macau) clinic, outside PIPL, would be refused as a mainland one when its zone is a mainland zone",
		File:     "internal/config/pipl.go",
		Old:      "\tif r := RegionCode(c.Region); r != \"\" {\n\t\treturn r == \"CN\"\n\t}",
		New:      "\tif r := RegionCode(c.Region); r != \"\" && r != \"HK\" {\n\t\treturn r == \"CN\"\n\t}",
		Packages: []string{"./internal/config"},
		Run:      "TestPIPLGateOnlyForTheMainland",
	},
	{
		Name:     "cnprofile/no-pipl-warning",
		Why:      "a dry-run and config validate of a mainland config would say nothing until the night the upload stops",
		File:     "internal/config/platforms.go",
		Old:      "\tout = append(out, c.piplNotice()...)\n",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestPIPLGateRefusesMainlandUploads",
	},
	{
		Name:     "cnprofile/init-mainland-google-on",
		Why:      "config init would write a mainland clinic's Google enabled, set up to send before anyone read PIPL",
		File:     "internal/cli/configinit.go",
		Old:      "\t\twritePIPL(w)\n\t\tenabled = \"false\"\n",
		New:      "\t\twritePIPL(w)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitWritesAMainlandClinicNothingEnabled",
	},
	{
		Name:     "cnprofile/pipl-key-in-digest",
		Why:      "every existing config's config_sha256 would change with the upgrade although nothing was set",
		File:     "internal/config/config.go",
		Old:      "`mapstructure:\"pipl_separate_consents\" json:\",omitempty\"`",
		New:      "`mapstructure:\"pipl_separate_consents\"`",
		Packages: []string{"./internal/config"},
		Run:      "TestPIPLKeyOutOfTheDigestWhileFalse",
	},
	{
		Name:     "cnprofile/nhi-everywhere",
		Why:      "a US or mainland config would speak of Taiwan's National Health Insurance (健保) again",
		File:     "internal/cli/configinit.go",
		Old:      "\tif region == \"TW\" {\n\t\t// Taiwan's National Health Insurance",
		New:      "\tif region != \"\" {\n\t\t// Taiwan's National Health Insurance",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitSpeaksOfTaiwansNHIOnlyToTaiwan",
	},
})
