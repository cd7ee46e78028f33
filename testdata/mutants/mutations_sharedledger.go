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
	{
		Name:     "sharedledger/one-fingerprint-per-ledger",
		Why:      "a second clinic's config sharing the default ledger would stop on the first clinic's fingerprint, and the advice would make the two alternate for good",
		File:     "internal/run/eventkey.go",
		Old:      "\t\tcase k.Delivered[d] && k.Whole != \"\":\n",
		New:      "\t\tcase k.Whole != \"\":\n",
		Packages: []string{"./internal/run", "./internal/cli"},
		Run:      "TestEventKeysPerDestination|TestClinicsWithTheirOwnSecretsShareALedger",
	},
	{
		Name:     "sharedledger/own-fingerprint-not-compared",
		Why:      "a changed secret at a destination already delivered to would re-key every event id and send every visit again",
		File:     "internal/run/eventkey.go",
		Old:      "\t\t\tif was != check {\n\t\t\t\tv.changed, v.was = append(v.changed, names[d]), append(v.was, was)",
		New:      "\t\t\tif false && was != check {\n\t\t\t\tv.changed, v.was = append(v.changed, names[d]), append(v.was, was)",
		Packages: []string{"./internal/run", "./internal/cli"},
		Run:      "TestEventKeysPerDestination|TestClinicsWithTheirOwnSecretsShareALedger|TestChangedSecretStopsASmallClinic",
	},
	{
		Name:     "sharedledger/records-over-other-destinations",
		Why:      "recording a config's fingerprint over the whole ledger would make another config sharing it stop the next night",
		File:     "internal/ledger/eventkey.go",
		Old:      "eventKeyDestMeta+d, check); err != nil {",
		New:      "eventKeyMeta+d[:0], check); err != nil {",
		Packages: []string{"./internal/ledger", "./internal/cli"},
		Run:      "TestEventKeysAreKeptPerDestination|TestClinicsWithTheirOwnSecretsShareALedger|TestChangedSecretStopsASmallClinic",
	},
	{
		Name:     "sharedledger/validate-does-not-predict",
		Why:      "config validate --upload would say valid for uploads while the upload stops on its secret",
		File:     "internal/run/validate.go",
		Old:      "if err = errors.Join(err, stop); err != nil {",
		New:      "if err = errors.Join(err, stop); err != nil && stop == nil {",
		Packages: []string{"./internal/cli"},
		Run:      "TestClinicsWithTheirOwnSecretsShareALedger",
	},
	{
		Name:     "sharedledger/dry-run-does-not-predict",
		Why:      "a dry-run would say nothing of the stop an upload with its config meets on its secret",
		File:     "internal/run/upload.go",
		Old:      "\tsayEventKey(ctx, env, p.cfg, p.key)",
		New:      "\t_ = sayEventKey",
		Packages: []string{"./internal/cli"},
		Run:      "TestClinicsWithTheirOwnSecretsShareALedger",
	},
	{
		Name:     "sharedledger/two-secrets-pass",
		Why:      "a crontab-wide HASHGATE_SECRET would again silently override a config's own secret: and make its event ids under another key",
		File:     "internal/cli/secretfile.go",
		Old:      "return env != \"\" && ok && own != env",
		New:      "return false && env != \"\" && ok && own != env",
		Packages: []string{"./internal/cli"},
		Run:      "TestTwoSecretsAreRefusedForUploads",
	},
})
