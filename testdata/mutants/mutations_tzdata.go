package main

// tzdataMutations hold the embedded zone database: without it, a release
// build on Windows refused every timezone as unknown.
var tzdataMutations = register([]mutation{
	{
		Name:     "tzdata/database-not-embedded",
		Why:      "a release build on a PC without a zone database would refuse every timezone: no upload of local times, no channel report",
		File:     "cmd/hashgate/tzdata.go",
		Old:      `import _ "time/tzdata"`,
		New:      `import _ "time"`,
		Packages: []string{"./cmd/hashgate"},
		Run:      "TestTimeZonesWithoutTheSystemDatabase|TestZoneDatabaseInEveryReleaseBuild",
	},
})
