package main

// orderfold26Mutations hold the folding of identifiers' spellings
// (internal/celltext/fold.go): the format characters a paste leaves and
// the full-width letters an IME types, in header names and order ids.
var orderfold26Mutations = register([]mutation{
	{
		Name:     "orderfold26/header-unfolded",
		Why:      "a header with a hidden zero-width space would stop the run, exit 1, \"not in the header\" when it visibly is",
		File:     "internal/export/sniff.go",
		Old:      "return strings.ToLower(celltext.Fold(strings.TrimSpace(s)))",
		New:      "return strings.ToLower(celltext.Trim(s))",
		Packages: []string{"./internal/export"},
		Run:      "TestHeaderWithInvisibleCharactersIsFound",
	},
	{
		Name:     "orderfold26/format-kept",
		Why:      "a zero-width space or soft hyphen inside an id or a header would make another id (the visit sent again)",
		File:     "internal/celltext/fold.go",
		Old:      "s = strings.Map(dropFormat, s)",
		New:      "s = strings.Map(func(r rune) rune { return r }, s)",
		Packages: []string{"./internal/celltext"},
		Run:      "TestFold",
	},
})
