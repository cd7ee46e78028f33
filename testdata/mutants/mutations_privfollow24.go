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
		Old:      "\t\tif len(f.Warnings) > 0 {\n",
		New:      "\t\tif len(f.Warnings) > 99 {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestEraseByExport",
	},
})
