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
