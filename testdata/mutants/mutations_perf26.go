package main

// perf26Mutations hold session 26's cuts of the dry-run's per-row work to
// what they must keep.
var perf26Mutations = register([]mutation{
	{
		Name:     "perf26/unread-fee-by-column",
		Why:      "a held row would keep an unreadable fee's column and reason only when it had a column: a fee with no position slot (column 0) would be read back a varint short, its reason lost and the record refused",
		File:     "internal/pipeline/record.go",
		Old:      "\tif o.t.unread.line != 0 {\n",
		New:      "\tif o.t.unread.col != 0 {\n",
		Packages: []string{"./internal/pipeline"},
		Run:      "FuzzHeldRecord",
	},
	{
		Name:     "perf26/canonical-email-keeps-capitals",
		Why:      "Canonical's one pass would keep an address's capitals (the trimmed cell, not its lower-cased copy): the withdrawal digests of Amir@Example.com and amir@example.com would differ, and a withdrawn patient's other spelling would be sent",
		File:     "internal/identifier/canonical.go",
		Old:      "\tif addr != s {\n",
		New:      "\tif addr == s {\n",
		Packages: []string{"./internal/identifier"},
		Run:      "FuzzCanonicalEmail",
	},
	{
		Name:     "perf26/canonical-email-no-prehashed",
		Why:      "Canonical would read a cell holding an existing SHA-256 as an address (refused) instead of the hash Normalize passes through: a withdrawn patient's pre-hashed e-mail would withdraw nobody",
		File:     "internal/identifier/canonical.go",
		Old:      "\tif _, ok, err := prehashed(raw); err != nil || ok {\n",
		New:      "\tif _, ok, err := prehashed(raw); err != nil && ok {\n",
		Packages: []string{"./internal/identifier"},
		Run:      "FuzzCanonicalEmail",
	},
	{
		Name:     "perf26/not-patient-kept-canonical",
		Why:      "runner.canonical would keep a listed value as canonicalised, not as the cell spells it: idValues would no longer find \" NoEmail@Clinic.COM \" among them, and a patient-keyed export would hash and send the clinic's placeholder as the patient's",
		File:     "internal/pipeline/samenightids.go",
		Old:      "r.notPatientRaw = append(r.notPatientRaw, v)",
		New:      "r.notPatientRaw = append(r.notPatientRaw, n)",
		Packages: []string{"./internal/pipeline"},
		Run:      "TestNotPatient",
	},
})
