package main

// auditfix25Mutations: tests that could not fail (they skipped, or checked
// nothing), made to bite — each mutant here survived before its test did.
var auditfix25Mutations = register([]mutation{
	{
		Name:     "auditfix25/dm-reason-dropped",
		Why:      "Google's INVALID_POSTAL_CODE answer would read \"unknown\": the operator is not told which identifier Google refused (the proto comparison skipped without HASHGATE_DM_ERROR_PROTO)",
		File:     "internal/platform/answers.go",
		Old:      `"INVALID_POSTAL_CODE", `,
		New:      ``,
		Packages: []string{"./internal/platform"},
		Run:      "TestGoogleErrorReasonsFollowTheProto",
	},
	{
		Name:     "auditfix25/codec-braids-swapped",
		Why:      "a held conversion read back with its GBRAID and WBRAID exchanged would send Google the wrong click id kind (FuzzCodecRead only checked that Read made progress)",
		File:     "internal/conversion/codec.go",
		Old:      `GBRAID: gbraid, WBRAID: wbraid`,
		New:      `GBRAID: wbraid, WBRAID: gbraid`,
		Packages: []string{"./internal/conversion"},
		Run:      "FuzzCodecRead",
	},
	{
		Name:     "auditfix25/prepared-digests-comma",
		Why:      "a dry run's review CSV would join a cell's digests with commas on the prepared path only: every column after a second email shifts, and the reviewer reads a hash under the wrong heading (FuzzWritePrepared checked nothing)",
		File:     "internal/sink/reviewcsv/reviewcsv.go",
		Old:      "if k > 0 {\n\t\t\t\t\tb = append(b, ';')",
		New:      "if k > 0 {\n\t\t\t\t\tb = append(b, ',')",
		Packages: []string{"./internal/sink/reviewcsv"},
		Run:      "FuzzPrepareIsWrite",
	},
})
