package main

// mends19Mutations hold the mends of the session of 2026-12-06
// (seventh): code made simpler with its behaviour kept, each change
// pinned by the test that would see it broken.
var mends19Mutations = register([]mutation{
	{
		Name:     "inspect/footer-of-three-cells",
		Why:      "config init would propose skipping a record that fills three cells as a footer: the last visit of a sparse export dropped every night",
		File:     "internal/inspect/footer.go",
		Old:      "\tmaxFooterCells = 2",
		New:      "\tmaxFooterCells = 3",
		Packages: []string{"./internal/inspect"},
		Run:      "TestFooterLinesAreProposed",
	},
	{
		Name:     "config/region-code-case",
		Why:      "a region typed in lower case (HASHGATE_REGION=tw) would validate and then read no national number: every phone of the export dropped",
		File:     "internal/config/channels.go",
		Old:      "func RegionCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }",
		New:      "func RegionCode(s string) string { return strings.TrimSpace(s) }",
		Packages: []string{"./internal/cli"},
		Run:      "TestHashHonoursConfigRegion",
	},
})
