package main

// privfollow24Mutations hold the follow-up of today's access and erasure
// commands: `ledger erase` took a patient's events only as ids copied by
// hand (event ids, with a composite order id), erased positions read as
// events, and forget/unrevoke left deleted bytes in the file.
var privfollow24Mutations = register([]mutation{
	{
		Name:     "privfollow24/erase-export-first-file-only",
		Why:      "erase --export would read the first archived export only: her visits in the others stay in the ledger, found as sent",
		File:     "internal/run/erase.go",
		Old:      "\t\tfor _, path := range req.Exports {\n",
		New:      "\t\tfor _, path := range req.Exports[:1] {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseByExport",
	},
	{
		Name:     "privfollow24/erase-export-under-another-secret",
		Why:      "erase --export under another secret would erase nothing and report the patient erased",
		File:     "internal/run/erase.go",
		Old:      "\t\tif w := eventKeyWarnings(keys, d.EventKeyCheck(), nil); len(w) > 0 {\n",
		New:      "\t\tif w := eventKeyWarnings(keys, d.EventKeyCheck(), nil); len(w) > 99 {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseByExport",
	},
	{
		Name:     "privfollow24/erased-position-counted",
		Why:      "ledger list --run would print an erased position as an event 000…, and list and stats count it",
		File:     "internal/ledger/query.go",
		Old:      "\t\tif erasedID(r.ids[i:]) {\n\t\t\tcontinue // an erased position (erase.go): no event\n",
		New:      "\t\tif false {\n\t\t\tcontinue // an erased position (erase.go): no event\n",
		Packages: []string{"./internal/ledger"},
		Run:      "TestErased",
	},
	{
		Name:     "privfollow24/erased-position-accepted",
		Why:      "the Filter's accepted set (and the Bloom filter of older acceptances) would hold the all-zero id as an event sent",
		File:     "internal/ledger/upload.go",
		Old:      "if again != nil && again[i/idLen] || erasedID(r.ids[i:]) {",
		New:      "if again != nil && again[i/idLen] {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestErased",
	},
	{
		Name:     "privfollow24/erased-position-requeued",
		Why:      "a requeue would count an erased failed position as an event to send again",
		File:     "internal/ledger/requeue.go",
		Old:      "if (i+1)*idLen > len(b) || erasedID(b[i*idLen:]) {",
		New:      "if (i+1)*idLen > len(b) {",
		Packages: []string{"./internal/ledger"},
		Run:      "TestErased",
	},
	{
		Name:     "privfollow24/forget-without-secure-delete",
		Why:      "ledger forget and unrevoke would leave the forgotten event ids and withdrawal digests readable in ledger.db",
		File:     "internal/ledger/securedelete.go",
		Old:      "`PRAGMA secure_delete = ON`",
		New:      "`PRAGMA secure_delete = OFF`",
		Packages: []string{"./internal/ledger"},
		Run:      "TestForgetAndUnrevokeLeaveNoBytes",
	},
	{
		Name:     "privfollow24/erase-patients-alone-any-secret",
		Why:      "erase --patients under another secret, no withdrawal remembered yet, would write a withdrawal no row matches (exit 0) and stop the next night on the fingerprint",
		File:     "internal/run/erase.go",
		Old:      "\tif derived || remembered == 0 {\n",
		New:      "\tif derived {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseOfPatientsAloneRefusesAnotherSecret",
	},
})
