package main

// phonesfixMutations hold the mend of the review of the bare-digits reading
// under a region (2026-12-06): mainland mobiles written without +86 under
// TW, HK, MO or SG were read as North American numbers.
var phonesfixMutations = register([]mutation{
	{
		Name:     "phone/nanp-guessed-outside-north-america",
		Why:      "under region TW a mainland mobile 13017018875 written without +86 would be hashed as Maryland's +1 301 701 8875: a stranger's number (888 of 2,000 random mainland mobiles)",
		File:     "internal/identifier/phone.go",
		Old:      "if num.GetCountryCode() == 1 && phonenumbers.GetCountryCodeForRegion(region) != 1 {",
		New:      "if num.GetCountryCode() == 1 && false {",
		Packages: []string{"./internal/identifier"},
		Run:      "TestPhoneMainlandMobilesUnderANeighbouringRegion",
	},
})
