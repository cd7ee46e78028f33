package main

// revokewords29Mutations hold session 29's review of the consent words: a
// withdrawal written beside the grant ("yes (revoked)", "同意(已撤回)",
// "opted-out") is a withdrawal wherever it stands in the cell, and
// withholds the patient's earlier visits; a value mentioning one never
// grants; the channel report refuses the granted words config validate
// refuses.
var revokewords29Mutations = register([]mutation{
	{
		Name:     "revokewords29/mention-ignored",
		Why:      "a withdrawal that does not start the cell would be consent_not_granted again: the row alone excluded, the patient's earlier consented visit sent",
		File:     "internal/consent/consent.go",
		Old:      "\tif mentionsWithdrawal(v, p.withdrawals) {\n\t\treturn ReasonRevoked, time.Time{}",
		New:      "\tif false && mentionsWithdrawal(v, p.withdrawals) {\n\t\treturn ReasonRevoked, time.Time{}",
		Packages: []string{"./internal/consent", "./internal/pipeline"},
		Run:      "TestAWithdrawalAnywhereInTheCellIsAWithdrawal|TestAnAnnotatedWithdrawalWithholdsTheEarlierVisits",
	},
	{
		Name:     "revokewords29/granted-kept",
		Why:      "a granted value that mentions a withdrawal (yes (revoked)) would grant where config validation is not asked",
		File:     "internal/consent/consent.go",
		Old:      "\t\t\tdelete(p.granted, k)\n",
		New:      "\t\t\t_ = k\n",
		Packages: []string{"./internal/consent"},
		Run:      "TestAWithdrawalAnywhereInTheCellIsAWithdrawal",
	},
	{
		Name:     "revokewords29/own-words-at-start-only",
		Why:      "a consent.revoked word would withdraw only where it starts the cell, as every revocation did before",
		File:     "internal/consent/consent.go",
		Old:      "\t\t\t\twords = append(words, k) // the clinic's own: read anywhere too\n",
		New:      "",
		Packages: []string{"./internal/consent"},
		Run:      "TestAWithdrawalAnywhereInTheCellIsAWithdrawal",
	},
	{
		Name:     "revokewords29/inside-words",
		Why:      "a marker inside a word would withdraw unrevoked and irrevocable: patients withheld, and remembered withdrawn, for a word that says the opposite",
		File:     "internal/consent/withdrawal.go",
		Old:      "(first[0] >= 0x80 || j == 0 || !asciiLetter(v[j-1]))",
		New:      "(true)",
		Packages: []string{"./internal/consent"},
		Run:      "TestWordsThatOnlyContainAWithdrawalAreNone",
	},
	{
		Name:     "revokewords29/chinese-bounded-as-words",
		Why:      "撤回 right after an ASCII letter (Y撤回) would not be a withdrawal",
		File:     "internal/consent/withdrawal.go",
		Old:      "(first[0] >= 0x80 || j == 0 || !asciiLetter(v[j-1]))",
		New:      "(j == 0 || !asciiLetter(v[j-1]))",
		Packages: []string{"./internal/consent"},
		Run:      "TestAWithdrawalAnywhereInTheCellIsAWithdrawal",
	},
	{
		Name:     "revokewords29/no-separators",
		Why:      "opted-out, OPT_OUT and opt out would not match their marker: the spelling the review found read as a word nobody knows",
		File:     "internal/consent/withdrawal.go",
		Old:      "\t\treturn 1\n\t}\n\tif len(s) >= 3",
		New:      "\t\treturn 0\n\t}\n\tif len(s) >= 3",
		Packages: []string{"./internal/consent"},
		Run:      "TestAWithdrawalAnywhereInTheCellIsAWithdrawal",
	},
	{
		Name:     "revokewords29/no-dashes",
		Why:      "opt–out, as a spreadsheet's autocorrect writes it (an en dash, a minus), would not be an opt-out",
		File:     "internal/consent/withdrawal.go",
		Old:      "\t\treturn 3\n",
		New:      "\t\treturn 0\n",
		Packages: []string{"./internal/consent"},
		Run:      "TestAWithdrawalAnywhereInTheCellIsAWithdrawal",
	},
	{
		Name:     "revokewords29/channels-unasked",
		Why:      "hashgate channels under consented_only would count as consented the patients of a granted word that says no (no, revoked), a config validate refuses",
		File:     "internal/config/channels.go",
		Old:      "\t\terrs = append(errs, c.grantedConflicts()...)\n",
		New:      "",
		Packages: []string{"./internal/config"},
		Run:      "TestConsentedOnlyRefusesGrantedWordsThatSayNo",
	},
})
