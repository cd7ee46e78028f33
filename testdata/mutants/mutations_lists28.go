package main

// lists28Mutations hold session 28's reading of id lists written as
// Excel text formulas (the docs-against-the-binary review): a line
// ="A0001", raw or CSV-quoted, is its text.
var lists28Mutations = register([]mutation{
	{
		Name:     "lists28/raw-formula-line-refused",
		Why:      "a list line pasted from the export as the clinic system wrote it (=\"A0001\") would be refused again, exit 2: the erasure request not run",
		File:     "internal/consent/revocations.go",
		Old:      "\tif t, ok := celltext.TextFormula(v); ok {\n\t\treturn t\n\t}\n\treturn v",
		New:      "\treturn v",
		Packages: []string{"./internal/consent"},
		Run:      "TestAnIDWrittenAsATextFormulaIsItsText",
	},
	{
		Name:     "lists28/quoted-formula-line-refused",
		Why:      "a list line as a CSV writes the text formula (\"=\"\"A0001\"\"\") would be refused",
		File:     "internal/consent/revocations.go",
		Old:      "\tif len(v) > 4 && strings.HasPrefix(v, `\"=`) && strings.HasSuffix(v, `\"`) {",
		New:      "\tif false {",
		Packages: []string{"./internal/consent"},
		Run:      "TestAnIDWrittenAsATextFormulaIsItsText",
	},
})

// moves28Mutations hold movePatient, the one home of moving a remembered
// withdrawal to another digest (a rotation's re-key, a text formula's
// unwrapping), folded out of two copies in session 28.
var moves28Mutations = register([]mutation{
	{
		Name:     "moves28/identifiers-left-on-the-old-digest",
		Why:      "her remembered e-mails and phones would still name the old digest: find and erase by the new key miss them",
		File:     "internal/ledger/revokedprev.go",
		Old:      "\t\tmove, drop,\n\t\t`UPDATE OR IGNORE revoked_identifiers SET patient = ?2 WHERE patient = ?1`,",
		New:      "\t\tmove, drop,\n\t\t`UPDATE revoked_identifiers SET patient = patient WHERE patient = ?1 AND ?2 = ?2`,",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "Rekey|Literal|Previous|Rotat",
	},
})

// literal28Mutations hold the patient lists reaching a withdrawal an
// older hashgate remembered under a key's text formula (="00099"): erase,
// unrevoke --patients, find.
var literal28Mutations = register([]mutation{
	{
		Name:     "literal28/erase-skips-the-formula",
		Why:      "an erasure would leave her withdrawal remembered under =\"00099\" in the ledger: a keyed digest of her chart number, with the nights that read it",
		File:     "internal/run/erase.go",
		Old:      "\t\tpreviousDigests(prevD, k, &p)\n\t\tliteralDigests(d, k, &p)\n",
		New:      "\t\tpreviousDigests(prevD, k, &p)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseReachesAWithdrawalRememberedUnderTheTextFormula",
	},
	{
		Name:     "literal28/erase-keeps-the-formulas-record",
		Why:      "the record under the formula would be counted and its identifiers moved, but its own row left in the ledger",
		File:     "internal/ledger/erase.go",
		Old:      "\t\t\t`DELETE FROM revoked_patients WHERE digest = ?1`, // last: res is its\n",
		New:      "\t\t\t`DELETE FROM revoked_patients WHERE digest = ?1 AND ?2 = 0 AND ?3 = 0`, // last: res is its\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseReachesAWithdrawalRememberedUnderTheTextFormula",
	},
	{
		Name:     "literal28/unrevoke-skips-the-formula",
		Why:      "unrevoke would forget nothing of a withdrawal remembered under =\"00099\": the next upload moves it to her key and keeps her out, her new consent ignored",
		File:     "internal/ledger/revoked.go",
		Old:      "\t\tfor _, d := range p.literals() {\n\t\t\tif err != nil {\n\t\t\t\tcontinue",
		New:      "\t\tfor _, d := range p.literals() {\n\t\t\tif true {\n\t\t\t\tcontinue",
		Packages: []string{"./internal/cli"},
		Run:      "TestUnrevokeForgetsAWithdrawalRememberedUnderTheTextFormula",
	},
	{
		Name:     "literal28/find-skips-the-formula",
		Why:      "an access request's answer would lack her withdrawal remembered under =\"00099\"",
		File:     "internal/run/find.go",
		Old:      "\t\t\tliteralDigests(d, k, &p)\n\t\t\tpreviousDigests(prevD, k, &p)\n",
		New:      "\t\t\tpreviousDigests(prevD, k, &p)\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestFindShowsAWithdrawalRememberedUnderTheTextFormula",
	},
})
