package main

// datedrev25Mutations hold the dated revocation's identifier exemption
// (session 25's review): a row of a patient with a dated revocation is
// exempt only from the identifiers her own dated withdrawals carried
// alone, the same night and from the ledger's memory.
var datedrev25Mutations = register([]mutation{
	{
		Name:     "datedrev25/same-night-any-dated-owner",
		Why:      "a dated revocation would exempt its patient's rows from an identifier another patient's dated withdrawal alone carried: P8's visit carrying P10's phone would be sent",
		File:     "internal/pipeline/samenightids.go",
		Old:      `if !o.hasPatient || lo != ^hi || uint64(lo) != o.patient {`,
		New:      `if !o.hasPatient || lo != ^hi {`,
		Packages: []string{"./internal/pipeline"},
		Run:      "TestADatedRevocationCarriesNoOneElsesWithdrawnIdentifier",
	},
	{
		Name:     "datedrev25/same-night-lesser-owner",
		Why:      "an identifier two patients' dated withdrawals carried would exempt the rows of the patient whose digest is the lesser: one of P8e and S2 would be sent",
		File:     "internal/pipeline/samenightids.go",
		Old:      `if !o.hasPatient || lo != ^hi || uint64(lo) != o.patient {`,
		New:      `_ = hi; if !o.hasPatient || uint64(lo) != o.patient {`,
		Packages: []string{"./internal/pipeline"},
		Run:      "TestADatedRevocationCarriesNoOneElsesWithdrawnIdentifier",
	},
	{
		Name:     "datedrev25/ledger-any-dated-row-exempt",
		Why:      "every row of a patient with a dated revocation would be exempt from the ledger's identifiers again: R2 (her revoking row) and R5 would go out carrying P7's withdrawn email",
		File:     "internal/pipeline/withdrawnids.go",
		Old:      `return owner == 0 || o.revokesFrom == 0 || !r.owns(row, uint64(owner))`,
		New:      `return o.revokesFrom == 0`,
		Packages: []string{"./internal/cli"},
		Run:      "TestADatedRevocationDoesNotCarryAnotherWithdrawnIdentifier",
	},
	{
		Name:     "datedrev25/ledger-owner-ignored",
		Why:      "an identifier remembered as one patient's dated withdrawal's would exempt every patient with a dated revocation: R7 (P8) would go out carrying the phone P10 withdrew",
		File:     "internal/pipeline/withdrawnids.go",
		Old:      `return owner == 0 || o.revokesFrom == 0 || !r.owns(row, uint64(owner))`,
		New:      `return owner == 0 || o.revokesFrom == 0`,
		Packages: []string{"./internal/cli"},
		Run:      "TestADatedRevocationDoesNotCarryAnotherWithdrawnIdentifier",
	},
	{
		Name:     "datedrev25/ledger-owns-nothing",
		Why:      "a patient's own identifiers remembered with her dated revocation would withdraw her visits before her day: R4, her 11-22 visit carrying her own phone, would be withheld",
		File:     "internal/pipeline/withdrawnids.go",
		Old:      `	if owner == RememberedDigest(r.ids, pk) {`,
		New:      `	if false {`,
		Packages: []string{"./internal/cli"},
		Run:      "TestADatedRevocationDoesNotCarryAnotherWithdrawnIdentifier",
	},
	{
		Name:     "datedrev25/ledger-query-no-owner-check",
		Why:      "an identifier two patients' dated withdrawals carried would be remembered as the lesser patient's alone, and exempt her rows",
		File:     "internal/ledger/revokedids.go",
		Old:      `WHEN sum(from_day <= 0) > 0 OR min(patient) != max(patient) THEN 0`,
		New:      `WHEN sum(from_day <= 0) > 0 THEN 0`,
		Packages: []string{"./internal/ledger"},
		Run:      "TestRevokedIdentifiersOwner",
	},
})
