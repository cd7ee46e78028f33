package main

// metadefaultMutations hold the review of 2026-12-07 (English-speaking
// clinics, the platforms' health-data policies): config init turned Meta
// on with no word of its health rules, no run said them, and
// conversion.value: actual sent exact fees without a word.
var metadefaultMutations = register([]mutation{
	{
		Name:     "metadefault/init-meta-on",
		Why:      "config init would write Meta enabled for a clinic again, sending hashed contacts of health visits before anyone read Meta's terms",
		File:     "internal/cli/configinit.go",
		Old:      "\tw(\"    enabled: false\\n    identifiers: [%s]\\n\", idList)",
		New:      "\tw(\"    enabled: true\\n    identifiers: [%s]\\n\", idList)",
		Packages: []string{"./internal/cli"},
		Run:      "TestConfigInitLeavesMetaOffForAClinic",
	},
	{
		Name:     "metadefault/no-meta-note",
		Why:      "config validate and the summaries would say nothing of Meta's health rules while Meta is enabled",
		File:     "internal/config/platforms.go",
		Old:      "\tif c.Destinations.Meta.Enabled {\n\t\tout = append(out, platform.MetaHealthNote)",
		New:      "\tif false && c.Destinations.Meta.Enabled {\n\t\tout = append(out, platform.MetaHealthNote)",
		Packages: []string{"./internal/cli"},
		Run:      "TestMetaHealthNoteOnceInEverySummary",
	},
	{
		Name:     "metadefault/meta-note-never-short",
		Why:      "the nightly cron mail would quote Meta's terms in full every night",
		File:     "internal/run/notices.go",
		Old:      "\t{platform.MetaHealthNote, platform.MetaHealthSeenNote},\n",
		New:      "",
		Packages: []string{"./internal/cli"},
		Run:      "TestMetaHealthNoteOnceInEverySummary",
	},
	{
		Name:     "metadefault/actual-without-opt-in",
		Why:      "an upload or a manual-upload file would send each visit's exact fee (an implant's) with no opt-in",
		File:     "internal/config/platforms.go",
		Old:      "if c.Conversion.Value != ValueActual || c.Privacy.AllowActualValue || len(c.Enabled()) == 0 {",
		New:      "if c.Conversion.Value != ValueActual || !c.Privacy.AllowActualValue || len(c.Enabled()) == 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestExactFeesRefusedWithoutOptIn",
	},
	{
		Name:     "metadefault/write-sends-actual",
		Why:      "hashgate write would put exact fees in a file uploaded by hand while the upload refuses them",
		File:     "internal/run/write.go",
		Old:      "\tif err := only.ActualValue(); err != nil {",
		New:      "\tif err := error(nil); err != nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestExactFeesRefusedWithoutOptIn",
	},
	{
		Name:     "metadefault/no-actual-warning",
		Why:      "a dry-run and config validate would say nothing of exact fees under value: actual",
		File:     "internal/config/platforms.go",
		Old:      "\tif c.Conversion.Value == ValueActual && len(c.Enabled()) > 0 {",
		New:      "\tif false && c.Conversion.Value == ValueActual && len(c.Enabled()) > 0 {",
		Packages: []string{"./internal/cli"},
		Run:      "TestExactFeesRefusedWithoutOptIn|TestPolicyNoticesHoldNoCellValue",
	},
})
