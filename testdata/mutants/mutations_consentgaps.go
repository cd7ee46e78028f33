package main

// consentgapsMutations hold the consent gaps a session's closing note
// listed as left: a 0/1 column's refusal, rows withdrawn by another row,
// and patient keys compared otherwise than the revocations file's ids.
var consentgapsMutations = register([]mutation{
	{
		Name:     "consentgaps/zero-after-one-unknown",
		Why:      "a visit sent while its 0/1 consent cell said 1, whose cell says 0 now, would not be counted as withdrawn after sent: the privacy officer would not learn that the platforms hold a refused visit",
		File:     "internal/consent/consent.go",
		Old:      "if p.granted[yes] && !p.granted[no] {",
		New:      "if p.granted[yes] && p.granted[no] {",
		Packages: []string{"./internal/cli"},
		Run:      "TestAPlainRefusalAfterAGrantIsAWithdrawal",
	},
})
