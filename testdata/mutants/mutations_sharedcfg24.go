package main

// sharedcfg24Mutations hold ledger.shared_destinations: a config that says
// it shares its destinations on purpose is recorded without the nightly
// copied-config warning.
var sharedcfg24Mutations = register([]mutation{
	{
		Name:     "sharedcfg24/shared-destinations-ignored",
		Why:      "one clinic's second config on one ledger would be warned every night as a copied config, silenced only by --accept-new-ids, which passes that night's other stops",
		File:     "internal/run/eventkey.go",
		Old:      "other != \"\" && !cfg.Ledger.SharedDestinations {\n",
		New:      "other != \"\" {\n",
		Packages: []string{"./internal/cli"},
		Run:      "TestACopiedConfigIsToldWhoseAccountsItNames",
	},
})
