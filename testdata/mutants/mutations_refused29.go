package main

// refused29Mutations hold session 29's rule that a dated revocation on or
// before its order's appointment refuses the order (pipeline
// datedorder.go), and the exact count of consent_refused_after_sent.
var refused29Mutations = register([]mutation{
	{
		Name:     "refused29/dated-revocation-refuses-nothing",
		Why:      "without a patient key, an order's consenting row would be sent beside its row revoking from the day before the visit",
		File:     "internal/pipeline/datedorder.go",
		Old:      "\to.refuses |= 1 << r.wcol[i]\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestADatedRevocationRefusesItsOrder",
	},
	{
		Name:     "refused29/revoking-row-stays-open",
		Why:      "the revoking row would be counted consent_refused_order, under its order's refusal, not its own consent_revoked",
		File:     "internal/pipeline/datedorder.go",
		Old:      "\to.open &^= 1 << i\n",
		New:      "",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestADatedRevocationRefusesItsOrder",
	},
	{
		Name:     "refused29/refusal-after-sent-not-noted",
		Why:      "a refusal in Google's column beside a row sent to Meta would go unnoted: the clinic not told a patient refused what was sent",
		File:     "internal/pipeline/judge.go",
		Old:      "if v.reason != \"\" && refuses(v.reason) && o.dup != 0 && !single {",
		New:      "if false && v.reason != \"\" && refuses(v.reason) && o.dup != 0 && !single {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestARefusalBesideItsSentOrderIsNotedOnce",
	},
	{
		Name:     "refused29/shared-column-platform-not-refusing",
		Why:      "Meta, sharing Google's consent column, would count the revoking row under its order's refusal (consent_refused_order), and check would exit 5 on a fixture expecting consent_revoked",
		File:     "internal/pipeline/decide.go",
		Old:      "if r.skip[i] == consent.ReasonRevoked && o.open&(1<<i) != 0 {",
		New:      "if r.skip[i] == consent.ReasonRevoked && o.open&(1<<i) != 0 && (i == 0 || r.consentCols[i] != r.consentCols[i-1]) {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestADatedRevocationRefusesItsOrder",
	},
})
