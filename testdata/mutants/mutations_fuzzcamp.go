package main

// fuzzcampMutations: what the fuzz campaign of 2026-12-07 fixed — a
// missing column's "did you mean" suggested only from a header line.
var fuzzcampMutations = register([]mutation{
	{
		Name:     "export/suggest-from-any-line",
		Why:      "with input.header_row on a row of data, a missing column's \"did you mean\" would print a patient's name (\"Ida\" for id) in the error",
		File:     "internal/export/hints.go",
		Old:      "\tif !isHeader {\n\t\treturn \"\"\n\t}\n\tw := foldHeader(want)",
		New:      "\tw := foldHeader(want)",
		Packages: []string{"./internal/export"},
		Run:      "TestNoSuggestionFromADataRow|FuzzReader",
	},
	{
		Name:     "export/suggest-beside-data-cells",
		Why:      "a row of data holding a configured column name as a value (\"ok\") would pass for a header, and its patient's name be suggested beside an e-mail address",
		File:     "internal/export/export.go",
		Old:      "nearestHeader(want, header, lay.score > 0 && dataCells(header) == 0)",
		New:      "nearestHeader(want, header, lay.score > 0)",
		Packages: []string{"./internal/export"},
		Run:      "TestNoSuggestionFromADataRow",
	},
})
