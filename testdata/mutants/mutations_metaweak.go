package main

// metaweakMutations hold the findings of the review of requests against
// the platforms' current sources (2026-12-06): Meta's weak customer
// information, Google's error reasons and 429 shape, Meta's LDU values.
var metaweakMutations = []mutation{
	{
		Name:     "metaweak/pipeline-sends-weak",
		Why:      "a row whose only identifier for Meta is a country or a last name would be sent, refused by Meta (M18), and fail its whole batch",
		File:     "internal/pipeline/shape.go",
		Old:      "\t\tcase r.convs[i].Weak():",
		New:      "\t\tcase false && r.convs[i].Weak():",
		Packages: []string{"./internal/pipeline"},
		Run:      "Weak",
	},
	{
		Name:     "metaweak/spec-exact-set-only",
		Why:      "only the whole listed combination would count as weak, not a subset of it (\"or a subset thereof\"): a postal code and a country alone would be sent",
		File:     "internal/platform/spec.go",
		Old:      "if have&^w == 0 {",
		New:      "if have == w {",
		Packages: []string{"./internal/pipeline", "./internal/conversion"},
		Run:      "Weak",
	},
	{
		Name:     "metaweak/fbc-ignored",
		Why:      "a country beside an fbc (customer information in no combination, valid for Meta) would be held back",
		File:     "internal/conversion/conversion.go",
		Old:      "if len(c.Identifiers) == 0 || c.Formatted != \"\" || c.HasClickID() {",
		New:      "if len(c.Identifiers) == 0 || c.HasClickID() {",
		Packages: []string{"./internal/conversion"},
		Run:      "TestWeak$",
	},
	{
		Name:     "metaweak/fake-takes-weak",
		Why:      "the Graph fake would accept an event Meta refuses for its weak customer information, so no upload test could see the batch fail",
		File:     "internal/destination/destinationtest/graph.go",
		Old:      "\tif weakUserData(ud) {",
		New:      "\tif false && weakUserData(ud) {",
		Packages: []string{"./internal/destination/destinationtest"},
		Run:      "TestGraphFakeRefusesWhatMetaRefuses",
	},
	{
		Name:     "metaweak/config-takes-weak-list",
		Why:      "config validate would accept destinations.meta.identifiers that can make only events Meta refuses",
		File:     "internal/config/validate.go",
		Old:      "\tif spec.Weak(have) && (",
		New:      "\tif false && spec.Weak(have) && (",
		Packages: []string{"./internal/config", "./internal/cli"},
		Run:      "TestValidateDestinationMeta|TestConfigValidateRefusesWeakMetaIdentifiers",
	},
	{
		Name:     "metaweak/google-reason-region-unknown",
		Why:      "Google's INVALID_REGION_CODE (error.proto @ f8291d2b, 104) would be printed and stored as \"unknown\"",
		File:     "internal/platform/answers.go",
		Old:      "\"INVALID_MERCHANT_FEED_LANGUAGE_CODE\", \"INVALID_REGION_CODE\",",
		New:      "\"INVALID_MERCHANT_FEED_LANGUAGE_CODE\",",
		Packages: []string{"./internal/platform"},
		Run:      "TestAnswerEnumsRefuseText",
	},
	{
		Name:     "metaweak/fake-region-reason-gone",
		Why:      "the Data Manager fake would refuse a bad regionCode without Google's reason INVALID_REGION_CODE",
		File:     "internal/destination/destinationtest/datamanager.go",
		Old:      "\"INVALID_REGION_CODE: required, ISO 3166-1 alpha-2, not hashed\"",
		New:      "\"required, ISO 3166-1 alpha-2, not hashed\"",
		Packages: []string{"./internal/destination/destinationtest"},
		Run:      "TestDataManagerFakeRefusesWhatGoogleRefuses",
	},
}
