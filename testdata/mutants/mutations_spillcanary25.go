package main

// spillcanary25Mutations hold the canary over what a run spills to disk:
// the held rows' records (internal/pipeline record.go) go to a temporary
// file past the hold's memory limit, which the canary export never
// reached, so no canary test read a spilled byte. A record sees no cell
// of the row but its expect cell (a check fixture's); these hand it the
// row's e-mail, and its patient key, as a record that kept a raw cell
// would.
var spillcanary25Mutations = register([]mutation{
	{
		Name:     "spillcanary25/held-record-keeps-the-email",
		Why:      "a held row's record would carry the row's e-mail cell as written, onto the disk once the hold spills: no canary test read the spill file",
		File:     "internal/pipeline/settle.go",
		Old:      "return s.held.Append(s.rec.encode(row.Line, expect, o, skips))",
		New:      "return s.held.Append(s.rec.encode(row.Line, expect+row.Get(export.Email), o, skips))",
		Packages: []string{"./internal/cli"},
		Run:      "TestSpilledHeldRowsHoldNoRawValue",
	},
	{
		Name:     "spillcanary25/held-record-keeps-the-patient-key",
		Why:      "a held row's record would carry its patient key as the export wrote it (the chart number), not its keyed digest, onto the disk once the hold spills",
		File:     "internal/pipeline/settle.go",
		Old:      "return s.held.Append(s.rec.encode(row.Line, expect, o, skips))",
		New:      "return s.held.Append(s.rec.encode(row.Line, expect+row.Get(export.PatientKey), o, skips))",
		Packages: []string{"./internal/cli"},
		Run:      "TestSpilledHeldRowsHoldNoRawValue",
	},
})
