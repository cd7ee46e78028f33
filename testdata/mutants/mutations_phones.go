package main

// phonesMutations hold the mends of the review that compared hashgate's
// phone normalisation with the platforms' own code (2026-12-06): dial-out
// prefixes, local-only numbers, bare country codes, Chinese extension
// markers, and the vector counts the research note states.
var phonesMutations = register([]mutation{
	{
		Name:     "phone/region-dial-out-prefix-ignored",
		Why:      "from Taiwan, 002-1-212-555-0100 would be hashed as Morocco's +212125550100 and 009 1 650… as India's +91 650…: another person's number",
		File:     "internal/identifier/phone.go",
		Old:      "if err == nil && n.GetCountryCodeSource() == phonenumbers.PhoneNumber_FROM_NUMBER_WITH_IDD {",
		New:      "if err == nil && n.GetCountryCodeSource() == phonenumbers.PhoneNumber_FROM_NUMBER_WITH_IDD && false {",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneDialOutPrefixesOfTheRegion",
	},
	{
		Name:     "phone/foreign-leading-zero-hashed",
		Why:      "a Taiwanese 0912-345-678 read under region US would be hashed as +10912345678, which no one can have",
		File:     "internal/identifier/phone.go",
		Old:      "if num.GetItalianLeadingZero() {",
		New:      "if false {",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneLocalOnlyAndImpossibleNumbersAreRefused",
	},
	{
		Name:     "phone/landline-without-area-code-hashed",
		Why:      "a mainland 1234 5678 (a landline without its area code) would be hashed as +8612345678",
		File:     "internal/identifier/phone.go",
		Old:      "return slices.Contains(mobileLengths()[num.GetCountryCode()], n)",
		New:      "return n > 0",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneLocalOnlyAndImpossibleNumbersAreRefused",
	},
	{
		Name:     "phone/bare-country-code-refused-under-region",
		Why:      "Google's own vector 441134960987 would be refused under region US, as would a Hong Kong 85291234567",
		File:     "internal/identifier/phone.go",
		Old:      "if intl := internationalReading(s, region); intl != nil {",
		New:      "if intl := internationalReading(s, region); false && intl != nil {",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneBareInternationalDigitsUnderAnotherRegion",
	},
	{
		Name:     "phone/possible-national-number-overruled",
		Why:      "a mainland 154 1234 5678, the length of a Chinese mobile but in no range libphonenumber knows yet, would be hashed as Oregon's +1 541 234 5678",
		File:     "internal/identifier/phone.go",
		Old:      "if err != nil || !plausible(num) {\n\t\t\tif intl",
		New:      "if err != nil || !phonenumbers.IsValidNumber(num) {\n\t\t\tif intl",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneBareInternationalDigitsUnderAnotherRegion",
	},
	{
		Name:     "phone/cjk-extension-kept",
		Why:      "(02)2345-6789 分機 123 would be refused as not_possible_number while the same with #123 is hashed",
		File:     "internal/identifier/phone.go",
		Old:      "s = cutCJKExtension(s)",
		New:      "_ = cutCJKExtension(s)",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneChineseExtensionMarkersAreCut",
	},
	{
		Name:     "docs/vector-counts-overstated",
		Why:      "the research note would again claim 121 vectors, 17 rejects and 18 published hashes for a file of 80, and readers would trust checks that never ran",
		File:     "docs/research/normalisation.md",
		Old:      "Counts: 80 rows. 42 official-test",
		New:      "Counts: 121 rows. 42 official-test",
		Packages: []string{"./internal/identifier"},
		Run:      "TestResearchNoteCountsTheVectors",
	},
	{
		Name:     "cell/inside-line-marker-kept",
		Why:      "an export cell \"(02)2345-6789 內線 12\" would reach the phone parser whole instead of split from its extension like 分機 12",
		File:     "internal/identifier/cell.go",
		Old:      "\"轉\", \"转\", \"內線\", \"内线\", \"ext.\"",
		New:      "\"轉\", \"转\", \"ext.\"",
		Packages: []string{"./internal/identifier"},
		Run:      "TestValues",
	},
})
