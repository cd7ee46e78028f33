package main

// positionsMutations hold a detached row's positions of the birth date and
// the consent expiry: without them their errors named file:line:0.
var positionsMutations = register([]mutation{
	{
		Name:     "positions/patient-columns-not-kept",
		Why:      "a two-digit birth year, an unreadable expiry or one without a zone would stop the run naming column 0 again, not the cell",
		File:     "internal/export/export.go",
		Old:      "ConsentGoogle, ConsentMeta, BirthDate, ConsentExpiresAt, Clinic, Value}",
		New:      "ConsentGoogle, ConsentMeta, Clinic, Value}",
		Packages: []string{"./internal/export", "./internal/pipeline"},
		Run:      "TestEveryMappableColumnKeepsItsPosition|TestPatientDateErrorsNameTheirCell",
	},
	{
		Name:     "positions/too-few-slots",
		Why:      "with every mappable column mapped, the last ones (the birth date, the expiry) would get no slot and their errors name column 0",
		File:     "internal/export/export.go",
		Old:      "len(idx) > 0 && rd.slots < positionSlots {",
		New:      "len(idx) > 0 && rd.slots < positionSlots-2 {",
		Packages: []string{"./internal/export"},
		Run:      "TestEveryMappableColumnKeepsItsPosition",
	},
	{
		Name:     "positions/wrong-slot",
		Why:      "a detached row would answer another column's position: an error would name a cell other than the one it is about",
		File:     "internal/export/row.go",
		Old:      "\t\tif s := row.r.slot[c]; s >= 0 {\n\t\t\treturn int(row.pos[s][0]), int(row.pos[s][1])",
		New:      "\t\tif s := row.r.slot[c]; s >= 0 {\n\t\t\treturn int(row.pos[0][0]), int(row.pos[0][1])",
		Packages: []string{"./internal/export"},
		Run:      "TestPositionsToIsPosition|TestEveryMappableColumnKeepsItsPosition",
	},
})
