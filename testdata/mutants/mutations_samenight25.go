package main

// samenight25Mutations hold the same night's identifier rule (session 25):
// a withdrawal withdraws the other rows of the export carrying the
// withdrawing row's email or phone, and a row caught by an identifier
// withdraws itself alone, not its patient's other rows.
var samenight25Mutations = register([]mutation{
	{
		Name:     "samenight25/no-same-night-check",
		Why:      "rows carrying a withdrawing row's email or phone would be sent the night of the withdrawal, with her hashed identifiers",
		File:     "internal/pipeline/withdraw.go",
		Old:      "\tif len(o.heldIDs) > 0 {\n\t\twithdrawn, err := w.withdrawnByIdentifier(o)\n",
		New:      "\tif false && len(o.heldIDs) > 0 {\n\t\twithdrawn, err := w.withdrawnByIdentifier(o)\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestIdentifiersWithdrawnTheSameNight",
	},
	{
		Name:     "samenight25/withdrawing-row-holds-nothing",
		Why:      "a withdrawing row, excluded at the consent screen, would keep no digests, and withdraw no identifier",
		File:     "internal/pipeline/samenightids.go",
		Old:      "o.stage == stagePre && !o.withdrawsTonight() {",
		New:      "o.stage == stagePre {",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestIdentifiersWithdrawnTheSameNight",
	},
	{
		Name:     "samenight25/dated-revocation-not-noted",
		Why:      "a dated revocation's identifiers would withdraw no other patient's row the same night, though the ledger's memory withdraws it the next",
		File:     "internal/pipeline/samenightids.go",
		Old:      "\treturn o.selfRevokes || o.listed || o.selfDated\n",
		New:      "\treturn o.selfRevokes || o.listed\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestSameNightIdentifiersOfADatedRevocation",
	},
	{
		Name:     "samenight25/dated-patient-by-identifier",
		Why:      "a patient's own visits before her dated revocation's day, carrying her identifiers, would be withdrawn by them",
		File:     "internal/pipeline/samenightids.go",
		Old:      "\t\tif !o.hasPatient || lo != ^hi || uint64(lo) != o.patient {\n",
		New:      "\t\tif !o.hasPatient || lo != ^hi || uint64(lo) != o.patient || true {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestSameNightIdentifiersOfADatedRevocation",
	},
	{
		Name:     "samenight25/plain-record-drops-ids",
		Why:      "a plain held record would lose the row's digests (or misread the rest of it)",
		File:     "internal/pipeline/record.go",
		Old:      "\tb = appendHeldIDs(b, o)\n\tb = appendRemembered(b, o)\n\tfor _, sk := range skips {\n",
		New:      "\tb = appendRemembered(b, o)\n\tfor _, sk := range skips {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "FuzzHeldRecord|TestIdentifiersWithdrawnTheSameNight",
	},
	{
		Name:     "samenight25/relative-revokes-his-patient",
		Why:      "a relative caught by a remembered family phone on one row would lose his own visits, counted consent_revoked_patient though he revoked nothing",
		File:     "internal/pipeline/decide.go",
		Old:      "\t\to.reason = ReasonIdentifierWithdrawn\n",
		New:      "\t\to.reason, o.revokes = ReasonIdentifierWithdrawn, o.hasPatient\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestASharedPhoneKeepsTheRelativesOwnVisits",
	},
})
