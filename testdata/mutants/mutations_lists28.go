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
