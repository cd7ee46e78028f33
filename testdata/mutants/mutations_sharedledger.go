package main

// sharedledgerMutations hold what an agency's review of 15 clinics' configs
// in one crontab found: configs sharing the default ledger stopped each
// other on the secret's fingerprint, with advice that made them alternate
// for good; an environment secret overrode a config's own; and the
// new-ids stop did not name another clinic's export among its causes.
var sharedledgerMutations = register([]mutation{
	{
		Name:     "sharedledger/new-ids-stop-names-no-other-clinic",
		Why:      "an export from another clinic's folder would be met with only a changed column or secret and --accept-new-ids, which sends that clinic's patients to this clinic's accounts",
		File:     "internal/run/newids.go",
		Old:      "\"Or this export is another clinic's (a wrong file or folder): check the export path the job reads against the config's clinic, and never pass --accept-new-ids for it. \"+",
		New:      "\"\"+",
		Packages: []string{"./internal/run"},
		Run:      "TestTheNewIDsStopNamesAnotherClinicsExport",
	},
})
